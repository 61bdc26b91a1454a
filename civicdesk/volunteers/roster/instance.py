"""What a roster starts from, whichever way it is solved: checked inputs, who can work which slot, which locks hold;
and what a roster is worth (``score``), the same function for CP-SAT and the greedy baseline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .explain import gaps as explain_gaps
from .model import (
    PARTS,
    SCALE,
    LockProblem,
    Params,
    RosterResult,
    Slot,
    Volunteer,
    lock_reason,
    week_label,
)

PART_ORDER = {part: i for i, part in enumerate(PARTS)}


@dataclass(frozen=True)
class Coefficients:
    """The objective's weights as integers (points × SCALE, rounded)."""

    weight: dict[str, int]  # slot key → value of a covered unit of its demand
    minimum: int
    skill: int
    overstaff: int
    fairness: int

    @classmethod
    def of(cls, slots: Iterable[Slot], params: Params) -> Coefficients:
        return cls(
            weight={s.key: round(s.weight * SCALE) for s in slots},
            minimum=round(params.minimum_weight * SCALE),
            skill=round(params.skill_weight * SCALE),
            overstaff=round(params.overstaff_weight * SCALE),
            fairness=round(params.fairness_weight * SCALE),
        )


@dataclass
class Instance:
    """Checked inputs in a fixed order (slots by day then part, volunteers by key) and what follows from them."""

    slots: list[Slot]
    volunteers: list[Volunteer]
    params: Params
    slot: dict[str, Slot]
    volunteer: dict[str, Volunteer]
    limit: dict[str, int]  # volunteer key → shifts allowed per ISO week
    forbidden: frozenset[tuple[str, str]]  # (slot key, volunteer key)
    eligible: dict[str, tuple[str, ...]]  # slot key → volunteers who pass every per-pair hard rule, by key
    locks: tuple[tuple[str, str], ...]  # locks that hold, forced into the roster
    lock_problems: tuple[LockProblem, ...]
    group: tuple[str, ...]  # volunteers who can work at all: the fairness term's set
    coefficients: Coefficients

    @property
    def pairs(self) -> int:
        return sum(len(v) for v in self.eligible.values())


def _check(slots: list[Slot], volunteers: list[Volunteer]):
    if len({s.key for s in slots}) != len(slots):
        raise ValueError("slot keys must be unique")
    if len({(s.day, s.part) for s in slots}) != len(slots):
        raise ValueError("slots must be unique per (day, part)")
    for s in slots:
        if s.part not in PARTS:
            raise ValueError(f"slot {s.key}: part must be one of {PARTS}, not {s.part!r}")
        if s.demand < 0 or not 0 <= s.minimum <= s.maximum:
            raise ValueError(f"slot {s.key}: need demand >= 0 and 0 <= minimum <= maximum")
        if s.weight < 0:
            raise ValueError(f"slot {s.key}: weight must be >= 0")
    if len({v.key for v in volunteers}) != len(volunteers):
        raise ValueError("volunteer keys must be unique")
    for v in volunteers:
        if v.max_per_week is not None and v.max_per_week < 0:
            raise ValueError(f"volunteer {v.key}: max_per_week must be >= 0")
        bad = {part for _, part in v.available} - set(PARTS)
        if bad:
            raise ValueError(f"volunteer {v.key}: unknown parts {sorted(bad)}")


def prepare(
    slots: Iterable[Slot],
    volunteers: Iterable[Volunteer],
    params: Params,
    locked: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
) -> Instance:
    """Check the inputs, find every slot's eligible volunteers and which locks hold.

    A volunteer is eligible for a slot when the slot's weekday and part are in their availability, the day is not
    one of their days off, the pair is not forbidden and their weekly limit is above 0. Locks are checked one by one
    in that order (``LOCK_CODES``), then together: at most the volunteer's limit per ISO week (the earliest slots
    are kept) and at most the slot's maximum (by volunteer key). Duplicate locks count once.
    """
    slots = sorted(slots, key=lambda s: (s.day, PART_ORDER.get(s.part, len(PARTS)), s.key))
    volunteers = sorted(volunteers, key=lambda v: v.key)
    _check(slots, volunteers)
    by_slot = {s.key: s for s in slots}
    by_key = {v.key: v for v in volunteers}
    limit = {v.key: params.max_per_week if v.max_per_week is None else v.max_per_week for v in volunteers}
    forbidden = frozenset((str(s), str(v)) for s, v in forbidden)

    eligible = {}
    for s in slots:
        eligible[s.key] = tuple(
            v.key
            for v in volunteers
            if limit[v.key] > 0
            and v.covers(s.weekday, s.part)
            and s.day not in v.days_off
            and (s.key, v.key) not in forbidden
        )

    problems = []
    candidates = []
    for slot_key, volunteer_key in dict.fromkeys((str(s), str(v)) for s, v in locked):
        s, v = by_slot.get(slot_key), by_key.get(volunteer_key)
        if s is None:
            problem = lock_reason("unknown_slot")
        elif v is None:
            problem = lock_reason("unknown_volunteer")
        elif (slot_key, volunteer_key) in forbidden:
            problem = lock_reason("forbidden")
        elif not v.covers(s.weekday, s.part):
            problem = lock_reason("not_available", weekday=s.weekday, part=s.part)
        elif s.day in v.days_off:
            problem = lock_reason("day_off", date=s.day.isoformat())
        else:
            candidates.append((s, v))
            continue
        problems.append(LockProblem(slot_key, volunteer_key, problem))
    # Together: the weekly limit (earliest kept), then the slot's maximum (by volunteer key).
    per_week = Counter()
    within_week = []
    for s, v in sorted(candidates, key=lambda sv: (sv[0].day, PART_ORDER[sv[0].part], sv[1].key)):
        if per_week[v.key, s.week] >= limit[v.key]:
            problems.append(
                LockProblem(
                    s.key, v.key, lock_reason("weekly_limit", week=week_label(s.week), limit=limit[v.key])
                )
            )
            continue
        per_week[v.key, s.week] += 1
        within_week.append((s, v))
    per_slot = Counter()
    locks = []
    for s, v in sorted(within_week, key=lambda sv: (sv[0].day, PART_ORDER[sv[0].part], sv[1].key)):
        if per_slot[s.key] >= s.maximum:
            problems.append(LockProblem(s.key, v.key, lock_reason("slot_maximum", maximum=s.maximum)))
            continue
        per_slot[s.key] += 1
        locks.append((s.key, v.key))

    can_work = {key for keys in eligible.values() for key in keys}
    order = {s.key: i for i, s in enumerate(slots)}
    return Instance(
        slots=slots,
        volunteers=volunteers,
        params=params,
        slot=by_slot,
        volunteer=by_key,
        limit=limit,
        forbidden=forbidden,
        eligible=eligible,
        locks=tuple(locks),
        lock_problems=tuple(
            sorted(problems, key=lambda p: (order.get(p.slot_key, len(order)), p.slot_key, p.volunteer_key))
        ),
        group=tuple(v.key for v in volunteers if v.key in can_work),
        coefficients=Coefficients.of(slots, params),
    )


