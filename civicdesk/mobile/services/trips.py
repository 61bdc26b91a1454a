"""A trip of the mobile team: the day, the hamlets with the window when each gathers its people and the time the team
stays, and the route between them (`routing.plan`: OR-Tools, from the hamlets' coordinates), saved on the trip."""

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.geo.models import Hamlet
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.roles import Role
from civicdesk.kernel.validators import validate_no_control_characters
from civicdesk.servicedesk.permissions import can_receive

from .. import routing
from ..models import Trip, TripStop

PLANNERS = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.MOBILE_TEAM}
MAX_STOPS = 15  # what the route engine is benchmarked to plan in ≤ 2 s (docs/benchmarks/mobile.md)


def _minutes(value):
    return value.hour * 60 + value.minute


def _time(minutes):
    return time(minutes // 60, minutes % 60)


def can_plan(user, commune_id):
    return can_receive(user, commune_id) and user.role in PLANNERS


def _route(commune, stops, leave_at, back_by):
    """The routing engine's plan for these stops (a `routing.RoutePlan`), or ValidationError in Vietnamese."""
    if commune.lat is None or commune.lon is None:
        raise ValidationError(
            _("Xã chưa có tọa độ Trung tâm: cần tọa độ để tính đường đi (trang Xã, phường).")
        )
    depot = routing.Place("centre", commune.name, commune.lat, commune.lon)
    trip = routing.Trip(
        depot=depot,
        stops=tuple(
            routing.Stop(
                place=routing.Place(str(s["hamlet"].pk), s["hamlet"].name, s["hamlet"].lat, s["hamlet"].lon),
                window_start=_minutes(s["window_start"]),
                window_end=_minutes(s["window_end"]),
                service_minutes=s["service_minutes"],
            )
            for s in stops
        ),
        start_minute=_minutes(leave_at),
        end_minute=_minutes(back_by),
    )
    try:
        return routing.plan(trip)
    except routing.TripError as exc:
        raise ValidationError([problem_text(p) for p in exc.problems]) from exc


def problem_text(problem):
    """A routing problem in the reader's language."""
    texts = {
        "window_outside_day": _("Giờ tập trung dân ở %(name)s nằm ngoài giờ đi và về của chuyến."),
        "window_shorter_than_service": _(
            "Giờ tập trung dân ở %(name)s ngắn hơn thời gian làm việc tại thôn."
        ),
        "bad_coordinates": _("Tọa độ của %(name)s không hợp lệ."),
    }
    text = texts.get(problem.code)
    name = problem.params.get("name") or problem.params.get("key") or ""
    return text % {"name": name} if text else problem.message


def reason_text(code):
    return {
        "window_closed_before_reach": _("đến nơi thì đã quá giờ tập trung dân, kể cả khi đi thôn này trước"),
        "day_too_short": _("không kịp về Trung tâm trước giờ về, kể cả khi chỉ đi thôn này"),
        "not_fitted": _("không xếp được cùng các thôn khác trong ngày: tách sang chuyến khác"),
    }.get(code, code)


def plan_trip(actor, commune, *, day, title, leave_at, back_by, stops, procedure_codes=(), today=None):
    """Create a trip and its route. `stops`: [{"hamlet": Hamlet, "window_start": time, "window_end": time,
    "service_minutes": int}]; `today` (the demo's anchor day; else the local date) bounds the day. Raises
    ValidationError (by field) or PermissionDenied."""
    if not can_plan(actor, commune.pk):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được lên kế hoạch chuyến đi."))
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = [_("Đặt tên cho chuyến (ví dụ: “Thôn 3, thôn 5 — khai sinh, chứng thực”).")]
    else:
        try:
            validate_no_control_characters(title)
        except ValidationError as exc:
            errors["title"] = exc.messages
    if not isinstance(day, date) or day < (today or timezone.localdate()):
        errors["day"] = [_("Ngày đi phải từ hôm nay trở đi.")]
    if leave_at >= back_by:
        errors["back_by"] = [_("Giờ về phải sau giờ đi.")]
    if not stops:
        errors["stops"] = [_("Chọn ít nhất một thôn.")]
    elif len(stops) > MAX_STOPS:
        errors["stops"] = [_("Một chuyến đi tối đa %(n)s thôn.") % {"n": MAX_STOPS}]
    for stop in stops:
        hamlet = stop["hamlet"]
        if hamlet.commune_id != commune.pk:
            errors["stops"] = [_("Thôn %(name)s không thuộc xã.") % {"name": hamlet.name}]
        elif hamlet.lat is None or hamlet.lon is None:
            errors.setdefault("stops", []).append(
                _("Thôn %(name)s chưa có tọa độ: cần tọa độ để tính đường đi.") % {"name": hamlet.name}
            )
        if stop["window_start"] >= stop["window_end"]:
            errors.setdefault("stops", []).append(
                _("Giờ tập trung dân ở %(name)s: giờ kết thúc phải sau giờ bắt đầu.") % {"name": hamlet.name}
            )
    codes = [c for c in dict.fromkeys(procedure_codes) if c]
    known = set(
        Procedure.objects.exclude(status=Procedure.Status.ARCHIVED)
        .filter(code__in=codes)
        .values_list("code", flat=True)
    )
    if set(codes) - known:
        errors["procedure_codes"] = [
            _("Không có thủ tục mã %(code)s.") % {"code": ", ".join(sorted(set(codes) - known))}
        ]
    if errors:
        raise ValidationError(errors)
    route = _route(commune, stops, leave_at, back_by)
    with transaction.atomic():
        trip = Trip.objects.create(
            commune=commune, day=day, title=title[:200], leave_at=leave_at, back_by=back_by, procedure_codes=codes,
            created_by=actor, route_km=round(route.total_km, 1), route_minutes=route.travel_minutes,
        )  # fmt: skip
        trip.members.add(actor)
        order = {visit.key: (position, visit) for position, visit in enumerate(route.visits, start=1)}
        left = {item.key: item.reason.code for item in route.left_out}
        for stop in stops:
            key = str(stop["hamlet"].pk)
            position, visit = order.get(key, (None, None))
            TripStop.objects.create(
                trip=trip, hamlet=stop["hamlet"], window_start=stop["window_start"], window_end=stop["window_end"],
                service_minutes=stop["service_minutes"], position=position,
                planned_arrival=_time(visit.start) if visit else None, left_out=left.get(key, ""),
            )  # fmt: skip
        audit.record(
            actor, audit.Action.CREATE, trip, changes={"stops": len(stops), "route_km": trip.route_km}
        )
    return trip


def hamlets_for(commune):
    return Hamlet.objects.filter(commune=commune).order_by("name")


def announce_trip(actor, trip, *, places=None, bring="", at=None):
    """Tell the hamlets' citizens about the trip through the registered announcer (outreach); see `mobile.announce`.

    Refused: no announcer, a user who may not plan the commune's trips, a cancelled trip or a day already past (the
    announcer refuses what its own rules forbid: outside the contact hours…). Returns the announcer's state.
    """
    from ..announce import announcement_for, announcer

    found = announcer()
    if found is None:
        raise ValidationError(_("Chưa có phân hệ tiếp cận người dân để gửi thông báo."))
    if not can_plan(actor, trip.commune_id):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được thông báo chuyến đi."))
    at = at or timezone.now()
    if trip.status == Trip.Status.CANCELLED:
        raise ValidationError(_("Chuyến đi đã hủy."))
    if trip.day < timezone.localtime(at).date():
        raise ValidationError(_("Chuyến đi đã qua: không thông báo cho ngày đã qua."))
    return found.announce(actor, announcement_for(trip, places=places, bring=bring), at=at)


def reschedule_trip(actor, trip, *, day, today=None):
    """Move a planned trip to another day (the route, in hours of the day, stays). Once announced, the trip's page
    then offers the correction to the citizens already told."""
    if not can_plan(actor, trip.commune_id):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được lên kế hoạch chuyến đi."))
    today = today or timezone.localdate()
    if trip.status != Trip.Status.PLANNED:
        raise ValidationError({"day": [_("Chỉ đổi ngày của chuyến chưa đi.")]})
    if trip.day < today:
        raise ValidationError({"day": [_("Chuyến đi đã qua.")]})
    if not isinstance(day, date) or day < today:
        raise ValidationError({"day": [_("Ngày đi phải từ hôm nay trở đi.")]})
    if day == trip.day:
        return trip
    with transaction.atomic():
        old = trip.day
        trip.day = day
        trip.save(update_fields=["day"])
        audit.record(actor, audit.Action.UPDATE, trip, changes={"day": [old.isoformat(), day.isoformat()]})
    return trip
