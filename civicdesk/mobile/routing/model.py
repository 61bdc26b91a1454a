"""The trip's vocabulary: places, the hamlets to visit, the day, and what the planner answers.

Plain frozen dataclasses, no Django. Times are whole minutes after midnight (07:30 is 450), distances kilometres.
Every explanation is a ``Reason`` (a code and JSON params: str, int, float), never a sentence: the application
renders the codes in the reader's language. Invalid input raises ``TripError`` (a ValueError) carrying one
``Problem`` per thing wrong, each a code of ``PROBLEM_CODES`` with its params.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Defaults for the roads around Cát Tiên (Lâm Đồng); see the package docstring for why these values.
DEFAULT_SPEED_KMH = 30.0
DEFAULT_ROAD_FACTOR = 1.4
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Place:
    """A point the team starts from or goes to: the commune centre, a hamlet's cultural house.

    `key` is unique within a trip (the application's id); `name` is for display ("Thôn 3"); `lat`, `lon` in
    decimal degrees (WGS 84).
    """

    key: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Stop:
    """A hamlet to visit: where, when its people are gathered, how long the team stays, how much it matters.

    The team serves the hamlet inside its window: service starts at `window_start` at the earliest (arriving
    earlier, it waits) and ends by `window_end` (so it starts by ``latest_start`` = window_end − service_minutes).
    A stop the plan cannot fit is left out with a reason. `priority` (≥ 1) weighs optional stops against each
    other: leaving out a stop of priority 2 costs as much as leaving out two of priority 1. A `required` stop is
    left out only when no plan can include it (it outweighs every optional stop together).
    """

    place: Place
    window_start: int
    window_end: int
    service_minutes: int
    priority: int = 1
    required: bool = False

    @property
    def key(self) -> str:
        return self.place.key

    @property
    def latest_start(self) -> int:
        """The last minute service can start and still end inside the window."""
        return self.window_end - self.service_minutes


@dataclass(frozen=True)
class Trip:
    """One day's trip of the mobile team: from `depot` (the commune centre) to the `stops`, and back.

    The team leaves at `start_minute` and, with `return_to_depot`, must be back by `end_minute` (without it,
    the last service must end by then). Travel minutes between two places are estimated from their coordinates:
    great-circle distance × `road_factor` (the road is longer than the straight line) at `speed_kmh`, rounded up to
    a whole minute. Measured figures replace the estimate pair by pair: `minutes` maps (from key, to key) to road
    minutes, `km` to road kilometres; a pair given one way counts for both ways unless the other way is also given.
    """

    depot: Place
    stops: tuple[Stop, ...]
    start_minute: int
    end_minute: int
    speed_kmh: float = DEFAULT_SPEED_KMH
    road_factor: float = DEFAULT_ROAD_FACTOR
    return_to_depot: bool = True
    minutes: Mapping[tuple[str, str], int] | None = None
    km: Mapping[tuple[str, str], float] | None = None

    def __post_init__(self):
        object.__setattr__(self, "stops", tuple(self.stops))

    @property
    def day_minutes(self) -> int:
        return self.end_minute - self.start_minute


@dataclass(frozen=True)
class Reason:
    """Why a stop is left out: a code of ``LEFT_OUT_CODES`` with exactly its params."""

    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a trip: a code of ``PROBLEM_CODES``, its params, and an English message (for logs;
    the application renders the code)."""

    code: str
    params: dict
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params), "message": self.message}


