"""Bookings: self sign-up with a waiting list, the coordinator's bookings and locks, drop and swap requests, the
reminder's confirm or decline (a decline reopens the place), check-in and check-out by the shift's QR, no-shows.

A place is held by a booking in Booking.HOLDING; a shift holds at most `maximum`. Every change that frees a place
gives it to the first on the waiting list. The shift row is locked while places are counted.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.workcal import get_calendar
from civicdesk.kernel.actors import person as user_of
from civicdesk.kernel.validators import has_control_characters

from .. import conf
from ..models import Booking, ChangeRequest, Shift, Volunteer
from ..permissions import can_coordinate, is_self, require, require_coordinate, require_self_or_coordinate


def _locked_shift(shift):
    return Shift.objects.select_for_update().get(pk=shift.pk)


def _open_for_booking(shift, now):
    if shift.status == Shift.Status.CANCELLED:
        raise ValidationError(_("Ca này đã hủy."))
    if shift.ends_at(get_calendar().tz) <= now:
        raise ValidationError(_("Ca này đã qua."))


def _holding(shift):
    return shift.bookings.filter(status__in=Booking.HOLDING).count()


def _week_count(volunteer, day):
    monday = day - timedelta(days=day.weekday())
    return volunteer.bookings.filter(
        status__in=Booking.HOLDING, shift__day__range=(monday, monday + timedelta(days=6))
    ).count()


def _promote(shift, now):
    """Give the free places of `shift` to the waiting list, first come first served. Returns who got one."""
    promoted = []
    free = shift.maximum - _holding(shift)
    for booking in shift.bookings.filter(status=Booking.Status.WAITLISTED).order_by("waitlist_at", "pk")[
        : max(0, free)
    ]:
        booking.status = Booking.Status.CONFIRMED
        booking.answered_at = now
        booking.save(update_fields=["status", "answered_at", "updated_at"])
        promoted.append(booking)
    return promoted


@transaction.atomic
def sign_up(actor, shift, volunteer):
    """The volunteer signs up for a published shift: a place if one is free, else the waiting list."""
    require(is_self(actor, volunteer), _("Mỗi người tự đăng ký cho mình."))
    shift = _locked_shift(shift)
    now = timezone.now()
    _open_for_booking(shift, now)
    if shift.status != Shift.Status.PUBLISHED:
        raise ValidationError(_("Ca này chưa công bố."))
    if shift.commune_id != volunteer.person.commune_id or not volunteer.is_active:
        raise ValidationError(_("Chỉ tình nguyện viên của xã đăng ký ca của xã."))
    booking = Booking.objects.filter(shift=shift, volunteer=volunteer).first()
    if booking is not None and booking.status in (*Booking.HOLDING, Booking.Status.WAITLISTED):
        raise ValidationError(_("Bạn đã đăng ký ca này."))
    if _week_count(volunteer, shift.day) >= volunteer.max_per_week:
        raise ValidationError(
            _("Bạn đã có %(n)s ca trong tuần này, mức tối đa đã đăng ký.") % {"n": volunteer.max_per_week}
        )
    full = _holding(shift) >= shift.maximum
    status = Booking.Status.WAITLISTED if full else Booking.Status.CONFIRMED
    if booking is None:
        booking = Booking(shift=shift, volunteer=volunteer, source=Booking.Source.SELF)
    booking.status, booking.answered_at = status, now
    booking.waitlist_at = now if full else None
    booking.save()
    audit.record(actor, audit.Action.CREATE, booking, changes={"status": status})
    return booking


@transaction.atomic
def book(actor, shift, volunteer, *, lock=True):
    """The coordinator puts a volunteer on a shift (over the waiting list), locked against re-rostering."""
    require_coordinate(actor, shift.commune)
    shift = _locked_shift(shift)
    _open_for_booking(shift, timezone.now())
    if shift.commune_id != volunteer.person.commune_id:
        raise ValidationError(_("Chỉ xếp tình nguyện viên của xã."))
    booking = Booking.objects.filter(shift=shift, volunteer=volunteer).first()
    if booking is None or booking.status not in Booking.HOLDING:
        if _holding(shift) >= shift.maximum:
            raise ValidationError(_("Ca đã đủ %(n)s người (tối đa).") % {"n": shift.maximum})
        booking = booking or Booking(shift=shift, volunteer=volunteer)
        booking.status = (
            Booking.Status.ROSTERED if shift.status == Shift.Status.DRAFT else Booking.Status.CONFIRMED
        )
        booking.source = Booking.Source.COORDINATOR
    booking.locked = lock
    booking.save()
    audit.record(actor, audit.Action.UPDATE, booking, changes={"status": booking.status, "locked": lock})
    return booking


@transaction.atomic
def unbook(actor, booking):
    """The coordinator takes a volunteer off a shift; the place goes to the waiting list."""
    require_coordinate(actor, booking.shift.commune)
    shift = _locked_shift(booking.shift)
    booking.status, booking.locked = Booking.Status.DROPPED, False
    booking.save(update_fields=["status", "locked", "updated_at"])
    promoted = _promote(shift, timezone.now())
    audit.record(
        actor, audit.Action.UPDATE, booking, changes={"status": "dropped", "promoted": len(promoted)}
    )
    return promoted


@transaction.atomic
def answer_reminder(actor, booking, *, coming):
    """The volunteer confirms, or declines — which frees the place for the waiting list at once."""
    require_self_or_coordinate(actor, booking.volunteer)
    shift = _locked_shift(booking.shift)
    now = timezone.now()
    _open_for_booking(shift, now)
    if booking.status not in (Booking.Status.ROSTERED, Booking.Status.CONFIRMED):
        raise ValidationError(_("Lượt trực này không còn chờ xác nhận."))
    booking.status = Booking.Status.CONFIRMED if coming else Booking.Status.DECLINED
    booking.answered_at, booking.locked = now, booking.locked and coming
    booking.save(update_fields=["status", "answered_at", "locked", "updated_at"])
    promoted = [] if coming else _promote(shift, now)
    audit.record(actor, audit.Action.UPDATE, booking, changes={"status": booking.status})
    return promoted


@transaction.atomic
def request_change(actor, booking, *, kind, to_volunteer=None, reason=""):
    """A volunteer asks to drop their shift or hand it to another volunteer of the commune."""
    require(is_self(actor, booking.volunteer), _("Mỗi người xin đổi ca của mình."))
    _open_for_booking(booking.shift, timezone.now())
    if booking.status not in (Booking.Status.ROSTERED, Booking.Status.CONFIRMED):
        raise ValidationError(_("Chỉ xin đổi một ca đang giữ chỗ."))
    if has_control_characters(reason) or len(reason) > 300:
        raise ValidationError({"reason": _("Lý do có ký tự không hợp lệ hoặc dài quá 300 ký tự.")})
    if kind == ChangeRequest.Kind.SWAP:
        if to_volunteer is None or to_volunteer.pk == booking.volunteer_id:
            raise ValidationError({"to_volunteer": _("Chọn người nhận ca.")})
        if to_volunteer.person.commune_id != booking.shift.commune_id or not to_volunteer.is_active:
            raise ValidationError({"to_volunteer": _("Người nhận ca phải là tình nguyện viên của xã.")})
    elif kind != ChangeRequest.Kind.DROP:
        raise ValidationError({"kind": _("Chọn xin rút hoặc xin đổi.")})
    if booking.changes.filter(status=ChangeRequest.Status.PENDING).exists():
        raise ValidationError(_("Ca này đã có một đề nghị đang chờ duyệt."))
    change = ChangeRequest.objects.create(
        booking=booking, kind=kind, to_volunteer=to_volunteer if kind == ChangeRequest.Kind.SWAP else None,
        reason=reason.strip(),
    )  # fmt: skip
    audit.record(actor, audit.Action.CREATE, change, changes={"kind": kind})
    return change


@transaction.atomic
def decide_change(actor, change, *, approve):
    """The coordinator approves (the place is dropped, or moved to the named volunteer) or refuses."""
    booking = change.booking
    require_coordinate(actor, booking.shift.commune)
    if change.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("Đề nghị này đã được xử lý."))
    now = timezone.now()
    change.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REFUSED
    change.decided_by, change.decided_at = user_of(actor), now
    change.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        shift = _locked_shift(booking.shift)
        booking.status, booking.locked = Booking.Status.DROPPED, False
        booking.save(update_fields=["status", "locked", "updated_at"])
        if change.kind == ChangeRequest.Kind.SWAP:
            other, _created = Booking.objects.get_or_create(shift=shift, volunteer=change.to_volunteer)
            other.status, other.source, other.answered_at = (
                Booking.Status.CONFIRMED,
                Booking.Source.COORDINATOR,
                now,
            )
            other.save()
        else:
            _promote(shift, now)
    audit.record(actor, audit.Action.TRANSITION, change, changes={"status": change.status})
    return change


def _checkin_window(shift):
    tz = get_calendar().tz
    return shift.starts_at(tz) - timedelta(
        minutes=conf.get("VOLUNTEERS_CHECKIN_EARLY_MINUTES")
    ), shift.ends_at(tz)


@transaction.atomic
def check_in(actor, shift, volunteer, *, token):
    """Check in with the shift's QR code (its token), from the volunteer's phone or the centre's kiosk. Someone
    not booked takes a free place (or is refused when the shift is full). Returns the booking."""
    require_self_or_coordinate(actor, volunteer)
    shift = _locked_shift(shift)
    if token != shift.checkin_token or shift.status != Shift.Status.PUBLISHED:
        raise ValidationError(_("Mã QR không phải của ca đang trực."))
    now = timezone.now()
    opens, closes = _checkin_window(shift)
    if not opens <= now <= closes:
        raise ValidationError(
            _("Chỉ điểm danh từ %(opens)s đến %(closes)s.")
            % {
                "opens": timezone.localtime(opens).strftime("%H:%M"),
                "closes": timezone.localtime(closes).strftime("%H:%M"),
            }
        )
    booking = Booking.objects.filter(shift=shift, volunteer=volunteer).first()
    if booking is None or booking.status not in Booking.HOLDING:
        if _holding(shift) >= shift.maximum:
            raise ValidationError(_("Ca đã đủ người; liên hệ điều phối viên."))
        booking = booking or Booking(shift=shift, volunteer=volunteer, source=Booking.Source.SELF)
    if booking.check_in_at is not None:
        return booking
    booking.status, booking.check_in_at = Booking.Status.ATTENDED, now
    booking.save()
    audit.record(actor, audit.Action.TRANSITION, booking, changes={"check_in": now.isoformat()})
    return booking


@transaction.atomic
def check_out(actor, booking):
    require_self_or_coordinate(actor, booking.volunteer)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("shift").get(pk=booking.pk)
    if booking.check_in_at is None:
        raise ValidationError(_("Chưa điểm danh đến."))
    if booking.check_out_at is None:
        booking.check_out_at = max(timezone.now(), booking.check_in_at)
        booking.save(update_fields=["check_out_at", "updated_at"])
        audit.record(
            actor, audit.Action.TRANSITION, booking, changes={"check_out": booking.check_out_at.isoformat()}
        )
    return booking


@transaction.atomic
def mark_no_show(actor, booking):
    """After the shift: a booked volunteer who never checked in, and did not decline, is marked absent."""
    require_coordinate(actor, booking.shift.commune)
    if booking.shift.ends_at(get_calendar().tz) > timezone.now():
        raise ValidationError(_("Chỉ ghi vắng sau khi ca kết thúc."))
    if booking.check_in_at is not None or booking.status not in (
        Booking.Status.ROSTERED,
        Booking.Status.CONFIRMED,
    ):
        raise ValidationError(_("Lượt trực này không thể ghi vắng."))
    booking.status = Booking.Status.NO_SHOW
    booking.save(update_fields=["status", "updated_at"])
    audit.record(actor, audit.Action.TRANSITION, booking, changes={"status": "no_show"})
    return booking


def volunteer_of(user):
    """The volunteer profile of a user, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.select_related("person").filter(person__user=user).first()


