"""What a week's plan starts from, whichever way it is solved: every request's feasible speakers, and why a request
is left without one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Params, Request, Speaker, message
from .scoring import Fit, assess

# Exclusions that depend on the day rather than on who the person is (language, level, distance).
SCHEDULE_CODES = frozenset({"declined", "unavailable", "busy", "off_slot", "day_full", "week_full"})


@dataclass
class Candidates:
    requests: list[Request]
    fits: dict[int, list[Fit]]  # request id → the speakers who pass every hard rule, in speaker order
    schedule_blocked: set[
        int
    ]  # request ids with at least one speaker of the language held back by the calendar
    pairs: int  # (request, speaker) pairs that pass every hard rule


def candidates(requests: Iterable[Request], speakers: Iterable[Speaker], params: Params) -> Candidates:
    """Assess each request against the speakers of its language only (the others are "no_language").

    Requests and speakers are taken in id order, so the plan does not depend on the order they are given in.
    """
    requests = sorted(requests, key=lambda r: r.id)
    speakers = sorted(speakers, key=lambda s: s.id)
    if len({r.id for r in requests}) != len(requests):
        raise ValueError("request ids must be unique")
    if len({s.id for s in speakers}) != len(speakers):
        raise ValueError("speaker ids must be unique")
    by_language = defaultdict(list)
    for speaker in speakers:
        for code in dict.fromkeys(k.code for k in speaker.skills):
            by_language[code].append(speaker)
    fits = {}
    blocked = set()
    pairs = 0
    for request in requests:
        found = []
        for speaker in by_language.get(request.language, ()):
            verdict = assess(request, speaker, params)
            if isinstance(verdict, Fit):
                found.append(verdict)
            elif verdict.code in SCHEDULE_CODES:
                blocked.add(request.id)
        fits[request.id] = found
        pairs += len(found)
    return Candidates(requests=requests, fits=fits, schedule_blocked=blocked, pairs=pairs)


def unserved_reason(request: Request, cands: Candidates, params: Params) -> dict:
    """Why `request` has nobody in a plan: others took its candidates, the calendar, or no speaker in range."""
    fits = cands.fits[request.id]
    if fits:
        return message("unserved_capacity", language=request.language, candidates=len(fits))
    if request.id in cands.schedule_blocked:
        return message("unserved_busy", language=request.language, date=request.date.isoformat())
    return message(
        "unserved_no_speaker",
        language=request.language,
        min_level=request.min_level,
        max_km=round(float(params.max_distance_km), 1),
    )
