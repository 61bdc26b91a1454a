"""Sync that loses nothing and duplicates nothing: a phone sends each dossier it took offline under its client UUID.

`sync_field_dossier(actor, uuid, data)` is idempotent:

- the same UUID with the same content again (a retry after a lost answer, a crash mid-upload, the outbox replayed
  on app open) → the same record, nothing new (`SyncOutcome.created` False, HTTP 200);
- the same UUID with *different* content and no base version → refused (409 `uuid_reused`): a phone bug, never a
  silent overwrite; a provisional code already used under another UUID → refused (409 `code_reused`);
- an edit carries `base_version`: equal to the server's version while the record is still on the review list →
  applied (version + 1) and registration tried again; otherwise (an older version, or the dossier already entered
  the register) → kept as a `Conflict` for the commune officer (409 `conflict`), never last-write-wins.

A new dossier is registered in the commune's register through the service desk's own intake
(`servicedesk.services.receive_dossier`, channel "Tổ lưu động"): the official code and the due date in working
days are assigned now, counted from when it was taken in the hamlet; the provisional code stays on the dossier
(`Dossier.provisional_code`) so the citizen's receipt keeps working on /tra-cuu/. It goes to the review list
instead (HTTP 202) when the register already holds an open dossier of the same procedure for the same CCCD in the
last `DUPLICATE_DAYS` days (a likely duplicate: the citizen also went to the centre), or when the current checklist
finds a required component missing (the phone's copy of the checklist was older).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.geo.models import Hamlet
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.roles import Role
from civicdesk.kernel.validators import find_control_characters, validate_no_control_characters
from civicdesk.servicedesk.models import Channel, Dossier
from civicdesk.servicedesk.models import Status as DossierStatus
from civicdesk.servicedesk.permissions import can_receive
from civicdesk.servicedesk.services import receive_dossier

from ..models import Conflict, Device, FieldDossier, Trip

DUPLICATE_DAYS = 30
CODE = re.compile(r"^TLD-([0-9A-Z]{1,12})-(\d{1,6})$")
# What a phone sends; anything else is refused so a field the server ignores is never silently dropped.
FIELDS = {
    "device", "provisional_code", "taken_at", "procedure_code", "present", "applicant_name", "applicant_id_number",
    "applicant_phone", "hamlet", "trip", "note", "appointment_at", "served_language", "interpreter_used",
}  # fmt: skip
OPEN = (DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT, DossierStatus.DONE)


class SyncRefused(Exception):
    """The phone's request cannot be taken as it is: `code` for the API, `message` in the reader's language."""

    def __init__(self, status, code, message, **details):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


@dataclass
class SyncOutcome:
    field_dossier: FieldDossier
    created: bool  # False: the same content was already here (a retry)

    @property
    def http_status(self):
        if not self.created:
            return 200
        return 201 if self.field_dossier.status == FieldDossier.Status.REGISTERED else 202


def canonical(data):
    """The content as the server compares it: keys sorted, no whitespace, the base version left out."""
    content = {k: v for k, v in data.items() if k != "base_version"}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return content, hashlib.sha256(text.encode()).hexdigest()


def _device(actor, data):
    prefix = str(data.get("device") or "")
    device = Device.objects.select_related("commune").filter(prefix=prefix, active=True).first()
    if device is None:
        raise SyncRefused(
            422, "unknown_device", _("Máy này chưa được đăng ký với tổ lưu động của xã (hoặc đã bị thu hồi).")
        )
    if not can_receive(actor, device.commune_id):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được gửi hồ sơ nhận tại thôn."))
    match = CODE.match(str(data.get("provisional_code") or ""))
    if not match or match[1] != device.prefix:
        raise SyncRefused(
            400,
            "bad_code",
            _("Mã biên nhận tạm phải có dạng %(form)s.") % {"form": f"{device.code_prefix()}0001"},
        )
    return device


def _validate(data):
    unknown = sorted(set(data) - FIELDS - {"base_version"})
    if unknown:
        raise SyncRefused(
            400, "unknown_fields", _("Trường không được hỗ trợ: %(names)s.") % {"names": ", ".join(unknown)}
        )
    path = find_control_characters(data)
    if path:
        raise SyncRefused(
            422,
            "control_characters",
            _("Có ký tự điều khiển không nhìn thấy ở trường %(path)s.") % {"path": path},
        )


def _likely_duplicate(device, procedure, id_number, taken_at):
    if not id_number:
        return None
    return (
        Dossier.objects.filter(
            commune_id=device.commune_id,
            procedure_code=procedure.code,
            applicant_id_number=id_number,
            status__in=OPEN,
            received_at__gte=taken_at - timedelta(days=DUPLICATE_DAYS),
        )
        .order_by("-received_at")
        .first()
    )


def _register(actor, record, data, *, skip_duplicate_check=False):
    """Try to put `record` in the register; leaves it REGISTERED, or on the review list with its reason."""
    procedure = (
        Procedure.objects.exclude(status=Procedure.Status.ARCHIVED)
        .filter(code=data.get("procedure_code"))
        .first()
    )
    if procedure is None:
        raise SyncRefused(
            422,
            "unknown_procedure",
            _("Không có thủ tục mã %(code)s trong Cẩm nang.") % {"code": data.get("procedure_code")},
        )
    if not skip_duplicate_check:
        twin = _likely_duplicate(
            record.device, procedure, str(data.get("applicant_id_number") or "").strip(), record.taken_at
        )
        if twin is not None:
            record.status, record.reason = FieldDossier.Status.REVIEW, FieldDossier.Reason.DUPLICATE
            record.detail = {"dossier": twin.code}
            return record
    result = receive_dossier(
        actor,
        commune=record.device.commune,
        procedure=procedure,
        present=data.get("present") or [],
        applicant_name=data.get("applicant_name") or "",
        applicant_id_number=data.get("applicant_id_number") or "",
        applicant_phone=data.get("applicant_phone") or "",
        channel=Channel.LUU_DONG,
        received_at=record.taken_at,
        appointment_at=_instant(data.get("appointment_at"), "appointment_at"),
        note=data.get("note") or "",
        served_language=data.get("served_language") or "",
        interpreter_used=bool(data.get("interpreter_used")),
        provisional_code=record.provisional_code,
    )
    if not result.complete:
        record.status, record.reason = FieldDossier.Status.REVIEW, FieldDossier.Reason.INCOMPLETE
        record.detail = {"missing": result.check.missing}
        return record
    record.status, record.reason, record.detail, record.dossier = (
        FieldDossier.Status.REGISTERED,
        "",
        {},
        result.dossier,
    )
    return record


def _instant(value, name):
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value))
    if parsed is None or timezone.is_naive(parsed):
        raise SyncRefused(
            422, "bad_time", _("Thời điểm ở trường %(name)s phải có ngày, giờ và múi giờ.") % {"name": name}
        )
    return parsed


def sync_field_dossier(actor, client_uuid, data):
    """Take one dossier from a phone (see the module's docstring); returns `SyncOutcome`, raises `SyncRefused`,
    `ValidationError` (by field, from the intake) or `PermissionDenied`."""
    if not isinstance(data, dict):
        raise SyncRefused(400, "bad_payload", _("Nội dung gửi lên không đúng dạng."))
    _validate(data)
    device = _device(actor, data)
    content, digest = canonical(data)
    now = timezone.now()
    with transaction.atomic():
        # One phone's dossiers are taken one at a time: a retry racing its own first attempt waits for it, then
        # finds it and is answered as a retry.
        Device.objects.select_for_update().filter(pk=device.pk).first()
        existing = FieldDossier.objects.select_for_update().filter(uuid=client_uuid).first()
        if existing is not None and existing.commune_id != device.commune_id:
            raise SyncRefused(404, "not_found", _("Không có hồ sơ này."))  # another commune's: as if absent
        if existing is not None:
            outcome = _again(actor, existing, data, content, digest, now)
        else:
            outcome = SyncOutcome(_take(actor, device, client_uuid, data, content, digest, now), True)
    if isinstance(
        outcome, SyncRefused
    ):  # the conflict is kept (committed above) for the officer; the phone is told
        raise outcome
    return outcome


def _take(actor, device, client_uuid, data, content, digest, now):
    """A UUID seen for the first time: register the dossier, or put it on the review list."""
    taken_at = _instant(data.get("taken_at"), "taken_at")
    if taken_at is None:
        raise SyncRefused(422, "bad_time", _("Thiếu thời điểm nhận hồ sơ tại thôn."))
    if taken_at > now + timedelta(minutes=5):
        raise SyncRefused(
            422, "bad_time", _("Thời điểm nhận hồ sơ ở tương lai: kiểm tra ngày giờ của điện thoại.")
        )
    if FieldDossier.objects.filter(provisional_code=data["provisional_code"]).exists():
        raise SyncRefused(
            409,
            "code_reused",
            _("Mã biên nhận tạm %(code)s đã dùng cho một hồ sơ khác.") % {"code": data["provisional_code"]},
        )
    record = FieldDossier(
        uuid=client_uuid, commune_id=device.commune_id, device=device, provisional_code=data["provisional_code"],
        payload=content, payload_sha256=digest, taken_at=taken_at, synced_at=now, synced_by=actor,
        trip_id=_own(device, "trip", data.get("trip")), hamlet_id=_own(device, "hamlet", data.get("hamlet")),
    )  # fmt: skip
    _register(actor, record, data)
    record.save()
    Device.objects.filter(pk=device.pk).update(last_sync_at=now)
    audit.record(
        actor, audit.Action.CREATE, record, changes={"status": record.status, "reason": record.reason}
    )
    return record


def _own(device, kind, value):
    """The trip or hamlet id the phone named, if it is one of this commune's (else None: never another commune's)."""
    if value in (None, ""):
        return None
    model = Trip if kind == "trip" else Hamlet
    try:
        return (
            model.objects.filter(pk=int(value), commune_id=device.commune_id)
            .values_list("pk", flat=True)
            .first()
        )
    except (TypeError, ValueError):
        return None


def _again(actor, record, data, content, digest, now):
    """A UUID already here: a retry (same content), an edit (with its base version), or a phone's bug."""
    if record.payload_sha256 == digest:
        return SyncOutcome(record, False)
    base = data.get("base_version")
    if base is None:
        raise SyncRefused(
            409, "uuid_reused",
            _("Mã định danh %(uuid)s đã dùng cho một hồ sơ có nội dung khác; hồ sơ đã có được giữ nguyên.") % {"uuid": record.uuid},
        )  # fmt: skip
    if (
        content.get("provisional_code") != record.provisional_code
        or content.get("device") != record.device.prefix
    ):
        raise SyncRefused(
            409, "uuid_reused", _("Không đổi được mã biên nhận tạm hay máy của một hồ sơ đã gửi.")
        )
    if int(base) != record.version or record.status != FieldDossier.Status.REVIEW:
        conflict = Conflict.objects.create(
            field_dossier=record, base_version=int(base), payload=content, received_at=now, received_by=actor
        )
        audit.record(
            actor,
            audit.Action.CREATE,
            conflict,
            changes={"base_version": int(base), "version": record.version},
        )
        return SyncRefused(  # raised once the conflict is committed (sync_field_dossier)
            409, "conflict",
            _("Hồ sơ %(code)s đã thay đổi trên hệ thống (hoặc đã vào sổ) kể từ bản máy đang sửa; bản sửa được giữ "
              "lại để cán bộ xã xem, không ghi đè.") % {"code": record.provisional_code},
            conflict=conflict.pk, version=record.version,
        )  # fmt: skip
    record.payload, record.payload_sha256, record.version = content, digest, record.version + 1
    _register(actor, record, data)
    record.synced_at = now
    record.save()
    audit.record(
        actor, audit.Action.UPDATE, record, changes={"version": record.version, "status": record.status}
    )
    return SyncOutcome(record, True)