class TripError(ValueError):
    """The trip cannot be planned as given; `problems` lists every problem found, in input order."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)


@dataclass(frozen=True)
class Visit:
    """A stop in the plan, in visiting order: the leg that brings the team here and the times there.

    `arrival` is when the team gets there, `start` when service starts (the window's start if it arrived earlier:
    `wait` = start − arrival), `departure` = start + service_minutes. `km` and `minutes` are those of the leg from
    the previous place (the centre for the first visit).
    """

    key: str
    name: str
    arrival: int
    start: int
    departure: int
    wait: int
    km: float
    minutes: int
    service_minutes: int
    window_start: int
    window_end: int
    required: bool = False

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "arrival": self.arrival,
            "start": self.start,
            "departure": self.departure,
            "wait": self.wait,
            "km": self.km,
            "minutes": self.minutes,
            "service_minutes": self.service_minutes,
            "window_start": self.window_start,
            "window_end": self.window_end,
            "required": self.required,
        }


@dataclass(frozen=True)
class Leg:
    """A drive between two places of the plan."""

    from_key: str
    to_key: str
    km: float
    minutes: int


@dataclass(frozen=True)
class LeftOut:
    """A stop the plan does not visit, and why (``LEFT_OUT_CODES``)."""

    key: str
    name: str
    reason: Reason
    required: bool = False
    priority: int = 1

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "required": self.required,
            "priority": self.priority,
            **self.reason.as_dict(),
        }


@dataclass
class RoutePlan:
    """The planned trip and what it costs.

    * `visits`: the stops visited, in order, with their times (``Visit``); `return_leg`: the drive back to the
      centre (None without `return_to_depot`, or when nothing is visited and the team stays).
    * `left_out`: the stops not visited, in input order, each with its reason.
    * `depart_minute`: leaving the centre (the trip's start); `return_minute`: back at the centre (None without
      `return_to_depot`); `finish_minute`: back at the centre, or the end of the last service without the return
      (`depart_minute` when nothing is visited).
    * `total_km`, `travel_minutes`: over every leg, the return included; `waiting_minutes`: waiting for windows to
      open; `service_minutes`: spent in the hamlets.
    * `penalty`: the cost of the stops left out; `objective` = travel_minutes + penalty, what the planner minimises
      (the package docstring explains the penalties).
    * `method`: where the order comes from: "routing" (OR-Tools), "exact" (the exhaustive search, when it beat
      the routing search within its time limit), "greedy" (the baseline, or the planner's fallback when better).
    * `proven_optimal`: the exhaustive search ran (trips of few stops) and no order has a lower objective.
    * `seconds`: wall time of the whole call; `depot_key`: the centre's key; `stats`: sizes and the figures of
      each method.
    """

    visits: tuple[Visit, ...]
    left_out: tuple[LeftOut, ...]
    depart_minute: int
    return_leg: Leg | None
    return_minute: int | None
    finish_minute: int
    total_km: float
    travel_minutes: int
    waiting_minutes: int
    service_minutes: int
    penalty: int
    objective: int
    method: str
    proven_optimal: bool
    seconds: float
    depot_key: str = ""
    stats: dict = field(default_factory=dict)

    @property
    def order(self) -> tuple[str, ...]:
        """The keys of the stops visited, in order."""
        return tuple(v.key for v in self.visits)

    @property
    def legs(self) -> tuple[Leg, ...]:
        """Every drive of the trip, from the centre to the first visit and on, the return last."""
        found, previous = [], self.depot_key
        for v in self.visits:
            found.append(Leg(previous, v.key, v.km, v.minutes))
            previous = v.key
        if self.return_leg is not None:
            found.append(self.return_leg)
        return tuple(found)

    @property
    def required_left_out(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.left_out if s.required)

    def as_dict(self) -> dict:
        """A JSON-ready copy (minutes after midnight stay integers; ``clock`` renders them)."""
        return {
            "order": list(self.order),
            "visits": [v.as_dict() for v in self.visits],
            "return_leg": None
            if self.return_leg is None
            else {"km": self.return_leg.km, "minutes": self.return_leg.minutes},
            "left_out": [s.as_dict() for s in self.left_out],
            "depart_minute": self.depart_minute,
            "return_minute": self.return_minute,
            "finish_minute": self.finish_minute,
            "total_km": self.total_km,
            "travel_minutes": self.travel_minutes,
            "waiting_minutes": self.waiting_minutes,
            "service_minutes": self.service_minutes,
            "penalty": self.penalty,
            "objective": self.objective,
            "method": self.method,
            "proven_optimal": self.proven_optimal,
        }


# Why a stop is left out (LeftOut.reason), checked in this order. Minutes after midnight.
LEFT_OUT_CODES: dict[str, tuple[str, ...]] = {
    # Even driving there first, straight from the centre at the start of the day, the team arrives after the last
    # minute service can start (window_end − service_minutes).
    "window_closed_before_reach": ("earliest_arrival", "latest_start"),
    # Driving there first and serving it, the team cannot be back at the centre by the end of the day.
    "day_too_short": ("earliest_return", "end_minute"),
    # The stop fits in the day alone, but not together with the stops visited (their windows, or the day's
    # length, leave no room; or, with the greedy baseline or a search cut short, the planner did not find room).
    "not_fitted": (),
}

# What can be wrong with a trip (TripError.problems), with their params.
PROBLEM_CODES: dict[str, tuple[str, ...]] = {
    "key_invalid": ("key",),  # a place key that is not a non-empty string
    "duplicate_key": ("key",),  # two places of the trip (the centre included) share a key
    "latitude_out_of_range": ("key", "lat"),  # not a number within −90…90
    "longitude_out_of_range": ("key", "lon"),  # not a number within −180…180
    "not_integer": ("key", "field"),  # a time or count that is not a whole number (key "" for the trip's own)
    "day_invalid": ("start_minute", "end_minute"),  # need 0 ≤ start < end ≤ 1440
    "window_invalid": ("key", "window_start", "window_end"),  # the window ends before it starts
    "window_outside_day": ("key", "window_start", "window_end", "start_minute", "end_minute"),
    "service_negative": ("key", "service_minutes"),
    "window_shorter_than_service": ("key", "window_minutes", "service_minutes"),
    "priority_invalid": ("key", "priority"),  # below 1
    "speed_invalid": ("speed_kmh",),  # not a positive number
    "road_factor_invalid": ("road_factor",),  # not a number ≥ 1
    "matrix_pair_invalid": ("matrix", "from_key", "to_key"),  # a key not in the trip, or a place to itself
    "matrix_value_invalid": (
        "matrix",
        "from_key",
        "to_key",
        "value",
    ),  # negative, not finite, minutes not whole
}


def left_out_reason(code: str, **params) -> Reason:
    """A Reason of a LeftOut; the code must be one of LEFT_OUT_CODES and carry exactly its params."""
    if code not in LEFT_OUT_CODES or set(params) != set(LEFT_OUT_CODES[code]):
        raise ValueError(f"bad reason {code!r} {sorted(params)}")
    return Reason(code, params)


def problem(code: str, message: str, **params) -> Problem:
    """A Problem; the code must be one of PROBLEM_CODES and carry exactly its params."""
    if code not in PROBLEM_CODES or set(params) != set(PROBLEM_CODES[code]):
        raise ValueError(f"bad problem {code!r} {sorted(params)}")
    return Problem(code, params, message)


def clock(minute: int) -> str:
    """450 → "07:30" (minutes after midnight as a 24-hour time)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"
