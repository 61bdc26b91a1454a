"""Receiving a dossier: the completeness check against the procedure's components, then registration."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.roles import Role
from civicdesk.kernel.served import language_errors

from ..due import DueDates
from ..models import (
    CHANNEL_METHOD,
    Channel,
    Dossier,
    DossierEvent,
    DueSource,
    IntakeCheck,
    Status,
    normalise_phone,
    validate_cccd,
)
from ..permissions import require_receive
from .stats import refresh_for


def checklist_for(procedure):
    """The procedure's dossier components as checklist items (index, name, required, quantities, note)."""
    items = []
    for index, component in enumerate(procedure.components or []):
        items.append(
            {
                "index": index,
                "name": component.get("name") or _("Thành phần %(n)s") % {"n": index + 1},
                "required": bool(component.get("required", True)),
                "original": component.get("original") or 0,
                "copy": component.get("copy") or 0,
                "form": component.get("form") or "",
                "note": component.get("note") or "",
            }
        )
    return items


def processing_days_for(procedure, channel):
    """Working days the handbook states for this channel's method, or None when not verified."""
    return procedure.processing_days(CHANNEL_METHOD.get(channel, "truc_tiep"))


@dataclass
class IntakeResult:
    check: IntakeCheck
    dossier: Dossier | None

    @property
    def complete(self):
        return self.dossier is not None


def _clean_applicant(name, id_number, phone):
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["applicant_name"] = [_("Cần nhập họ tên người nộp hồ sơ.")]
    id_number = (id_number or "").strip().replace(" ", "")
    try:
        validate_cccd(id_number)
    except ValidationError as exc:
        errors["applicant_id_number"] = exc.messages
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors["applicant_phone"] = exc.messages
    return name, id_number, phone, errors


def _next_code(commune, received_date):
    """The commune's next dossier number of the day: `25000-251006-` followed by 001, 002, …

    A range on the code (its unique index) rather than `startswith`: SQLite's LIKE is case-insensitive and cannot use
    the index, which made every registration scan all dossiers. ':' is the character after '9'.
    """
    prefix = f"{commune.code}-{received_date:%y%m%d}-"
    return prefix, Dossier.objects.filter(code__gt=prefix, code__lt=prefix + ":").count() + 1


def _assisted_errors(assisted_by, channel, commune):
    """The volunteer named as having helped file online: only for "online with help", a volunteer of the commune."""
    if assisted_by is None:
        return {}
    if channel != Channel.TRUC_TUYEN_HO_TRO:
        return {
            "assisted_by": [
                _("Chỉ ghi tình nguyện viên hỗ trợ khi hồ sơ nộp trực tuyến có hỗ trợ tại Trung tâm.")
            ]
        }
    if (
        assisted_by.role != Role.VOLUNTEER
        or assisted_by.commune_id != commune.pk
        or not assisted_by.is_active
    ):
        return {"assisted_by": [_("Người hỗ trợ phải là tình nguyện viên của xã.")]}
    return {}


