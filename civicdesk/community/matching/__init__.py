"""Language access: which official or volunteer who speaks a citizen's language goes with them, and when.

Pure Python (and OR-Tools for the week's plan); no Django, so the benchmark runs without settings. The application
builds the inputs from its models (``civicdesk.community.matchmaking``) and renders the engine's message codes in the
reader's language (``civicdesk.community.reasons``).

The model
---------
A ``Request`` asks for a speaker of ``language`` (ISO 639-3, e.g. K'Ho ``kpm``, Mạ ``cma``, Chu Ru ``cje``) at an
oral level of at least ``min_level``, on ``date``, in one of its half-days ``slots`` (``SLOTS``: morning 07:30–11:30,
afternoon 13:30–17:00), at a place (lat, lon). A ``Speaker`` has ``skills`` (one ``Skill`` per language, levels 0–5),
a home (lat, lon), limits per day and per ISO week, and what is already booked.

The oral level of a skill is min(listening, speaking) when both are known, the known one when only one is; when
neither is assessed the person counts as speaking at exactly ``min_level`` (eligible, scored at that level, with the
reason "level_not_assessed").

Hard rules (``score_pair`` returns an ``Exclusion`` naming the first one broken, in this order): speaks the language
at ``min_level`` or better ("no_language", "level_too_low"); has not declined the request ("declined",
``Request.excluded``); road distance ≤ ``max_distance_km`` when both places are known ("too_far"; road km =
great-circle km on a 6371.0 km sphere × ``road_factor``, 1.4 because highland roads wind); not on leave that day
("unavailable"); goes out on at least one half-day of the window ("off_slot"; ``available_slots`` None means Monday
to Friday, both half-days) and one of those is not booked ("busy"); the day's and the week's visits already booked
leave room ("day_full", "week_full"). An unknown place is no reason to exclude: the distance scores 0 and the reason
"distance_unknown" says so.

Score, 0–100 points with the default ``Params``: skill = w_skill × level/5; certified = w_certified with a certificate;
dialect = w_dialect when the request names a dialect and the skill's is the same (case and spaces ignored);
distance = w_distance × (1 − km / max_distance_km); workload = w_workload × (1 − visits already booked in the
request's ISO week / weekly_capacity). When a person has several records of the language (dialects), the one worth
most points is used.

Entry points
------------
* ``score_pair(request, speaker, params)`` → ``Proposal`` (first free half-day) or ``Exclusion``.
* ``propose(request, speakers, params, limit=5)`` → (best proposals: score desc, distance asc with unknown last,
  speaker id; counts of exclusions per code).
* ``solve_week(requests, speakers, params)`` → ``WeekResult``, exact: the most requests served, then the largest sum
  of scores, as a min-cost flow (see ``flow``'s docstring for the network and why its optimum is the integer one).
* ``greedy_week(requests, speakers, params)`` → ``WeekResult``: the by-hand baseline (``greedy``), for comparison.

Everything is deterministic: speakers are taken in id order and ties are broken by ids.

Messages
--------
Proposals' ``reasons``, ``Exclusion``s and ``WeekResult.unassigned`` are codes with JSON params (``MESSAGE_CODES``:
``REASON_CODES``, ``EXCLUSION_CODES``, ``UNSERVED_CODES``), never sentences.
"""

from .flow import solve_week
from .greedy import greedy_week
from .model import (
    DEFAULT_PARAMS,
    EARTH_RADIUS_KM,
    EXCLUSION_CODES,
    MESSAGE_CODES,
    REASON_CODES,
    SLOTS,
    UNSERVED_CODES,
    Exclusion,
    Params,
    Proposal,
    Request,
    Skill,
    Speaker,
    WeekResult,
    haversine_km,
    road_km,
)
from .scoring import propose, score_pair

__all__ = [
    "DEFAULT_PARAMS",
    "EARTH_RADIUS_KM",
    "EXCLUSION_CODES",
    "MESSAGE_CODES",
    "REASON_CODES",
    "SLOTS",
    "UNSERVED_CODES",
    "Exclusion",
    "Params",
    "Proposal",
    "Request",
    "Skill",
    "Speaker",
    "WeekResult",
    "greedy_week",
    "haversine_km",
    "propose",
    "road_km",
    "score_pair",
    "solve_week",
]
