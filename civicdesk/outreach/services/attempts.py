"""Contact attempts: each with a channel and a fixed outcome code, the follow-up on the working calendar, and the
dossier it produced."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import person as user_of
from civicdesk.kernel.validators import has_control_characters
from civicdesk.servicedesk.models import Dossier

from ..models import REACHED_OUTCOMES, RETRY_OUTCOMES, Attempt, ContactChannel, DoNotContact, Outcome, Target
from ..permissions import require_work_target
from ..rules import PHONE_CHANNELS, blockers, next_working_morning
from .contact import add_do_not_contact

# What a target becomes after an attempt with each outcome (retry outcomes stay in progress until the last try).
CLOSING = {
    Outcome.REFUSED: Target.Status.DECLINED,
    Outcome.WRONG_NUMBER: Target.Status.UNREACHABLE,
    Outcome.DOSSIER_FILED: Target.Status.CONVERTED,
}


class ContactBlocked(ValidationError):
    """The rules forbid this contact; `reasons` are the blockers, each with its message."""

    def __init__(self, reasons):
        self.reasons = reasons
        super().__init__([r.message for r in reasons])


def find_dossier(target, code):
    """The dossier of the target's commune with this code, else a ValidationError naming the code."""
    code = (code or "").strip()
    dossier = Dossier.objects.filter(code=code, commune_id=target.commune_id).first() if code else None
    if dossier is None:
        raise ValidationError({"dossier_code": _("Xã không có hồ sơ mã “%(code)s”.") % {"code": code[:40]}})
    return dossier


