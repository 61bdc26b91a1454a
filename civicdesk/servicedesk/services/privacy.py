"""Personal data protection in the service desk (issue 21): pseudonymise applicants (past the province's retention
period, or at their request where the law allows), restrict a citizen's dossiers, correct an applicant's data.

The privacy app reaches these through the source in `servicedesk/privacy.py`. Each runs in one transaction, checks
that the actor may see the applicants' data of every dossier it touches, and audits counts and field names, never
the values.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import HIDDEN, mask, pseudonym, subject_identifier

from ..models import Dossier, DossierEvent, IntakeCheck, SurveyResponse, normalise_phone, validate_cccd
from ..permissions import can_see_personal_data

# The applicant's data a pseudonymised dossier no longer holds (the name becomes a pseudonym); everything the KPIs
# and the Decision 766 scorecard read (commune, procedure, channel, dates, status, on-time, rating, digitisation)
# stays as it was.
BLANKED = ("applicant_id_number", "applicant_phone", "phone_last4", "note")


def _require(actor, commune_ids):
    if is_system(actor):
        return
    for commune_id in commune_ids:
        if not can_see_personal_data(actor, commune_id):
            raise PermissionDenied(
                _("Chỉ công chức, lãnh đạo của xã được xử lý dữ liệu cá nhân của người nộp hồ sơ.")
            )


@transaction.atomic
def pseudonymise_dossiers(actor, ids, *, reason):
    """The applicants of the dossiers `ids` (those not pseudonymised yet) become a pseudonym: name → pseudonym; CCCD,
    phone and note blanked; CCCD, phone numbers and e-mail addresses masked in the late reason, the events' reasons
    and the survey comment; the completeness check's name blanked. Returns how many dossiers changed."""
    dossiers = list(
        Dossier.objects.select_for_update().filter(pk__in=ids, pseudonymised_at__isnull=True).order_by("pk")
    )
    _require(actor, {d.commune_id for d in dossiers})
    now = timezone.now()
    for dossier in dossiers:
        dossier.applicant_name = pseudonym(
            subject_identifier(
                dossier.applicant_id_number, dossier.applicant_phone, f"servicedesk.dossier:{dossier.pk}"
            )
        )
        for name in BLANKED:
            setattr(dossier, name, "")
        dossier.late_reason = mask(dossier.late_reason, HIDDEN)
        dossier.pseudonymised_at = now
    # updated_at stays: it is the closing time of a dossier rejected or withdrawn without a result.
    Dossier.objects.bulk_update(
        dossiers, ["applicant_name", *BLANKED, "late_reason", "pseudonymised_at"], batch_size=500
    )
    done = [d.pk for d in dossiers]
    events = list(DossierEvent.objects.filter(dossier_id__in=done).exclude(reason=""))
    for event in events:
        event.reason = mask(event.reason, HIDDEN)
    DossierEvent.objects.bulk_update(events, ["reason"], batch_size=500)
    surveys = list(SurveyResponse.objects.filter(dossier_id__in=done).exclude(comment=""))
    for survey in surveys:
        survey.comment = mask(survey.comment, HIDDEN)
    SurveyResponse.objects.bulk_update(surveys, ["comment"], batch_size=500)
    IntakeCheck.objects.filter(dossier_id__in=done).update(applicant_name="")
    audit.record_pseudonymised(actor, "servicedesk.dossier", done, reason=reason)
    return len(done)


@transaction.atomic
def forget_intake_checks(actor, ids, *, reason):
    """Blank the applicant's name on completeness checks that never became a dossier. Returns how many changed."""
    checks = list(IntakeCheck.objects.select_for_update().filter(pk__in=ids).exclude(applicant_name=""))
    _require(actor, {c.commune_id for c in checks})
    done = [c.pk for c in checks]
    IntakeCheck.objects.filter(pk__in=done).update(applicant_name="")
    audit.record_pseudonymised(actor, "servicedesk.intakecheck", done, reason=reason)
    return len(done)


@transaction.atomic
def set_restricted(actor, ids, restricted, *, reason=""):
    """Mark the dossiers `ids` restricted (or lift it): no outreach list is built from them; the processing the law
    requires goes on. Returns how many changed."""
    dossiers = list(Dossier.objects.select_for_update().filter(pk__in=ids).exclude(restricted=restricted))
    _require(actor, {d.commune_id for d in dossiers})
    for dossier in dossiers:
        dossier.restricted = restricted
        audit.record(
            actor,
            audit.Action.UPDATE,
            dossier,
            changes={"restricted": [not restricted, restricted]},
            reason=reason,
        )
    Dossier.objects.bulk_update(dossiers, ["restricted"])
    return len(dossiers)


@transaction.atomic
def correct_applicant(actor, ids, data, *, reason=""):
    """Correct the applicant's name, CCCD or phone (`data`: "full_name", "id_number", "phone") on the dossiers `ids`
    at the applicant's request. Returns how many changed; the audit log names the fields, not the values."""
    values = {}
    if data.get("full_name"):
        values["applicant_name"] = data["full_name"].strip()[:150]
    if data.get("id_number"):
        validate_cccd(data["id_number"])
        values["applicant_id_number"] = data["id_number"]
    if data.get("phone"):
        values["applicant_phone"] = normalise_phone(data["phone"])
        values["phone_last4"] = values["applicant_phone"][-4:]
    if not values:
        raise ValidationError(_("Ghi ít nhất một thông tin cần sửa."))
    dossiers = list(Dossier.objects.select_for_update().filter(pk__in=ids, pseudonymised_at__isnull=True))
    _require(actor, {d.commune_id for d in dossiers})
    changed = 0
    for dossier in dossiers:
        fields = [name for name, value in values.items() if getattr(dossier, name) != value]
        if not fields:
            continue
        for name in fields:
            setattr(dossier, name, values[name])
        dossier.save(update_fields=[*fields, "updated_at"])
        audit.record(actor, audit.Action.UPDATE, dossier, changes={"corrected": fields}, reason=reason)
        changed += 1
    return changed
