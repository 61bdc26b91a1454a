"""Personal data protection for the mobile team (issue 21): pseudonymise the phone's copy of a field dossier (past the
province's retention period after it was registered or dismissed, or at the citizen's request).

The register's dossier (servicedesk) is the record the law keeps; the field dossier is the copy the phone sent.
Its payload's applicant fields and those of the conflicting edits are blanked (the name becomes a pseudonym), and
the photos of documents are deleted, file and row. Audited with counts, never values.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import pseudonym, subject_identifier
from civicdesk.kernel.roles import Role
from civicdesk.servicedesk.permissions import can_see_personal_data

from ..models import Conflict, FieldAttachment, FieldDossier

log = logging.getLogger(__name__)
BLANKED = ("applicant_id_number", "applicant_phone", "note")


def _scrub(payload, identifier):
    payload = dict(payload or {})
    if payload.get("applicant_name"):
        payload["applicant_name"] = pseudonym(identifier)
    for name in BLANKED:
        if payload.get(name):
            payload[name] = ""
    return payload


def _require(actor, records):
    if is_system(actor):
        return
    for record in records:
        if not (
            can_see_personal_data(actor, record.commune_id)
            and actor.role in (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)
        ):
            raise PermissionDenied(
                _("Chỉ công chức, lãnh đạo của xã được xử lý dữ liệu của hồ sơ nhận tại thôn.")
            )


def _delete_files(names):
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            # The row is gone; a file left behind is found by its path, which names no one (uuids).
            log.warning("Could not delete a field dossier's photo (%s)", name)


@transaction.atomic
def pseudonymise_field_dossiers(actor, ids, *, reason):
    """The field dossiers `ids` not pseudonymised yet. Returns how many changed."""
    records = list(
        FieldDossier.objects.select_for_update()
        .filter(pk__in=ids, pseudonymised_at__isnull=True)
        .order_by("pk")
    )
    _require(actor, records)
    now = timezone.now()
    for record in records:
        payload = record.payload or {}
        identifier = subject_identifier(
            str(payload.get("applicant_id_number") or ""),
            str(payload.get("applicant_phone") or ""),
            f"mobile.fielddossier:{record.pk}",
        )
        record.payload = _scrub(payload, identifier)
        record.pseudonymised_at = now
        conflicts = list(record.conflicts.all())
        for conflict in conflicts:
            conflict.payload = _scrub(conflict.payload, identifier)
        Conflict.objects.bulk_update(conflicts, ["payload"])
    FieldDossier.objects.bulk_update(records, ["payload", "pseudonymised_at"], batch_size=500)
    done = [r.pk for r in records]
    photos = FieldAttachment.objects.filter(field_dossier_id__in=done)
    names = [name for name in photos.values_list("file", flat=True) if name]
    deleted = photos.count()
    photos.delete()
    transaction.on_commit(lambda: _delete_files(names))
    audit.record_pseudonymised(actor, "mobile.fielddossier", done, reason=reason, photos_deleted=deleted)
    return len(done)
