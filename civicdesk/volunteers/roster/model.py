"""The roster's vocabulary: the shifts to staff, the volunteers, the weights, and what the engine answers.

Plain frozen dataclasses, no Django. Every explanation is a ``Reason`` (a code and JSON params: str, int; dates as
ISO strings, weeks as "2026-W10"), never a sentence: the application renders the codes in the reader's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Parts of the working day at the commune centre, in calendar order.
PARTS = ("am", "pm")

# Availability meant by an empty ``Volunteer.available``: Monday to Friday, both parts.
DEFAULT_AVAILABLE = frozenset((weekday, part) for weekday in range(5) for part in PARTS)

# Points → the integers CP-SAT maximises (0.01 point).
SCALE = 100


@dataclass(frozen=True)
class Slot:
    """One shift to staff: a day and a part of the day at the commune centre.

    `demand` is the headcount wanted (from the forecast of citizens arriving), `minimum` the headcount under which
    the centre is short-staffed, `maximum` a hard cap. `skills` are wanted on this slot: each should be held by at
    least one assigned volunteer. `weight` is what a covered unit of demand is worth here (busier online-filing hours
    weigh more). Slots are unique per (day, part).
    """

    key: str
    day: datetime.date
    part: str
    demand: int
    minimum: int = 0
    maximum: int = 10
    skills: frozenset[str] = frozenset()
    weight: float = 1.0

    @property
    def weekday(self) -> int:
        return self.day.weekday()

    @property
    def week(self) -> tuple[int, int]:
        return iso_week(self.day)

    @property
    def target(self) -> int:
        """The headcount the roster aims at: demand, or the minimum when that is higher."""
        return max(self.demand, self.minimum)


@dataclass(frozen=True)
class Volunteer:
    """A youth-union volunteer: skills, the (weekday, part) half-days they can come, days off, weekly limit.

    `available` empty means any weekday (Monday–Friday) morning or afternoon; `max_per_week` None means
    ``Params.max_per_week``.
    """

    key: str
    skills: frozenset[str] = frozenset()
    available: frozenset[tuple[int, str]] = frozenset()
    days_off: frozenset[datetime.date] = frozenset()
    max_per_week: int | None = None

    def covers(self, weekday: int, part: str) -> bool:
        """Whether the volunteer's weekly availability includes this weekday and part (days off aside)."""
        return (weekday, part) in (self.available or DEFAULT_AVAILABLE)


@dataclass(frozen=True)
class Params:
    """Weights of the objective, in points (a covered unit of demand on a slot of weight 1.0 is worth 1 point).

    * `max_per_week`: shifts per ISO week for volunteers without their own limit.
    * `fairness_weight`: penalty per shift of (max − min) shifts among the volunteers who can work at all.
    * `skill_weight`: value of covering a wanted skill on a slot.
    * `minimum_weight`: value of each volunteer up to a slot's `minimum` (on top of demand covered, so a slot is
      brought to its minimum before another goes beyond it; staffing up to the minimum is rewarded even when the
      demand is lower).
    * `overstaff_weight`: penalty per volunteer above max(demand, minimum) on a slot.
    * `time_limit` (seconds), `workers`, `relative_gap` (stop once proven within it): CP-SAT's search.
    * `deterministic`: CP-SAT's interleaved search, whose result does not depend on thread timing (only on the
      instance and `workers`); it gives up a little speed. Reaching the time limit makes any search depend on time.
    * `hint`: start CP-SAT from the greedy roster.

    The defaults keep covering demand first; see the package docstring for the inequalities that make it so.
    """

    max_per_week: int = 3
    fairness_weight: float = 0.1
    skill_weight: float = 0.4
    minimum_weight: float = 0.5
    overstaff_weight: float = 0.15
    time_limit: float = 10.0
    workers: int = 2
    relative_gap: float = 0.0
    deterministic: bool = True
    hint: bool = True

    def __post_init__(self):
        for name in ("fairness_weight", "skill_weight", "minimum_weight", "overstaff_weight", "relative_gap"):
            if getattr(self, name) < 0:
                raise ValueError(f"Params.{name} must be >= 0")
        if self.max_per_week < 0:
            raise ValueError("Params.max_per_week must be >= 0")
        if self.time_limit <= 0 or self.workers < 1:
            raise ValueError("Params.time_limit must be > 0 and Params.workers >= 1")


@dataclass(frozen=True)
class Reason:
    """One explanation: a code with exactly its params, of ``GAP_CODES`` in a Gap, of ``LOCK_CODES`` in a
    LockProblem (the two tables share some code names with different params: render them apart)."""

    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Gap:
    """A slot short of demand, below its minimum, or missing a wanted skill, and why.

    `short` is the headcount short of demand (0 when only the minimum or a skill is missing); `assigned` the
    headcount rostered; `missing_skills` the wanted skills nobody assigned holds, sorted.
    """

    slot_key: str
    short: int
    reasons: tuple[Reason, ...]
    assigned: int = 0
    below_minimum: bool = False
    missing_skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class LockProblem:
    """A lock (slot, volunteer) that breaks a hard rule: it is not applied, and `reason` says which rule."""

    slot_key: str
    volunteer_key: str
    reason: Reason


