"""Named transitions of a dossier, each guarded (state and role), recorded as an event and in the audit log.

received → processing → supplement_requested → (resumed) processing → done → returned; rejected; withdrawn.
A dossier past its due date needs a late reason and an apology letter with a new appointment (`record_delay`)
before its result can be recorded.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.core import audit

from ..due import DueDates
from ..models import OPEN_STATUSES, Dossier, DossierEvent, Status, SupplementReason
from ..permissions import require_process
from .stats import refresh_for

ACTIONS = {
    # action: (allowed from, to, label)
    "start_processing": ((Status.RECEIVED,), Status.PROCESSING, gettext_lazy("Chuyển xử lý")),
    "request_supplement": (
        (Status.RECEIVED, Status.PROCESSING),
        Status.SUPPLEMENT,
        gettext_lazy("Yêu cầu bổ sung"),
    ),
    "resume_processing": ((Status.SUPPLEMENT,), Status.PROCESSING, gettext_lazy("Đã nhận bổ sung, tiếp tục")),
    "mark_done": ((Status.RECEIVED, Status.PROCESSING), Status.DONE, gettext_lazy("Ghi nhận có kết quả")),
    "return_result": ((Status.DONE,), Status.RETURNED, gettext_lazy("Trả kết quả")),
    "reject": (OPEN_STATUSES, Status.REJECTED, gettext_lazy("Từ chối giải quyết")),
    "withdraw": (OPEN_STATUSES, Status.WITHDRAWN, gettext_lazy("Công dân rút hồ sơ")),
    "record_delay": (OPEN_STATUSES, None, gettext_lazy("Ghi lý do trễ hạn, lập văn bản xin lỗi")),
}


def allowed_actions(dossier):
    """Names of the transitions possible from the dossier's current state (for buttons and the API)."""
    return [name for name, (sources, _to, _label) in ACTIONS.items() if dossier.status in sources]


def _begin(actor, dossier, action):
    require_process(actor, dossier)
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    sources = ACTIONS[action][0]
    if locked.status not in sources:
        raise ValidationError(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": ACTIONS[action][2], "status": locked.get_status_display()}
        )
    return locked


def _finish(actor, dossier, action, from_status, *, fields, changes=None, **event):
    to_status = ACTIONS[action][1]
    if to_status is not None:
        dossier.status = to_status
        fields = [*fields, "status"]
    dossier.save(update_fields=[*fields, "updated_at"])
    DossierEvent.objects.create(
        dossier=dossier,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        **event,
    )
    audit.record(
        actor,
        audit.Action.TRANSITION,
        dossier,
        changes={"action": action, "status": [from_status, dossier.status], **(changes or {})},
        reason=event.get("reason", ""),
    )
    refresh_for(dossier)
    return dossier


@transaction.atomic
def start_processing(actor, dossier):
    """Hand the received dossier to the officer who processes it."""
    d = _begin(actor, dossier, "start_processing")
    return _finish(actor, d, "start_processing", d.status, fields=[])


@transaction.atomic
def request_supplement(actor, dossier, *, reason_category, items=(), reason=""):
    """Ask the applicant, once and in writing, for everything missing; the dossier waits for them."""
    require_process(actor, dossier)
    if reason_category not in SupplementReason.values:
        raise ValidationError({"reason_category": [_("Cần chọn nhóm lý do yêu cầu bổ sung.")]})
    items = [str(i).strip() for i in items if str(i).strip()]
    if not items and not reason.strip():
        raise ValidationError({"items": [_("Cần ghi rõ những gì người dân phải bổ sung.")]})
    d = _begin(actor, dossier, "request_supplement")
    from_status = d.status
    d.supplement_count += 1
    return _finish(
        actor,
        d,
        "request_supplement",
        from_status,
        fields=["supplement_count"],
        reason_category=reason_category,
        reason=reason.strip(),
        items=items,
    )


@transaction.atomic
def resume_processing(actor, dossier):
    """The applicant brought what was asked; processing continues."""
    d = _begin(actor, dossier, "resume_processing")
    return _finish(actor, d, "resume_processing", d.status, fields=[])


@transaction.atomic
def record_delay(actor, dossier, *, reason, new_due_at):
    """Record why the dossier is (or will be) late and the new appointment; this produces the apology letter."""
    require_process(actor, dossier)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Cần ghi lý do trễ hạn.")]
    now = timezone.now()
    if new_due_at is None or new_due_at <= now:
        errors["new_due_at"] = [_("Ngày hẹn mới phải sau thời điểm hiện tại.")]
    elif dossier.due_at and new_due_at <= dossier.due_at:
        errors["new_due_at"] = [_("Ngày hẹn mới phải sau ngày hẹn ban đầu.")]
    if errors:
        raise ValidationError(errors)
    d = _begin(actor, dossier, "record_delay")
    d.late_reason, d.new_due_at, d.apology_at = reason.strip(), new_due_at, now
    return _finish(
        actor,
        d,
        "record_delay",
        d.status,
        fields=["late_reason", "new_due_at", "apology_at"],
        changes={"new_due_at": new_due_at.isoformat()},
        reason=reason.strip(),
    )


@transaction.atomic
def mark_done(actor, dossier, *, finished_at=None, result_electronic=False):
    """The result is ready. Refused for a late dossier that has no late reason and apology yet.

    `result_electronic`: the result was issued as an electronic document too (Decision 766's digitisation group).
    """
    d = _begin(actor, dossier, "mark_done")
    finished_at = finished_at or timezone.now()
    if finished_at < d.received_at:
        raise ValidationError(
            {"finished_at": [_("Thời điểm có kết quả không được trước thời điểm tiếp nhận.")]}
        )
    late = d.due_at is not None and finished_at > d.due_at
    if late and d.apology_at is None:
        raise ValidationError(
            _(
                "Hồ sơ đã quá hạn: cần ghi lý do trễ hạn và lập văn bản xin lỗi kèm ngày hẹn mới "
                "trước khi ghi nhận kết quả."
            )
        )
    from_status = d.status
    d.finished_at = finished_at
    d.is_on_time = None if d.due_at is None else not late
    d.working_days_taken = DueDates().working_days(d.received_at, finished_at)
    d.result_electronic = bool(result_electronic)
    return _finish(
        actor,
        d,
        "mark_done",
        from_status,
        fields=["finished_at", "is_on_time", "working_days_taken", "result_electronic"],
        changes={"on_time": d.is_on_time, "result_electronic": d.result_electronic},
    )


@transaction.atomic
def return_result(actor, dossier, *, returned_at=None):
    """The applicant received the result."""
    d = _begin(actor, dossier, "return_result")
    d.returned_at = returned_at or timezone.now()
    return _finish(actor, d, "return_result", d.status, fields=["returned_at"])


@transaction.atomic
def reject(actor, dossier, *, reason):
    """Refuse the dossier, with the reason given to the applicant in writing."""
    require_process(actor, dossier)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Cần ghi rõ lý do từ chối.")]})
    d = _begin(actor, dossier, "reject")
    return _finish(actor, d, "reject", d.status, fields=[], reason=reason.strip())


@transaction.atomic
def withdraw(actor, dossier, *, reason=""):
    """The applicant withdrew the dossier."""
    d = _begin(actor, dossier, "withdraw")
    return _finish(actor, d, "withdraw", d.status, fields=[], reason=(reason or "").strip())
