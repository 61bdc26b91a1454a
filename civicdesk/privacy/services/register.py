"""The register of requests keeps personal data too (who asked, their numbers): pseudonymised past the province's
retention period for it, like any other kind of record (source "privacy.request", in sources.py)."""

from django.db import transaction
from django.utils import timezone

from civicdesk.core import audit
from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import HIDDEN, mask, pseudonym, subject_identifier

from ..models import RequestStep, SubjectRequest
from ..permissions import require_handle


@transaction.atomic
def pseudonymise_requests(actor, ids, *, reason):
    """The closed requests `ids` not pseudonymised yet: the person's name → pseudonym, numbers and the requester's
    name blanked, numbers masked in the texts; kind, channel, dates, status and the steps' counts stay."""
    requests = list(
        SubjectRequest.objects.select_for_update()
        .filter(pk__in=ids, pseudonymised_at__isnull=True)
        .exclude(status__in=SubjectRequest.OPEN)
        .order_by("pk")
    )
    if not is_system(actor):
        for request in requests:
            require_handle(actor, request.commune_id)
    now = timezone.now()
    for request in requests:
        request.subject_name = pseudonym(
            subject_identifier(request.id_number, request.phone, f"privacy.request:{request.pk}")
        )
        request.id_number = request.phone = request.requester_name = ""
        request.detail = mask(request.detail, HIDDEN)
        request.outcome = mask(request.outcome, HIDDEN)
        request.pseudonymised_at = now
    SubjectRequest.objects.bulk_update(
        requests,
        ["subject_name", "id_number", "phone", "requester_name", "detail", "outcome", "pseudonymised_at"],
    )
    done = [r.pk for r in requests]
    steps = list(RequestStep.objects.filter(request_id__in=done).exclude(note=""))
    for step in steps:
        step.note = mask(step.note, HIDDEN)
    RequestStep.objects.bulk_update(steps, ["note"])
    audit.record_pseudonymised(actor, "privacy.subjectrequest", done, reason=reason)
    return len(done)
