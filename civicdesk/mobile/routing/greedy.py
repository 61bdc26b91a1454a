"""The baseline a team might follow by hand: from where it is, go to the stop it can serve soonest."""

from __future__ import annotations

import time

from .instance import Instance, prepare, result
from .model import RoutePlan, Trip


def greedy_order(inst: Instance) -> list[int]:
    """The greedy order of a prepared trip.

    From the centre at the start of the day, go each time to the nearest stop in time — where service can start
    soonest, counting the drive and the wait for its window to open; then fewest travel minutes, then first in the
    trip — among the stops not yet visited whose service can still start by their latest start and, when the trip
    returns, after which the team can still drive straight back by the end of the day. Stop when there is none.
    (Nearest by distance alone would drive at 07:30 to a hamlet near the centre that gathers people only in the
    afternoon and wait there all morning.) Required stops and priorities are not looked at, and it never looks
    ahead: a stop whose window closes early may be passed over for one that can start sooner.
    """
    order, visited = [], set()
    now, here = inst.start, 0
    while True:
        best = None
        for j in range(1, inst.n + 1):
            if j in visited:
                continue
            start = max(now + inst.minutes[here][j], inst.earliest[j])
            if start > inst.latest[j]:
                continue
            departure = start + inst.service[j]
            if departure > inst.end or (inst.returns and departure + inst.minutes[j][0] > inst.end):
                continue
            rank = (start, inst.minutes[here][j], inst.km[here][j], j)
            if best is None or rank < best[0]:
                best = (rank, departure)
        if best is None:
            return order
        (_, _, _, j), departure = best
        order.append(j)
        visited.add(j)
        now, here = departure, j


def greedy_plan(trip: Trip) -> RoutePlan:
    """The by-hand baseline (``greedy_order``) as a RoutePlan, with the same objective as ``plan``; method
    "greedy", never proven optimal."""
    started = time.perf_counter()
    inst = prepare(trip)
    order = greedy_order(inst)
    return result(
        inst, order, method="greedy", proven_optimal=False, seconds=time.perf_counter() - started, stats={}
    )
