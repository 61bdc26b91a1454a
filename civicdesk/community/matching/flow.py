"""The week's plan, exact: a min-cost flow (OR-Tools) whose optimum serves the most requests, then the best scores.

The network (one unit of flow = one request served, or declared unserved)::

    source ──1──▶ request ──1──▶ (speaker, date, slot) ──1──▶ (speaker, date) ──d──▶ (speaker, ISO week) ──w──▶ sink
                     └───────────────────── unserved, cost 0 ────────────────────────────────────────────────▶ sink

* source → request, capacity 1: a request is served at most once;
* request → (speaker, date, slot), capacity 1, one arc per half-day of the request's window the speaker has free
  (every hard rule of ``scoring.assess`` holds), cost −(BIG + round(100 × score));
* (speaker, date, slot) → (speaker, date), capacity 1: one visit per half-day;
* (speaker, date) → (speaker, week), capacity d = daily_capacity − booked_per_day[date];
* (speaker, week) → sink, capacity w = weekly_capacity − booked_per_week[(iso_year, iso_week)];
* request → sink, capacity 1, cost 0: "unserved"; the source supplies one unit per request, the sink takes them all.

Why this is exact. A plan (each request to at most one speaker in one free half-day, at most one visit per speaker
and half-day, at most d a day and w a week) is the same thing as an integral flow here: the speaker's nodes form a
tree (half-days under a day, days under a week), so each of those limits is the capacity of one arc and flow
conservation adds the visits up along the tree; nothing else links the arcs. Conversely every integral flow is a
plan (the request's unit leaves by one arc only). The constraint matrix of a network flow is a node–arc incidence
matrix, which is totally unimodular, so with integer capacities and supplies the linear program has an integral
optimal vertex; OR-Tools' cost-scaling push–relabel algorithm works in integers and returns an integral optimal flow.
So the flow's optimum is the optimum over integer plans, not a relaxation.

Why the order of the objectives holds. Each served request earns BIG + s with 0 ≤ s ≤ S (S the largest scaled
score), and BIG = n·S + 1 with n requests. A plan serving k + 1 requests earns at least (k + 1)·BIG; one serving k
earns at most k·BIG + k·S < k·BIG + BIG. So the optimum serves as many requests as possible and, among those plans,
has the largest sum of scaled scores. Scores are scaled by 100 and rounded (0.01 point), the only approximation.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
from ortools.graph.python import min_cost_flow

from .model import DEFAULT_PARAMS, Params, Request, Speaker, WeekResult, iso_week, scaled
from .week import candidates, unserved_reason


def solve_week(
    requests: Iterable[Request], speakers: Iterable[Speaker], params: Params = DEFAULT_PARAMS
) -> WeekResult:
    """The optimal plan for a batch of requests (usually a week's): most requests served, then the largest score sum.

    Raises RuntimeError if the flow solver does not report OPTIMAL (it always should: the network is feasible, every
    request can go unserved).
    """
    started = time.perf_counter()
    cands = candidates(requests, speakers, params)
    reqs = cands.requests
    n = len(reqs)
    if n == 0:
        return WeekResult({}, {}, 0, 0.0, "optimal", time.perf_counter() - started, _stats(0, 2, 0, 0))

    top = max((scaled(f.score) for fits in cands.fits.values() for f in fits), default=0)
    big = n * max(top, 0) + 1

    source, sink = 0, 1
    tails, heads, caps, costs = [], [], [], []

    def arc(tail, head, cap, cost):
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)
        return len(tails) - 1

    nodes = {}

    def node(key):
        found = nodes.get(key)
        if found is None:
            found = nodes[key] = 2 + n + len(nodes)
        return found

    options = {}  # arc index → (request, Fit, slot)
    for i, request in enumerate(reqs):
        r_node = 2 + i
        arc(source, r_node, 1, 0)
        arc(r_node, sink, 1, 0)
        for fit in cands.fits[request.id]:
            s = fit.speaker
            day = request.date
            week = iso_week(day)
            day_key = ("day", s.id, day)
            new_day = day_key not in nodes
            d_node = node(day_key)
            if new_day:
                week_key = ("week", s.id, week)
                new_week = week_key not in nodes
                w_node = node(week_key)
                if new_week:
                    arc(w_node, sink, s.weekly_capacity - int(s.booked_per_week.get(week, 0)), 0)
                arc(d_node, w_node, s.daily_capacity - int(s.booked_per_day.get(day, 0)), 0)
            for slot in fit.free_slots:
                slot_key = ("slot", s.id, day, slot)
                new_slot = slot_key not in nodes
                h_node = node(slot_key)
                if new_slot:
                    arc(h_node, d_node, 1, 0)
                options[arc(r_node, h_node, 1, -(big + scaled(fit.score)))] = (request, fit, slot)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    node_count = 2 + n + len(nodes)
    supplies = np.zeros(node_count, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(node_count, dtype=np.int32), supplies)
    solve_started = time.perf_counter()
    status = flow.solve()
    solve_seconds = time.perf_counter() - solve_started
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status} instead of OPTIMAL")

    chosen = np.array(sorted(options), dtype=np.int32)
    used = flow.flows(chosen) if len(chosen) else np.zeros(0, dtype=np.int64)
    assignments = {}
    for index, value in zip(chosen.tolist(), used.tolist(), strict=True):
        if value > 0:
            request, fit, slot = options[index]
            assignments[request.id] = fit.proposal(slot)
    unassigned = {r.id: unserved_reason(r, cands, params) for r in reqs if r.id not in assignments}
    quality = sum(p.score for p in assignments.values())
    stats = _stats(len(tails), node_count, cands.pairs, len(options))
    stats["objective"] = sum(scaled(p.score) for p in assignments.values())
    stats["solve_seconds"] = solve_seconds
    return WeekResult(
        assignments=dict(sorted(assignments.items())),
        unassigned=unassigned,
        served=len(assignments),
        quality=quality,
        status="optimal",
        seconds=time.perf_counter() - started,
        stats=stats,
    )


def _stats(arcs, nodes, pairs, options):
    """arcs and nodes of the network; pairs = (request, speaker) pairs that pass the hard rules; options = their
    (pair, half-day) arcs; objective = the served requests' scaled scores summed and solve_seconds = the flow
    solver's own time (both added after the solve; `WeekResult.seconds` also counts checking the pairs)."""
    return {
        "arcs": arcs,
        "nodes": nodes,
        "pairs": pairs,
        "options": options,
        "objective": 0,
        "solve_seconds": 0.0,
    }
