"""Auto-roster: the commune's draft shifts of a period staffed by its active volunteers with OR-Tools CP-SAT
(`volunteers/roster/`, Django-free), within availability, weekly limits and skills, covering the forecast demand
first and spreading shifts fairly; the coordinator's locked bookings stay, declined or dropped ones are not undone.

The previous auto-roster bookings of those shifts (not locked) are replaced. Each slot left short is explained.
"""

import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import person as user_of

from .. import roster as engine
from ..models import Booking, RosterRun, Shift, Volunteer
from ..permissions import require_coordinate

MAX_SHIFTS = 1000


@dataclass(frozen=True)
class Inputs:
    slots: list
    volunteers: list
    locked: list
    forbidden: list
    shifts: dict  # slot key -> Shift
    people: dict  # volunteer key -> Volunteer


def _slot(shift):
    return engine.Slot(
        key=shift.key,
        day=shift.day,
        part=shift.part,
        demand=shift.demand,
        minimum=shift.minimum,
        maximum=shift.maximum,
        skills=frozenset(shift.skills or ()),
    )


def inputs(commune, start, end):
    """The engine's instance for the commune's draft shifts `start`..`end`."""
    shifts = list(
        Shift.objects.filter(commune=commune, day__range=(start, end), status=Shift.Status.DRAFT).order_by(
            "day", "part"
        )
    )
    if not shifts:
        raise ValidationError(
            _("Không có ca đang xếp trong khoảng này: tạo ca trước (các ca đã công bố không xếp lại).")
        )
    if len(shifts) > MAX_SHIFTS:
        raise ValidationError(_("Mỗi lần xếp tối đa %(n)s ca.") % {"n": MAX_SHIFTS})
    people = {
        str(v.pk): v
        for v in Volunteer.objects.active()
        .filter(person__commune=commune)
        .select_related("person")
        .order_by("pk")
    }
    slots = [_slot(s) for s in shifts]
    volunteers = [
        engine.Volunteer(
            key=key,
            skills=frozenset(v.skills or ()),
            available=frozenset(v.available()),
            max_per_week=v.max_per_week,
        )
        for key, v in people.items()
    ]
    by_pk = {s.pk: s for s in shifts}
    locked, forbidden = [], []
    for booking in Booking.objects.filter(shift__in=shifts).select_related("shift"):
        key = (by_pk[booking.shift_id].key, str(booking.volunteer_id))
        if booking.locked and booking.status in Booking.HOLDING:
            locked.append(key)
        elif booking.status in (Booking.Status.DECLINED, Booking.Status.DROPPED):
            forbidden.append(key)
    return Inputs(slots, volunteers, locked, forbidden, {s.key: s for s in shifts}, people)


def _plain(params):
    """Reason parameters as JSON values (sets and dates become lists and ISO strings)."""
    out = {}
    for name, value in dict(params).items():
        if isinstance(value, (set, frozenset, list, tuple)):
            value = sorted(str(v) for v in value)
        elif not isinstance(value, (int, float, str, bool, type(None))):
            value = str(value)
        out[name] = value
    return out


@transaction.atomic
def auto_roster(actor, commune, *, start, end, time_limit=10.0):
    """Roster the draft shifts of `start`..`end`; returns the saved RosterRun."""
    require_coordinate(actor, commune)
    if end < start:
        raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    data = inputs(commune, start, end)
    started = time.perf_counter()
    result = engine.solve_roster(
        data.slots,
        data.volunteers,
        engine.Params(time_limit=time_limit),
        locked=data.locked,
        forbidden=data.forbidden,
    )
    seconds = time.perf_counter() - started
    shifts = list(data.shifts.values())
    Booking.objects.filter(
        shift__in=shifts, source=Booking.Source.ROSTER, locked=False, status=Booking.Status.ROSTERED
    ).delete()
    held = set(
        Booking.objects.filter(shift__in=shifts, status__in=Booking.HOLDING).values_list(
            "shift_id", "volunteer_id"
        )
    )
    new = []
    for key, volunteer_keys in result.assignments.items():
        shift = data.shifts[key]
        for volunteer_key in volunteer_keys:
            volunteer = data.people[volunteer_key]
            if (shift.pk, volunteer.pk) in held:
                continue
            existing = Booking.objects.filter(shift=shift, volunteer=volunteer).first()
            if (
                existing is not None
            ):  # an earlier drop or decline: the engine was told not to, so this is a lock
                continue
            new.append(
                Booking(
                    shift=shift,
                    volunteer=volunteer,
                    status=Booking.Status.ROSTERED,
                    source=Booking.Source.ROSTER,
                )
            )
    Booking.objects.bulk_create(new)
    low, high = result.fairness if result.fairness else (None, None)
    run = RosterRun.objects.create(
        commune=commune, start=start, end=end, status=result.status, shifts=len(shifts),
        bookings=sum(len(v) for v in result.assignments.values()), demand=result.demand, covered=result.covered,
        fairness_min=low, fairness_max=high, gap=result.gap, seconds=round(seconds, 2),
        gaps=[
            {"shift": data.shifts[g.slot_key].pk, "short": g.short,
             "reasons": [{"code": r.code, "params": _plain(r.params)} for r in g.reasons]}
            for g in result.gaps
        ],
        lock_problems=[
            {"shift": data.shifts[p.slot_key].pk if p.slot_key in data.shifts else None,
             "volunteer": int(p.volunteer_key) if p.volunteer_key.isdigit() else None,
             "code": p.reason.code, "params": _plain(p.reason.params)}
            for p in result.lock_problems
        ],
        by=user_of(actor),
    )  # fmt: skip
    audit.record(
        actor, audit.Action.CREATE, run,
        changes={"status": result.status, "covered": result.covered, "demand": result.demand},
    )  # fmt: skip
    return run
