"""A reference solver for the week's matching: the same model as a CP-SAT integer program, to check the flow.

Not used by the application (``civicdesk.community.matching.solve_week`` is what it runs). The tests compare the two
on random instances (tests/community/test_matching.py) and the benchmark (bench/community_matching.py, which imports
this module from the repository root) uses it to prove the flow's plan optimal on a full week.

It shares only the scoring with the engine (``score_pair``: eligibility and points); the half-days a pair can use
and every capacity are written again here, straight from the model's statement, and the two objectives are solved
one after the other (most requests served, then, with that number fixed, the largest sum of scaled scores) instead
of the flow's single weighted objective. No Django here either.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from civicdesk.community.matching import SLOTS, Params, Proposal, score_pair

SCALE = 100  # as the flow: scores in 0.01 points


def _free_slots(request, speaker):
    """The request's half-days this speaker goes out on and has not booked."""
    day = request.date
    out = []
    for slot in SLOTS:
        if slot not in request.slots or (day, slot) in speaker.booked:
            continue
        offered = (
            day.weekday() < 5
            if speaker.available_slots is None
            else (day.weekday(), slot) in speaker.available_slots
        )
        if offered:
            out.append(slot)
    return out


def solve_reference(requests, speakers, params=None, time_limit=120.0, workers=1, method="weighted") -> dict:
    """Solve the week exactly with CP-SAT.

    `method`: "weighted" maximises Σ (BIG + scaled score) over the chosen options with BIG = n · (largest scaled
    score) + 1, one solve (the constraint matrix stays a network matrix, so CP-SAT's LP bound is tight and it proves
    optimality quickly); "lexicographic" maximises the number served, then fixes it and maximises the score sum, two
    solves that do not rely on the BIG argument (the extra Σx = served row breaks the network structure: fine for the
    tests' small instances, slow on a full week). One worker with linearization level 2 (the full LP relaxation in
    the search) proves a 500 × 300 week in seconds; with the default level it does not finish in minutes.

    Returns {"status": "OPTIMAL" | other CP-SAT status name, "served", "objective" (sum of scaled scores),
    "quality" (sum of scores), "assignments": {request id: (speaker id, slot)}, "seconds", "variables"}.
    """
    params = params or Params()
    started = time.perf_counter()
    model = cp_model.CpModel()
    x = {}  # (request id, speaker id, slot) → BoolVar
    weight = {}
    score = {}
    per_request = defaultdict(list)
    per_half_day = defaultdict(list)
    per_day = defaultdict(list)
    per_week = defaultdict(list)
    by_id = {s.id: s for s in speakers}
    for request in requests:
        day = request.date
        iso = day.isocalendar()
        week = (iso[0], iso[1])
        for speaker in speakers:
            verdict = score_pair(request, speaker, params)
            if not isinstance(verdict, Proposal):
                continue
            for slot in _free_slots(request, speaker):
                key = (request.id, speaker.id, slot)
                var = x[key] = model.new_bool_var(f"x_{request.id}_{speaker.id}_{slot}")
                weight[key] = round(verdict.score * SCALE)
                score[key] = verdict.score
                per_request[request.id].append(var)
                per_half_day[speaker.id, day, slot].append(var)
                per_day[speaker.id, day].append(var)
                per_week[speaker.id, week].append(var)
    for group in (*per_request.values(), *per_half_day.values()):
        model.add(sum(group) <= 1)
    for (sid, day), group in per_day.items():
        s = by_id[sid]
        model.add(sum(group) <= s.daily_capacity - s.booked_per_day.get(day, 0))
    for (sid, week), group in per_week.items():
        s = by_id[sid]
        model.add(sum(group) <= s.weekly_capacity - s.booked_per_week.get(week, 0))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    solver.parameters.linearization_level = 2

    def run():
        solver.parameters.max_time_in_seconds = max(1.0, time_limit - (time.perf_counter() - started))
        return solver.solve(model)

    result = {"assignments": {}, "served": 0, "objective": 0, "quality": 0.0, "variables": len(x)}
    if not x:
        result.update(status="OPTIMAL", seconds=time.perf_counter() - started)
        return result
    if method == "weighted":
        big = len(requests) * max(weight.values()) + 1
        model.maximize(sum((big + weight[k]) * v for k, v in x.items()))
    elif method == "lexicographic":
        # 1. Most requests served.
        model.maximize(sum(x.values()))
        status = run()
        if status != cp_model.OPTIMAL:
            result.update(status=solver.status_name(status), seconds=time.perf_counter() - started)
            return result
        # 2. That many, with the largest sum of scaled scores.
        model.add(sum(x.values()) == round(solver.objective_value))
        model.maximize(sum(weight[k] * v for k, v in x.items()))
    else:
        raise ValueError(f"unknown method {method!r}")
    status = run()
    chosen = (
        [k for k, v in x.items() if solver.value(v)]
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else []
    )
    result.update(
        status=solver.status_name(status),
        served=len(chosen),
        objective=sum(weight[k] for k in chosen),
        quality=sum(score[k] for k in chosen),
        assignments={rid: (sid, slot) for rid, sid, slot in chosen},
        seconds=time.perf_counter() - started,
    )
    return result