def score(inst: Instance, assignments: Mapping[str, Iterable[str]]) -> int:
    """A roster's objective in SCALE units (points × 100), straight from the model's statement:

    Σ over slots of weight × min(n, demand) + minimum_weight × min(n, minimum) + skill_weight × (wanted skills
    held by someone assigned) − overstaff_weight × max(0, n − max(demand, minimum)), minus fairness_weight ×
    (max − min shifts over ``Instance.group``), each weight rounded to SCALE units.
    """
    c = inst.coefficients
    total = 0
    shifts = Counter()
    for s in inst.slots:
        on = tuple(assignments.get(s.key, ()))
        n = len(on)
        shifts.update(on)
        held = set().union(*(inst.volunteer[v].skills for v in on)) if on else set()
        total += c.weight[s.key] * min(n, s.demand)
        total += c.minimum * min(n, s.minimum)
        total += c.skill * len(s.skills & held)
        total -= c.overstaff * max(0, n - s.target)
    if inst.group:
        counts = [shifts[v] for v in inst.group]
        total -= c.fairness * (max(counts) - min(counts))
    return total


def check_roster(inst: Instance, assignments: Mapping[str, Iterable[str]]) -> None:
    """Raise AssertionError if a roster breaks a hard rule (a programming error in a solver)."""
    per_week = Counter()
    for s in inst.slots:
        on = tuple(assignments.get(s.key, ()))
        assert len(on) == len(set(on)), s.key
        assert len(on) <= s.maximum, s.key
        allowed = set(inst.eligible[s.key])
        assert set(on) <= allowed, (s.key, sorted(set(on) - allowed))
        for v in on:
            per_week[v, s.week] += 1
    for (v, _week), n in per_week.items():
        assert n <= inst.limit[v], v
    for slot_key, volunteer_key in inst.locks:
        assert volunteer_key in assignments.get(slot_key, ()), (slot_key, volunteer_key)


def result(
    inst: Instance,
    assignments: Mapping[str, Iterable[str]],
    *,
    status: str,
    bound: float | None,
    gap: float | None,
    seconds: float,
    method: str,
    stats: dict,
) -> RosterResult:
    """The RosterResult of a roster (explanations included)."""
    roster = {s.key: tuple(sorted(assignments.get(s.key, ()))) for s in inst.slots}
    shifts = Counter(v for on in roster.values() for v in on)
    held = {
        s.key: set().union(*(inst.volunteer[v].skills for v in roster[s.key])) if roster[s.key] else set()
        for s in inst.slots
    }
    counts = [shifts[v] for v in inst.group]
    objective = score(inst, roster)
    return RosterResult(
        assignments=roster,
        shifts_per_volunteer={v.key: shifts[v.key] for v in inst.volunteers},
        covered=sum(min(len(roster[s.key]), s.demand) for s in inst.slots),
        demand=sum(s.demand for s in inst.slots),
        uncovered={s.key: s.demand - len(roster[s.key]) for s in inst.slots if len(roster[s.key]) < s.demand},
        below_minimum=tuple(s.key for s in inst.slots if len(roster[s.key]) < s.minimum),
        fairness=(min(counts), max(counts)) if counts else (0, 0),
        gaps=explain_gaps(inst, roster),
        status=status,
        objective=objective / SCALE,
        bound=bound,
        gap=gap,
        seconds=seconds,
        lock_problems=inst.lock_problems,
        method=method,
        skills=(
            sum(len(s.skills & held[s.key]) for s in inst.slots),
            sum(len(s.skills) for s in inst.slots),
        ),
        stats={"objective_units": objective, **stats},
    )
