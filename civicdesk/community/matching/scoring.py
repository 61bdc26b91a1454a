"""One request against one speaker: the hard rules, then the score and its reasons; and the best few for a request."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import (
    DEFAULT_PARAMS,
    SLOTS,
    Exclusion,
    Params,
    Proposal,
    Request,
    Skill,
    Speaker,
    iso_week,
    message,
    road_km,
)


def _fold(text: str) -> str:
    return (text or "").strip().casefold()


def request_slots(request: Request) -> tuple[str, ...]:
    """The request's half-days in calendar order; an unknown slot name is a programming error."""
    unknown = set(request.slots) - set(SLOTS)
    if unknown:
        raise ValueError(f"request {request.id}: unknown slots {sorted(unknown)}")
    return tuple(s for s in SLOTS if s in request.slots)


@dataclass(frozen=True)
class Fit:
    """A speaker who passes every hard rule for a request: the score, and the half-days still free that day."""

    request: Request
    speaker: Speaker
    skill: Skill
    level: int
    assessed: bool
    km: float | None
    components: dict
    score: float
    free_slots: tuple[str, ...]
    week_booked: int

    def proposal(self, slot: str | None = None) -> Proposal:
        """The Proposal in `slot` (default: the first free half-day)."""
        slot = slot or self.free_slots[0]
        r, s, skill = self.request, self.speaker, self.skill
        reasons = [
            message("speaks", language=r.language, level=self.level)
            if self.assessed
            else message("level_not_assessed", language=r.language, level=self.level)
        ]
        if _fold(r.dialect):
            if _fold(r.dialect) == _fold(skill.dialect):
                reasons.append(message("dialect_match", dialect=skill.dialect.strip()))
            else:
                reasons.append(
                    message("dialect_differs", requested=r.dialect.strip(), dialect=skill.dialect.strip())
                )
        if skill.certified:
            reasons.append(message("certified", language=r.language))
        if self.km is None:
            reasons.append(message("distance_unknown"))
        else:
            reasons.append(message("distance", km=round(self.km, 1)))
        reasons.append(message("workload", count=self.week_booked, capacity=s.weekly_capacity))
        reasons.append(message("slot", date=r.date.isoformat(), slot=slot))
        return Proposal(
            request_id=r.id,
            speaker_id=s.id,
            score=self.score,
            slot=slot,
            distance_km=self.km,
            components=dict(self.components),
            reasons=tuple(reasons),
        )


def _best_skill(request: Request, speaker: Speaker, params: Params):
    """(skill, level, assessed) of the speaker's best record of the language at the level asked, or an Exclusion."""
    records = [k for k in speaker.skills if k.code == request.language]
    if not records:
        return Exclusion(speaker.id, "no_language", {"language": request.language})
    best = None
    best_points = -math.inf
    for skill in records:
        oral = skill.oral_level
        level = request.min_level if oral is None else oral
        if level < request.min_level:
            continue
        points = params.w_skill * min(level, 5) / 5
        points += params.w_certified if skill.certified else 0.0
        if _fold(request.dialect) and _fold(request.dialect) == _fold(skill.dialect):
            points += params.w_dialect
        if points > best_points:  # ties: the first record
            best, best_points = (skill, level, oral is not None), points
    if best is None:
        top = max(k.oral_level for k in records if k.oral_level is not None)
        return Exclusion(
            speaker.id,
            "level_too_low",
            {"language": request.language, "level": top, "min_level": request.min_level},
        )
    return best


def assess(request: Request, speaker: Speaker, params: Params = DEFAULT_PARAMS) -> Fit | Exclusion:
    """Check the hard rules in order (language and level, declined, distance, leave, half-days, day, week)."""
    found = _best_skill(request, speaker, params)
    if isinstance(found, Exclusion):
        return found
    skill, level, assessed = found
    if speaker.id in request.excluded:
        return Exclusion(speaker.id, "declined", {})
    km = road_km(request, speaker, params)
    if km is not None and km > params.max_distance_km:
        return Exclusion(
            speaker.id, "too_far", {"km": round(km, 1), "max_km": round(float(params.max_distance_km), 1)}
        )
    day = request.date
    iso_day = day.isoformat()
    if day in speaker.unavailable:
        return Exclusion(speaker.id, "unavailable", {"date": iso_day})
    offered = [s for s in request_slots(request) if speaker.offers(day, s)]
    if not offered:
        return Exclusion(speaker.id, "off_slot", {"date": iso_day})
    free = tuple(s for s in offered if (day, s) not in speaker.booked)
    if not free:
        return Exclusion(speaker.id, "busy", {"date": iso_day})
    day_booked = int(speaker.booked_per_day.get(day, 0))
    if day_booked >= speaker.daily_capacity:
        return Exclusion(
            speaker.id,
            "day_full",
            {"date": iso_day, "booked": day_booked, "capacity": speaker.daily_capacity},
        )
    week_booked = int(speaker.booked_per_week.get(iso_week(day), 0))
    if week_booked >= speaker.weekly_capacity:
        return Exclusion(
            speaker.id, "week_full", {"booked": week_booked, "capacity": speaker.weekly_capacity}
        )

    components = {
        "skill": params.w_skill * min(level, 5) / 5,
        "certified": params.w_certified if skill.certified else 0.0,
        "dialect": params.w_dialect
        if _fold(request.dialect) and _fold(request.dialect) == _fold(skill.dialect)
        else 0.0,
        "distance": 0.0
        if km is None or params.max_distance_km <= 0
        else params.w_distance * max(0.0, 1.0 - km / params.max_distance_km),
        "workload": params.w_workload * max(0.0, 1.0 - week_booked / speaker.weekly_capacity),
    }
    return Fit(
        request=request,
        speaker=speaker,
        skill=skill,
        level=level,
        assessed=assessed,
        km=km,
        components=components,
        score=sum(components.values()),
        free_slots=free,
        week_booked=week_booked,
    )


def score_pair(request: Request, speaker: Speaker, params: Params = DEFAULT_PARAMS) -> Proposal | Exclusion:
    """The Proposal (first free half-day) if `speaker` can go to `request`, else the Exclusion of the first rule broken."""
    found = assess(request, speaker, params)
    return found if isinstance(found, Exclusion) else found.proposal()


def order_key(p: Proposal):
    """Score high first, then nearer (unknown distance last), then the smaller speaker id."""
    return (-p.score, math.inf if p.distance_km is None else p.distance_km, p.speaker_id)


def propose(
    request: Request, speakers: Iterable[Speaker], params: Params = DEFAULT_PARAMS, limit: int | None = 5
) -> tuple[list[Proposal], dict[str, int]]:
    """The best `limit` proposals (all when None), best first, and how many speakers each rule left out."""
    found = []
    excluded = Counter()
    for speaker in speakers:
        verdict = score_pair(request, speaker, params)
        if isinstance(verdict, Exclusion):
            excluded[verdict.code] += 1
        else:
            found.append(verdict)
    found.sort(key=order_key)
    if limit is not None:
        found = found[: max(0, limit)]
    return found, dict(sorted(excluded.items()))
