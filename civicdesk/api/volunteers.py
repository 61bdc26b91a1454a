"""Volunteers API: generate a period's shifts, auto-roster them, check in to a shift by its QR token, log a citizen
helped, and read the shifts. Scoped as the pages are: another commune's shift is a 404; the services decide the 403s
(coordinators are the commune's officers and leaders; a volunteer acts for themself)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from civicdesk.volunteers import services
from civicdesk.volunteers.messages import lock_text, reason_text
from civicdesk.volunteers.models import Booking, Help, Shift, Skill, Volunteer
from civicdesk.volunteers.services.roster import auto_roster

from .base import Paging, answers, scoped_commune

router = Router(tags=["volunteers"])

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _period(start, end):
    for name, day in (("start", start), ("end", end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(
                {name: _("Ngày phải trong khoảng năm %(a)s–%(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}}
            )


def _local(moment):
    return timezone.localtime(moment) if moment else None


class ShiftPeriodIn(Schema):
    commune_code: int | None = Field(
        None, description="Chỉ cấp tỉnh: mã xã (cán bộ xã: xã của mình).", examples=[25000]
    )
    start: date = Field(examples=["2026-03-02"])
    end: date = Field(examples=["2026-04-30"])


class ShiftsGeneratedOut(Schema):
    created: int = Field(description="Số ca mới tạo.")
    updated: int = Field(description="Số ca đang xếp được cập nhật số người cần theo dự báo.")


class RosterIn(ShiftPeriodIn):
    publish: bool = Field(False, description="Công bố các ca ngay sau khi xếp.")


class RosterReasonOut(Schema):
    code: str = Field(description="nobody_available, at_weekly_limit, day_off, skill_missing, forbidden…")
    params: dict
    message: str


class RosterGapOut(Schema):
    shift_id: int
    day: date
    part: str
    short: int = Field(description="Số người còn thiếu so với dự báo.")
    reasons: list[RosterReasonOut]


class RosterLockOut(Schema):
    shift_id: int | None
    volunteer_id: int | None
    code: str = Field(description="forbidden, not_available, day_off, weekly_limit, slot_maximum…")
    params: dict
    message: str


class RosterOut(Schema):
    run_id: int
    status: str = Field(description="OPTIMAL (chứng minh tối ưu) hoặc FEASIBLE (kèm gap).")
    gap: float | None = Field(description="Khoảng cách tương đối đến tối ưu đã chứng minh (0 = tối ưu).")
    seconds: float
    shifts: int
    bookings: int
    demand: int
    covered: int
    fairness_min: int | None = Field(description="Số ca ít nhất của một tình nguyện viên.")
    fairness_max: int | None = Field(description="Số ca nhiều nhất của một tình nguyện viên.")
    published: int
    assignments: dict[str, list[int]] = Field(description="Khóa ca (YYYY-MM-DD:am|pm) → mã tình nguyện viên.")
    uncovered: list[RosterGapOut]
    lock_problems: list[RosterLockOut] = Field(description="Các lượt giữ cố định không giữ được, kèm lý do.")


class ShiftCheckinIn(Schema):
    token: str = Field(max_length=40, description="Mã trong QR của ca.")
    volunteer_id: int | None = Field(
        None, description="Chỉ điều phối viên (máy ở Trung tâm): điểm danh cho người này."
    )


class VolunteerBookingOut(Schema):
    id: int
    shift_id: int
    volunteer_id: int
    status: str
    check_in_at: datetime | None
    check_out_at: datetime | None
    hours: float


class VolunteerHelpIn(Schema):
    volunteer_id: int | None = Field(None, description="Để trống: chính người gửi (tình nguyện viên).")
    procedure_code: str = Field("", max_length=40, examples=["HT-001"])
    filed_online: bool = False
    dossier_code: str = Field("", max_length=40)
    note: str = Field("", max_length=300)


class VolunteerHelpOut(Schema):
    id: int
    volunteer_id: int
    at: datetime
    procedure_code: str | None
    filed_online: bool
    dossier_code: str | None
    shift_id: int | None


class VolunteerShiftOut(Schema):
    id: int
    day: date
    part: str
    start: str
    end: str
    status: str
    minimum: int
    maximum: int
    demand: int
    skills: list[str] = Field(description=", ".join(Skill.values))
    booked: int


def _booking_out(booking):
    return {
        "id": booking.pk,
        "shift_id": booking.shift_id,
        "volunteer_id": booking.volunteer_id,
        "status": booking.status,
        "check_in_at": _local(booking.check_in_at),
        "check_out_at": _local(booking.check_out_at),
        "hours": booking.hours,
    }


def _volunteer(request, volunteer_id):
    if volunteer_id is None:
        volunteer = services.volunteer_of(request.user)
        if volunteer is None:
            raise ValidationError(
                {"volunteer_id": _("Tài khoản này không phải tình nguyện viên: ghi volunteer_id.")}
            )
        return volunteer
    return get_object_or_404(
        Volunteer.objects.visible_to(request.user).select_related("person"), pk=volunteer_id
    )


@router.post(
    "/shifts/generate",
    response=answers({201: ShiftsGeneratedOut}, 400, 403, 404, 422),
    summary="Tạo ca trực của một khoảng thời gian từ ca mẫu, theo lịch làm việc, kèm số người cần theo dự báo",
)
def generate_shifts(request, payload: ShiftPeriodIn):
    _period(payload.start, payload.end)
    commune = scoped_commune(request, payload.commune_code)
    created, updated = services.generate_shifts(request.user, commune, start=payload.start, end=payload.end)
    return Status(201, {"created": created, "updated": updated})


@router.post(
    "/roster",
    response=answers(RosterOut, 400, 403, 404, 422),
    summary="Xếp lịch tự động các ca đang xếp của một khoảng thời gian (OR-Tools CP-SAT)",
)
def roster(request, payload: RosterIn):
    _period(payload.start, payload.end)
    commune = scoped_commune(request, payload.commune_code)
    run = auto_roster(request.user, commune, start=payload.start, end=payload.end)
    shifts = {s.pk: s for s in Shift.objects.filter(commune=commune, day__range=(payload.start, payload.end))}
    assignments = {}
    for booking in Booking.objects.filter(
        shift__in=list(shifts.values()), status__in=Booking.HOLDING
    ).order_by("volunteer_id"):
        assignments.setdefault(shifts[booking.shift_id].key, []).append(booking.volunteer_id)
    published = (
        services.publish(request.user, commune, start=payload.start, end=payload.end)
        if payload.publish
        else 0
    )
    return {
        "run_id": run.pk, "status": run.status, "gap": run.gap, "seconds": run.seconds, "shifts": run.shifts,
        "bookings": run.bookings, "demand": run.demand, "covered": run.covered, "fairness_min": run.fairness_min,
        "fairness_max": run.fairness_max, "published": published, "assignments": assignments,
        "uncovered": [
            {"shift_id": g["shift"], "day": shifts[g["shift"]].day, "part": shifts[g["shift"]].part, "short": g["short"],
             "reasons": [{**r, "message": reason_text(r["code"], r["params"])} for r in g["reasons"]]}
            for g in run.gaps if g["shift"] in shifts
        ],
        "lock_problems": [
            {"shift_id": p["shift"], "volunteer_id": p["volunteer"], "code": p["code"], "params": p["params"],
             "message": lock_text(p["code"], p["params"])}
            for p in run.lock_problems
        ],
    }  # fmt: skip


@router.get(
    "/shifts",
    response=answers(list[VolunteerShiftOut], 404, 422),
    summary="Các ca trực của xã trong một khoảng thời gian",
)
def list_shifts(request, paging: Query[Paging], start: date, end: date, commune_code: int | None = None):
    _period(start, end)
    commune = scoped_commune(request, commune_code)
    rows = (
        Shift.objects.visible_to(request.user)
        .filter(commune=commune, day__range=(start, end))
        .order_by("day", "part")
    )
    return [
        {
            "id": s.pk, "day": s.day, "part": s.part, "start": s.start.strftime("%H:%M"), "end": s.end.strftime("%H:%M"),
            "status": s.status, "minimum": s.minimum, "maximum": s.maximum, "demand": s.demand,
            "skills": list(s.skills or []), "booked": s.bookings.on_shift().count(),
        }
        for s in paging.page(rows)
    ]  # fmt: skip


@router.post(
    "/shifts/{shift_id}/checkin",
    response=answers({201: VolunteerBookingOut}, 400, 403, 404, 422),
    summary="Điểm danh đến ca bằng mã QR của ca",
)
def checkin(request, shift_id: int, payload: ShiftCheckinIn):
    shift = get_object_or_404(Shift.objects.visible_to(request.user), pk=shift_id)
    volunteer = _volunteer(request, payload.volunteer_id)
    booking = services.check_in(request.user, shift, volunteer, token=payload.token)
    return Status(201, _booking_out(Booking.objects.select_related("shift").get(pk=booking.pk)))


@router.post(
    "/help",
    response=answers({201: VolunteerHelpOut}, 400, 403, 404, 422),
    summary="Ghi một người dân được hỗ trợ (thủ tục, đã nộp trực tuyến, mã hồ sơ nếu có)",
)
def log_help(request, payload: VolunteerHelpIn):
    volunteer = _volunteer(request, payload.volunteer_id)
    help_ = services.log_help(
        request.user, volunteer, procedure_code=payload.procedure_code, filed_online=payload.filed_online,
        dossier_code=payload.dossier_code, note=payload.note,
    )  # fmt: skip
    help_ = Help.objects.select_related("procedure", "dossier", "booking").get(pk=help_.pk)
    return Status(
        201,
        {
            "id": help_.pk, "volunteer_id": help_.volunteer_id, "at": _local(help_.at),
            "procedure_code": help_.procedure.code if help_.procedure else None, "filed_online": help_.filed_online,
            "dossier_code": help_.dossier.code if help_.dossier else None,
            "shift_id": help_.booking.shift_id if help_.booking else None,
        },
    )  # fmt: skip