__all__ = [
    "answer_reminder", "book", "can_coordinate", "check_in", "check_out", "decide_change", "mark_no_show",
    "request_change", "sign_up", "unbook", "volunteer_of",
]  # fmt: skip


@transaction.atomic
def record_attendance(actor, booking, *, check_in_at, check_out_at=None):
    """The coordinator records attendance from the centre's paper sign-in sheet (the kiosk was down, a phone had no
    battery): times within the shift's day, check-out after check-in, not in the future."""
    require_coordinate(actor, booking.shift.commune)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("shift").get(pk=booking.pk)
    tz = get_calendar().tz
    day = booking.shift.day
    now = timezone.now()
    for name, moment in (("check_in_at", check_in_at), ("check_out_at", check_out_at)):
        if moment is not None and (timezone.localtime(moment, tz).date() != day or moment > now):
            raise ValidationError({name: _("Giờ phải trong ngày của ca và không ở tương lai.")})
    if check_out_at is not None and check_out_at < check_in_at:
        raise ValidationError({"check_out_at": _("Giờ về phải sau giờ đến.")})
    if booking.status not in (*Booking.HOLDING, Booking.Status.WAITLISTED):
        raise ValidationError(_("Lượt trực này đã rút hoặc báo không đến."))
    booking.status, booking.check_in_at, booking.check_out_at = (
        Booking.Status.ATTENDED,
        check_in_at,
        check_out_at,
    )
    booking.save(update_fields=["status", "check_in_at", "check_out_at", "updated_at"])
    audit.record(actor, audit.Action.UPDATE, booking, changes={"attendance": "sheet"})
    return booking