def receive_dossier(
    actor,
    *,
    commune,
    procedure,
    present,
    applicant_name,
    applicant_id_number,
    applicant_phone,
    channel,
    received_at=None,
    appointment_at=None,
    note="",
    served_language="",
    interpreter_used=False,
    assisted_by=None,
    provisional_code=None,
    documents_digitised=False,
):
    """Check the dossier's components and, when every required one is present, register it.

    `present` holds the indexes of the components the applicant brought. Missing required components block
    intake: an incomplete `IntakeCheck` is recorded (for the printed supplement request) and no dossier is
    created. The due date is computed from the procedure's processing days on the working calendar; when the
    handbook has no verified number for this method, the officer's `appointment_at` is required instead.
    `served_language` (ISO 639-3, blank or "vie" for Vietnamese) and `interpreter_used` record language access.
    `provisional_code`: the receipt a mobile team gave offline (the mobile app syncs it; lookups find either code).
    `documents_digitised`: the components were scanned into the electronic dossier at receipt (Decision 766).
    Raises ValidationError (by field) for bad applicant data, PermissionDenied outside the actor's commune.
    """
    require_receive(actor, commune.pk)
    now = timezone.now()
    received_at = received_at or now
    name, id_number, phone, errors = _clean_applicant(applicant_name, applicant_id_number, applicant_phone)
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
    served_language, language_problems = language_errors(served_language)
    errors.update(language_problems)
    interpreter_used = bool(interpreter_used)
    errors.update(_assisted_errors(assisted_by, channel, commune))
    if received_at > now + timedelta(minutes=5):
        errors["received_at"] = [_("Thời điểm tiếp nhận không được ở tương lai.")]
    days = processing_days_for(procedure, channel)
    if days is None:
        if appointment_at is None:
            errors["appointment_at"] = [
                _(
                    "Thời hạn giải quyết của thủ tục này chưa được kiểm chứng trong Cẩm nang: "
                    "cán bộ cần nhập ngày hẹn trả kết quả."
                )
            ]
        elif appointment_at <= received_at:
            errors["appointment_at"] = [_("Ngày hẹn trả phải sau thời điểm tiếp nhận.")]
    if errors:
        raise ValidationError(errors)

    present = {int(i) for i in present}
    items = [
        {"name": item["name"], "required": item["required"], "present": item["index"] in present}
        for item in checklist_for(procedure)
    ]
    missing = [item["name"] for item in items if item["required"] and not item["present"]]
    with transaction.atomic():
        check = IntakeCheck.objects.create(
            commune=commune,
            procedure=procedure,
            procedure_name=procedure.name,
            applicant_name=name,
            checked_by=actor,
            checked_at=now,
            items=items,
            missing=missing,
            complete=not missing,
        )
        if missing:
            audit.record(actor, audit.Action.CREATE, check, changes={"complete": False, "missing": missing})
            return IntakeResult(check, None)

        due = DueDates()
        if days is None:
            due_at, due_source = appointment_at, DueSource.MANUAL
        else:
            due_at, due_source = due.due_at(received_at, days), DueSource.COMPUTED
        received_date = due.local_date(received_at)
        prefix, number = _next_code(commune, received_date)
        dossier = None
        for attempt in range(20):
            candidate = Dossier(
                code=f"{prefix}{number + attempt:03d}",
                commune=commune,
                province_id=commune.province_id,
                procedure=procedure,
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                applicant_name=name,
                applicant_id_number=id_number,
                applicant_phone=phone,
                phone_last4=phone[-4:],
                channel=channel,
                status=Status.RECEIVED,
                received_at=received_at,
                received_date=received_date,
                due_at=due_at,
                due_source=due_source,
                processing_days=days,
                checklist=items,
                received_by=actor,
                note=note[:500],
                served_language=served_language,
                interpreter_used=interpreter_used,
                assisted_by=assisted_by,
                provisional_code=provisional_code or None,
                documents_digitised=bool(documents_digitised),
            )
            try:
                with transaction.atomic():
                    candidate.save()
            except IntegrityError:  # another desk took this number in the same instant
                continue
            dossier = candidate
            break
        if dossier is None:
            raise ValidationError(_("Không cấp được mã hồ sơ, vui lòng thử lại."))
        check.dossier = dossier
        check.save(update_fields=["dossier"])
        DossierEvent.objects.create(
            dossier=dossier, at=now, actor=actor, action="receive", to_status=Status.RECEIVED
        )
        changes = {
            "procedure": procedure.code,
            "channel": channel,
            "due_at": due_at.isoformat(),
            "due_source": due_source,
        }
        if served_language:
            changes["served_language"] = served_language
        if interpreter_used:
            changes["interpreter_used"] = True
        if provisional_code:
            changes["provisional_code"] = provisional_code
        if documents_digitised:
            changes["documents_digitised"] = True
        audit.record(actor, audit.Action.CREATE, dossier, changes=changes)
        refresh_for(dossier)
    return IntakeResult(check, dossier)