def resolve(actor, record, *, action, dossier_code=""):
    """The commune officer decides on a record of the review list: `register` (not a duplicate: register it as it
    is), `link` (the same as the register's dossier `dossier_code`: the provisional code maps to it) or `dismiss`."""
    if not can_receive(actor, record.commune_id) or actor.role not in (
        Role.COMMUNE_OFFICER,
        Role.COMMUNE_LEADER,
    ):
        raise PermissionDenied(_("Chỉ công chức, lãnh đạo xã xử lý danh sách chờ xem."))
    with transaction.atomic():
        record = FieldDossier.objects.select_for_update().select_related("device__commune").get(pk=record.pk)
        if record.status != FieldDossier.Status.REVIEW:
            raise ValidationError(_("Hồ sơ này đã được xử lý."))
        if action == "register":
            _register(actor, record, record.payload, skip_duplicate_check=True)
            if record.status != FieldDossier.Status.REGISTERED:
                raise ValidationError(
                    _("Chưa vào sổ được: còn thiếu %(items)s.")
                    % {"items": ", ".join(record.detail.get("missing", []))}
                )
        elif action == "link":
            dossier = Dossier.objects.filter(commune_id=record.commune_id, code=dossier_code.strip()).first()
            if dossier is None:
                raise ValidationError({"dossier_code": [_("Không có hồ sơ mã này trong sổ của xã.")]})
            record.status, record.dossier = FieldDossier.Status.LINKED, dossier
            if not dossier.provisional_code:
                Dossier.objects.filter(pk=dossier.pk).update(provisional_code=record.provisional_code)
        elif action == "dismiss":
            record.status = FieldDossier.Status.DISMISSED
        else:
            raise ValidationError(_("Thao tác không hợp lệ."))
        record.resolved_at, record.resolved_by = timezone.now(), actor
        record.save()
        audit.record(actor, audit.Action.UPDATE, record, changes={"status": record.status, "action": action})
    return record


def close_conflict(actor, conflict, *, resolution):
    """The officer has dealt with a conflicting edit (applied what was right by hand, or judged it stale)."""
    if not can_receive(actor, conflict.field_dossier.commune_id) or actor.role not in (
        Role.COMMUNE_OFFICER,
        Role.COMMUNE_LEADER,
    ):
        raise PermissionDenied(_("Chỉ công chức, lãnh đạo xã xử lý danh sách chờ xem."))
    resolution = " ".join((resolution or "").split())
    if not resolution:
        raise ValidationError(
            {"resolution": [_("Ghi ngắn đã xử lý thế nào (ví dụ: “đã sửa số điện thoại”).")]}
        )
    validate_no_control_characters(resolution)
    with transaction.atomic():
        conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
        if conflict.resolved_at is not None:
            raise ValidationError(_("Sửa đổi này đã được xử lý."))
        conflict.resolved_at, conflict.resolved_by, conflict.resolution = (
            timezone.now(),
            actor,
            resolution[:200],
        )
        conflict.save()
        audit.record(actor, audit.Action.UPDATE, conflict, changes={"resolution": conflict.resolution})
    return conflict
