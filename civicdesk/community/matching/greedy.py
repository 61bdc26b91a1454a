"""The baseline a coordinator might follow by hand: requests by date then id, each takes its best free speaker."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable

from .model import DEFAULT_PARAMS, Params, Request, Speaker, WeekResult, iso_week, scaled
from .scoring import Fit
from .week import candidates, unserved_reason


def _best_first(fit: Fit):
    """As propose orders proposals: score high first, then nearer (unknown last), then the smaller speaker id."""
    return (-fit.score, math.inf if fit.km is None else fit.km, fit.speaker.id)


def greedy_week(
    requests: Iterable[Request], speakers: Iterable[Speaker], params: Params = DEFAULT_PARAMS
) -> WeekResult:
    """Each request in turn (date, then id) takes its best proposal still feasible after the earlier ones.

    The scores are the same as solve_week's (workload counts the bookings made before the plan), so the two plans'
    `quality` compare; the half-day taken is the earliest still free in the request's window.
    """
    started = time.perf_counter()
    cands = candidates(requests, speakers, params)
    taken = set()  # (speaker id, date, slot)
    per_day = Counter()  # (speaker id, date) → visits in this plan
    per_week = Counter()  # (speaker id, iso week) → visits in this plan
    assignments = {}
    for request in sorted(cands.requests, key=lambda r: (r.date, r.id)):
        fits = sorted(cands.fits[request.id], key=_best_first)
        day, week = request.date, iso_week(request.date)
        for fit in fits:
            s = fit.speaker
            if per_day[s.id, day] >= s.daily_capacity - int(s.booked_per_day.get(day, 0)):
                continue
            if per_week[s.id, week] >= s.weekly_capacity - int(s.booked_per_week.get(week, 0)):
                continue
            slot = next((x for x in fit.free_slots if (s.id, day, x) not in taken), None)
            if slot is None:
                continue
            taken.add((s.id, day, slot))
            per_day[s.id, day] += 1
            per_week[s.id, week] += 1
            assignments[request.id] = fit.proposal(slot)
            break
    unassigned = {r.id: unserved_reason(r, cands, params) for r in cands.requests if r.id not in assignments}
    return WeekResult(
        assignments=dict(sorted(assignments.items())),
        unassigned=unassigned,
        served=len(assignments),
        quality=sum(p.score for p in assignments.values()),
        status="heuristic",
        seconds=time.perf_counter() - started,
        stats={"pairs": cands.pairs, "objective": sum(scaled(p.score) for p in assignments.values())},
    )
