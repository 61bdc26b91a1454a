"""The engine's vocabulary: who speaks what, who asks for what, the weights, and what the engine answers.

Plain frozen dataclasses, no Django. Every message the engine emits is a ``{"code": …, "params": {…}}`` dict whose
params are JSON values only (str, int, float, ISO dates as strings), so a proposal's reasons can be stored in a
JSONField as they are and rendered later in the reader's language (``civicdesk.community.reasons``).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

# Half-days of the working calendar: morning 07:30–11:30, afternoon 13:30–17:00.
SLOTS = ("am", "pm")

EARTH_RADIUS_KM = 6371.0

# Score points → the integers the week's plan maximises (0.01 point).
SCALE = 100


def scaled(score: float) -> int:
    return round(score * SCALE)


@dataclass(frozen=True)
class Skill:
    """One language a person speaks, with levels 0–5 (None = not assessed) and whether it is certified."""

    code: str
    dialect: str = ""
    listening: int | None = None
    speaking: int | None = None
    reading: int | None = None
    writing: int | None = None
    certified: bool = False  # a certificate under Circular 09/2023/TT-BGDĐT

    @property
    def oral_level(self) -> int | None:
        """min(listening, speaking) when both are known, the known one when only one is, None when neither is."""
        known = [v for v in (self.listening, self.speaking) if v is not None]
        return min(known) if known else None


@dataclass(frozen=True)
class Speaker:
    """An official or volunteer who can go with a citizen, with what is already booked for them."""

    id: int
    lat: float | None
    lon: float | None
    skills: tuple[Skill, ...]
    weekly_capacity: int = 5
    daily_capacity: int = 2
    booked: frozenset = frozenset()  # {(date, slot)} taken by earlier assignments
    booked_per_day: Mapping = field(default_factory=dict)  # {date: visits already assigned that day}
    booked_per_week: Mapping = field(default_factory=dict)  # {(iso_year, iso_week): visits already assigned}
    unavailable: frozenset = frozenset()  # {date} on leave or busy all day
    available_slots: frozenset | None = None  # {(weekday 0–6, slot)}; None = Monday–Friday, both slots

    def offers(self, day: datetime.date, slot: str) -> bool:
        """True when this person goes out on that half-day of the week (not counting bookings)."""
        if self.available_slots is None:
            return day.weekday() < 5
        return (day.weekday(), slot) in self.available_slots


@dataclass(frozen=True)
class Request:
    """A citizen's request for a speaker of `language` on `date`, in one of `slots`, at (lat, lon).

    `excluded`: speaker ids this request must not go to (they declined it); not part of the scoring.
    """

    id: int
    language: str
    date: datetime.date
    slots: tuple[str, ...] = SLOTS
    lat: float | None = None
    lon: float | None = None
    dialect: str = ""
    min_level: int = 2
    excluded: frozenset = frozenset()


@dataclass(frozen=True)
class Params:
    """The hard limit on distance and the weights of the score (points; they sum to 100 with the defaults)."""

    max_distance_km: float = 40.0
    # Great-circle km × road_factor = estimated road km: highland roads wind round hills and valleys.
    road_factor: float = 1.4
    w_skill: float = 40.0
    w_certified: float = 10.0
    w_dialect: float = 5.0
    w_distance: float = 30.0
    w_workload: float = 15.0


# The defaults, shared (Params is frozen): the entry points' default argument.
DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class Proposal:
    """`speaker_id` can go to request `request_id` in `slot`, scoring `score` points (`components` add up to it).

    `distance_km` is the estimated road distance, None when a location is unknown. `reasons` are message dicts.
    """

    request_id: int
    speaker_id: int
    score: float
    slot: str
    distance_km: float | None
    components: dict
    reasons: tuple[dict, ...]


@dataclass(frozen=True)
class Exclusion:
    """Why `speaker_id` cannot go: one of EXCLUSION_CODES, with its params."""

    speaker_id: int
    code: str
    params: dict


@dataclass
class WeekResult:
    """A week's plan.

    `assignments`: request id → the Proposal chosen (with the slot it takes); `unassigned`: request id → a message
    dict saying why nobody goes (UNSERVED_CODES); `served` = len(assignments); `quality` = the sum of the chosen
    proposals' scores; `status`: "optimal" (solve_week) or "heuristic" (greedy_week); `stats`: sizes of the model.
    """

    assignments: dict[int, Proposal]
    unassigned: dict[int, dict]
    served: int
    quality: float
    status: str
    seconds: float
    stats: dict = field(default_factory=dict)


# Why a speaker is proposed (Proposal.reasons), in the order they are listed.
REASON_CODES: dict[str, tuple[str, ...]] = {
    "speaks": ("language", "level"),  # oral level, 1–5
    "level_not_assessed": ("language", "level"),  # counted as the level asked for
    "dialect_match": ("dialect",),
    "dialect_differs": ("requested", "dialect"),  # dialect may be "" (not recorded)
    "certified": ("language",),
    "distance": ("km",),  # road km, one decimal
    "distance_unknown": (),
    "workload": ("count", "capacity"),  # visits already booked in the request's ISO week
    "slot": ("date", "slot"),  # ISO date, "am" or "pm"
}

# Why a speaker cannot go (Exclusion.code), in the order the rules are checked. The page also shows them counted:
# the same codes with params {"count": n} only (none of these codes has a param called "count").
EXCLUSION_CODES: dict[str, tuple[str, ...]] = {
    "no_language": ("language",),
    "level_too_low": ("language", "level", "min_level"),
    "declined": (),
    "too_far": ("km", "max_km"),
    "unavailable": ("date",),
    "busy": ("date",),  # every half-day asked for is already booked
    "off_slot": ("date",),  # does not go out on the half-days asked for (available_slots)
    "day_full": ("date", "booked", "capacity"),
    "week_full": ("booked", "capacity"),
}

# Why a request of a week's plan has nobody (WeekResult.unassigned).
UNSERVED_CODES: dict[str, tuple[str, ...]] = {
    # Nobody speaks the language at the level asked within max_km.
    "unserved_no_speaker": ("language", "min_level", "max_km"),
    # Some do, but every one is on leave, booked, not out on those half-days, full, or declined that day.
    "unserved_busy": ("language", "date"),
    # `candidates` could go, but the plan gives each of them to other requests of the week.
    "unserved_capacity": ("language", "candidates"),
}

# Every code the engine emits, with the params it carries.
MESSAGE_CODES: dict[str, tuple[str, ...]] = {**REASON_CODES, **EXCLUSION_CODES, **UNSERVED_CODES}


def message(code: str, **params) -> dict:
    """A message dict; the code must be one of MESSAGE_CODES and carry exactly its params."""
    if code not in MESSAGE_CODES or set(params) != set(MESSAGE_CODES[code]):
        raise ValueError(f"bad message {code!r} {sorted(params)}")
    return {"code": code, "params": params}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371.0 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def road_km(request: Request, speaker: Speaker, params: Params) -> float | None:
    """Estimated road km between the speaker's home and the meeting place; None when either is unknown."""
    if None in (request.lat, request.lon, speaker.lat, speaker.lon):
        return None
    return haversine_km(speaker.lat, speaker.lon, request.lat, request.lon) * params.road_factor


def iso_week(day: datetime.date) -> tuple[int, int]:
    iso = day.isocalendar()
    return (iso[0], iso[1])