@dataclass
class RosterResult:
    """A roster and how good it is.

    * `assignments`: every slot key → the keys of its volunteers, sorted (empty tuple when nobody).
    * `shifts_per_volunteer`: every volunteer key → shifts rostered.
    * `covered` = Σ over slots of min(assigned, demand); `demand` = Σ demand.
    * `uncovered`: slot key → headcount short of demand (only > 0); `below_minimum`: slots under their minimum.
    * `fairness`: (min, max) shifts over the volunteers who can work at all (at least one slot passes their hard
      rules and their weekly limit is above 0); (0, 0) when there are none.
    * `gaps`: one ``Gap`` per slot short of demand, below its minimum or missing a wanted skill, in slot order.
    * `status`: "OPTIMAL" (proven), "FEASIBLE" (a roster, not proven optimal: CP-SAT stopped by the time limit or
      the relative gap, or a greedy roster: the baseline, or CP-SAT's fallback when it found none in time), or
      "INFEASIBLE" (cannot happen: the locks that hold always leave a feasible roster).
    * `objective`: the roster's value in points (``score``); `bound`: CP-SAT's proven upper bound in points;
      `gap` = (bound − objective) / max(1, |objective|), both in SCALE units, 0 when proven optimal (None for
      greedy).
    * `seconds`: wall time of the whole call; `lock_problems`: locks not applied, with the rule they break.
    * `method`: "cp_sat" or "greedy" (the roster's origin); `skills`: (wanted skills covered, wanted skills) over all slots;
      `stats`: model sizes and solver figures.
    """

    assignments: dict[str, tuple[str, ...]]
    shifts_per_volunteer: dict[str, int]
    covered: int
    demand: int
    uncovered: dict[str, int]
    below_minimum: tuple[str, ...]
    fairness: tuple[int, int]
    gaps: tuple[Gap, ...]
    status: str
    objective: float
    bound: float | None
    gap: float | None
    seconds: float
    lock_problems: tuple[LockProblem, ...] = ()
    method: str = "cp_sat"
    skills: tuple[int, int] = (0, 0)
    stats: dict = field(default_factory=dict)


# Why a slot is short (Gap.reasons), in the order they are listed, with their params. Counts are of volunteers.
GAP_CODES: dict[str, tuple[str, ...]] = {
    # The demand is above the slot's hard cap: the cap alone leaves it short.
    "demand_above_maximum": ("demand", "maximum"),
    # Nobody's weekly availability covers that weekday and part (weekday 0 = Monday).
    "nobody_available": ("weekday", "part"),
    # `count` volunteers who come on that weekday and part have the day off.
    "day_off": ("count",),
    # `count` volunteers who could come are ruled out for this slot (they declined it).
    "forbidden": ("count",),
    # Only `count` volunteers can work this slot at all, fewer than wanted.
    "few_available": ("count",),
    # `count` volunteers who can work this slot already have their weekly limit of shifts in ISO `week`.
    "at_weekly_limit": ("count", "week"),
    # `count` volunteers could still have come but were not rostered (the greedy baseline's choice, a trade-off of
    # the objective, or a search stopped early).
    "not_chosen": ("count",),
    # A wanted skill: nobody who can work this slot holds it.
    "skill_missing": ("skill",),
    # A wanted skill: the `count` volunteers who hold it and can work the slot are at their weekly limit.
    "skill_at_weekly_limit": ("skill", "count", "week"),
    # A wanted skill: `count` holders could have come but were not rostered (the slot is at its maximum, or as
    # for "not_chosen").
    "skill_not_chosen": ("skill", "count"),
}

# Why a lock is not applied (LockProblem.reason), checked in this order.
LOCK_CODES: dict[str, tuple[str, ...]] = {
    "unknown_slot": (),
    "unknown_volunteer": (),
    "forbidden": (),  # the same pair is also forbidden (e.g. the volunteer declined)
    "not_available": ("weekday", "part"),  # outside the volunteer's weekly availability
    "day_off": ("date",),
    "weekly_limit": ("week", "limit"),  # more locks that ISO week than the volunteer's limit: the later ones
    "slot_maximum": ("maximum",),  # more locks on the slot than its maximum: those beyond, by volunteer key
}


def reason(code: str, **params) -> Reason:
    """A Reason of a Gap; the code must be one of GAP_CODES and carry exactly its params."""
    return _checked(GAP_CODES, code, params)


def lock_reason(code: str, **params) -> Reason:
    """A Reason of a LockProblem; the code must be one of LOCK_CODES and carry exactly its params."""
    return _checked(LOCK_CODES, code, params)


def _checked(codes, code, params):
    if code not in codes or set(params) != set(codes[code]):
        raise ValueError(f"bad reason {code!r} {sorted(params)}")
    return Reason(code, params)


def iso_week(day: datetime.date) -> tuple[int, int]:
    iso = day.isocalendar()
    return (iso[0], iso[1])


def week_label(week: tuple[int, int]) -> str:
    """(2026, 10) → "2026-W10"."""
    return f"{week[0]}-W{week[1]:02d}"