def suggested_dossiers(target, limit=5):
    """Dossiers the citizen filed in the commune since the campaign began (by CCCD or phone): likely conversions."""
    person = target.person
    since = datetime.combine(
        target.campaign.start_date, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    found = Dossier.objects.filter(commune_id=target.commune_id, received_at__gte=since)
    keys = []
    if person.id_number:
        keys.append(found.filter(applicant_id_number=person.id_number))
    if person.phone.startswith("+84"):
        keys.append(found.filter(applicant_phone="0" + person.phone[3:]))
    if not keys:
        return Dossier.objects.none()
    query = keys[0]
    for other in keys[1:]:
        query = query | other
    return query.order_by("-received_at")[:limit]


def _aware(moment):
    """A time without an offset is Vietnam time (the working calendar's zone)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _check_outcome(channel, outcome, dossier, next_action_at, at):
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": _("Kênh không hợp lệ.")})
    if outcome not in Outcome.values or outcome == Outcome.MESSAGE_SENT:
        raise ValidationError({"outcome": _("Chọn một kết quả trong danh sách.")})
    if outcome == Outcome.DOSSIER_FILED and dossier is None:
        raise ValidationError({"dossier_code": _("Ghi mã hồ sơ người dân đã nộp.")})
    if outcome == Outcome.APPOINTMENT and next_action_at is None:
        raise ValidationError({"next_action_at": _("Ghi ngày hẹn người dân đến làm thủ tục.")})
    if next_action_at is not None and next_action_at <= at:
        raise ValidationError({"next_action_at": _("Ngày hẹn phải sau lần liên hệ này.")})
    if outcome == Outcome.WRONG_NUMBER and channel not in PHONE_CHANNELS:
        raise ValidationError({"outcome": _("“Sai số” chỉ dùng cho gọi điện, SMS, Zalo.")})
    if outcome == Outcome.NOT_HOME and channel != ContactChannel.VISIT:
        raise ValidationError({"outcome": _("“Không có nhà” chỉ dùng cho lần đến tận nhà.")})


@transaction.atomic
def record_attempt(
    actor, target, *, channel, outcome, note="", dossier_code="", next_action_at=None, at=None
):
    """Log one contact with `target`'s citizen. The rules (rules.py) are checked for the moment of the contact.

    Retry outcomes (no answer, not home) schedule the next try for the next working morning unless the campaign's
    maximum is reached (then the target is unreachable); a wrong number stops phone, SMS and Zalo for this person.
    """
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("campaign", "person", "commune")
        .get(pk=target.pk)
    )
    require_work_target(actor, target)
    at = _aware(at or timezone.now())
    next_action_at = _aware(next_action_at) if next_action_at is not None else None
    if at > timezone.now():
        raise ValidationError({"at": _("Thời điểm liên hệ không được ở tương lai.")})
    note = (note or "").strip()
    if has_control_characters(note) or len(note) > 1000:
        raise ValidationError({"note": _("Ghi chú có ký tự không hợp lệ hoặc dài quá 1.000 ký tự.")})
    dossier = find_dossier(target, dossier_code) if (dossier_code or "").strip() else None
    if dossier is not None and outcome != Outcome.DOSSIER_FILED:
        raise ValidationError({"dossier_code": _("Chỉ ghi mã hồ sơ khi kết quả là “Đã nộp hồ sơ”.")})
    _check_outcome(channel, outcome, dossier, next_action_at, at)
    found = blockers(target.person, channel, at, target=target)
    if found:
        raise ContactBlocked(found)
    return _apply(
        actor,
        target,
        channel=channel,
        outcome=outcome,
        note=note,
        dossier=dossier,
        next_action_at=next_action_at,
        at=at,
    )


def _apply(actor, target, *, channel, outcome, note, dossier, next_action_at, at, message=None):
    attempt = Attempt.objects.create(
        target=target,
        channel=channel,
        outcome=outcome,
        note=note,
        at=at,
        by=user_of(actor),
        dossier=dossier,
        message=message,
    )
    target.attempt_count += 1
    target.last_attempt_at = at
    if outcome in REACHED_OUTCOMES and target.reached_at is None:
        target.reached_at = at
    if dossier is not None:
        target.dossier = dossier
    status = CLOSING.get(outcome)
    if status is None and outcome in RETRY_OUTCOMES:
        if target.attempt_count >= target.campaign.max_attempts:
            status = Target.Status.UNREACHABLE
        else:
            next_action_at = next_action_at or next_working_morning(at)
    if status is None:
        status = Target.Status.IN_PROGRESS if next_action_at else Target.Status.DONE
    target.status = status
    target.next_action_at = next_action_at if status == Target.Status.IN_PROGRESS else None
    target.next_channel = channel if target.next_action_at else ""
    target.save()
    attempt.next_action_at = target.next_action_at
    attempt.save(update_fields=["next_action_at"])
    if outcome == Outcome.WRONG_NUMBER:
        for phone_channel in PHONE_CHANNELS:
            add_do_not_contact(
                actor,
                target.person,
                channel=phone_channel,
                reason=DoNotContact.Reason.WRONG_NUMBER,
                source=_("Lần liên hệ ngày %(day)s") % {"day": timezone.localtime(at).strftime("%d/%m/%Y")},
                at=at,
                check=False,
            )
    audit.record(
        actor,
        audit.Action.CREATE,
        attempt,
        changes={"channel": channel, "outcome": outcome, "dossier": dossier.code if dossier else ""},
    )
    return attempt


@transaction.atomic
def link_dossier(actor, target, dossier_code):
    """The citizen filed after the contact: link the dossier to the target's last attempt that reached them."""
    target = Target.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=target.pk)
    require_work_target(actor, target)
    dossier = find_dossier(target, dossier_code)
    if target.dossier_id not in (None, dossier.pk):
        raise ValidationError(
            {"dossier_code": _("Người này đã gắn với hồ sơ %(code)s.") % {"code": target.dossier.code}}
        )
    if dossier.received_at < datetime.combine(
        target.campaign.start_date, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    ):
        raise ValidationError({"dossier_code": _("Hồ sơ này nộp trước khi chiến dịch bắt đầu.")})
    attempt = target.attempts.exclude(outcome__in=(Outcome.NO_ANSWER, Outcome.WRONG_NUMBER)).first()
    if attempt is not None and attempt.dossier_id is None:
        attempt.dossier = dossier
        attempt.save(update_fields=["dossier"])
    target.dossier = dossier
    target.status = Target.Status.CONVERTED
    target.next_action_at = None
    target.save(update_fields=["dossier", "status", "next_action_at", "updated_at"])
    audit.record(actor, audit.Action.UPDATE, target, changes={"dossier": dossier.code})
    return target
