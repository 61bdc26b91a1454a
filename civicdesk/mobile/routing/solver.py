"""The trip as an OR-Tools routing model: one vehicle, a time dimension with waiting, optional stops with penalties.

Model
-----
Nodes as in ``instance``: 0 the centre, 1…n the stops; without the return to the centre, a dummy end node n + 1
reached from anywhere at no cost. Arc cost: the leg's travel minutes. The time dimension's transit i → j is
service(i) + minutes(i, j); its cumul at a stop is the minute service starts there, within [window_start,
window_end − service]; slack (waiting) up to the day's length; the route starts at the day's start exactly and
ends (back at the centre, or after the last service) by the day's end. Each stop is a disjunction of its own with
its penalty (``instance.prepare``), so a stop that cannot fit is left out instead of making the whole plan fail.
The objective, travel minutes + penalties of the stops left out, is ``instance.objective``.

Search: PATH_CHEAPEST_ARC for a first solution, then guided local search until the time limit. Guided local
search does not stop by itself; for trips of at most ``EXACT_MAX_STOPS`` stops the exhaustive search (``exact``)
runs first, and the routing search is stopped as soon as it reaches the proven optimum.
"""

from __future__ import annotations

import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .exact import EXACT_MAX_STOPS, exact_order
from .greedy import greedy_order
from .instance import Instance, check_order, objective, prepare, result
from .model import RoutePlan, Trip

STATUS = {value: name for name, value in routing_enums_pb2.RoutingSearchStatus.Value.items()}

# Share of the time limit kept from the routing search: the search may overrun its limit by some milliseconds
# (more on a busy machine), and the plan is built after it.
RESERVE = 0.05


def routing_order(
    inst: Instance, time_limit: float, target: int | None = None
) -> tuple[list[int] | None, dict]:
    """(order, stats) of the routing search within `time_limit` seconds; order None if it found no solution.

    With `target` (a proven optimal objective), the search stops as soon as a solution reaches it.
    """
    n = inst.n
    end_node = n + 1 if not inst.returns else 0
    size = n + 2 if not inst.returns else n + 1
    cost = [[0] * size for _ in range(size)]
    transit = [[0] * size for _ in range(size)]
    for i in range(n + 1):
        for j in range(n + 1):
            cost[i][j] = inst.minutes[i][j]
            transit[i][j] = inst.service[i] + inst.minutes[i][j]
        if not inst.returns:
            transit[i][end_node] = inst.service[i]  # reaching the end: the last service, no drive
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [end_node])
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost))
    day = inst.end - inst.start
    routing.AddDimension(routing.RegisterTransitMatrix(transit), day, inst.end, False, "time")
    clock = routing.GetDimensionOrDie("time")
    clock.CumulVar(routing.Start(0)).SetRange(inst.start, inst.start)
    clock.CumulVar(routing.End(0)).SetRange(inst.start, inst.end)
    for node in range(1, n + 1):
        index = manager.NodeToIndex(node)
        clock.CumulVar(index).SetRange(inst.earliest[node], inst.latest[node])
        routing.AddDisjunction([index], inst.penalty[node])

    solutions = []
    best = [None, 0.0]  # best objective so far, seconds into the search when found

    def at_solution():
        value = routing.CostVar().Max()
        solutions.append(value)
        if best[0] is None or value < best[0]:
            best[:] = [value, time.perf_counter() - started]
        if target is not None and value <= target:
            routing.solver().FinishCurrentSearch()

    routing.AddAtSolutionCallback(at_solution)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMicroseconds(max(1000, round(time_limit * 1e6)))
    started = time.perf_counter()
    assignment = routing.SolveWithParameters(params)
    stats = {
        "routing_seconds": round(time.perf_counter() - started, 4),
        "routing_status": STATUS.get(routing.status(), str(routing.status())),
        "routing_solutions": len(solutions),
        "routing_best_found_seconds": round(best[1], 4),  # when the search last improved
    }
    if assignment is None:
        return None, stats
    order = []
    index = routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node:
            order.append(node)
        index = assignment.Value(routing.NextVar(index))
    stats["routing_objective"] = assignment.ObjectiveValue()
    return order, stats


def plan(trip: Trip, *, time_limit: float = 2.0, prove_up_to: int = EXACT_MAX_STOPS) -> RoutePlan:
    """The trip's plan: which stops, in which order, at what times; and why the others are left out.

    Raises TripError (a ValueError) when the trip is invalid. `time_limit` (seconds) bounds the whole call: the
    routing search runs until 95 % of it has passed (the rest is a margin for its overrun and for building the
    plan), so on trips above `prove_up_to` stops the call takes about that long. With at most `prove_up_to` stops
    the exhaustive search runs first (``proven_optimal``; keep it small: its work doubles with each stop) and the
    routing search stops when it reaches that optimum; if it does not within the time limit, the exhaustive
    search's plan is returned (method "exact"). The plan is never worse than the greedy baseline's: when the routing
    search ends above it, the greedy plan is returned (method "greedy"). `stats` has each method's objective and
    figures.
    """
    if time_limit <= 0:
        raise ValueError("time_limit must be > 0")
    started = time.perf_counter()
    inst = prepare(trip)
    greedy = greedy_order(inst)
    stats = {"greedy_objective": objective(inst, greedy)}
    target = None
    exact = None
    if inst.n <= prove_up_to:
        exact_started = time.perf_counter()
        target, exact, labels = exact_order(inst)
        stats.update(
            exact_objective=target,
            exact_labels=labels,
            exact_seconds=round(time.perf_counter() - exact_started, 4),
        )
    order, method = greedy, "greedy"
    if inst.n:
        remaining = time_limit * (1 - RESERVE) - (time.perf_counter() - started)
        found, routing_stats = routing_order(inst, max(0.001, remaining), target)
        stats.update(routing_stats)
        if found is not None:
            check_order(inst, found)
            if objective(inst, found) <= stats["greedy_objective"]:
                order, method = found, "routing"
    if exact is not None and target < objective(inst, order):
        order, method = list(exact), "exact"
    check_order(inst, order)
    return result(
        inst,
        order,
        method=method,
        proven_optimal=exact is not None,
        seconds=time.perf_counter() - started,
        stats=stats,
    )
