"""The exhaustive search: the best plan over every subset of stops and every order, for trips of few stops.

A dynamic programme over (set of stops visited, last stop), keeping for each the Pareto-minimal labels (travel
minutes so far, departure from the last stop). It is exact: travel times are fixed, so of two partial routes over
the same stops ending at the same stop, one that has travelled no more and leaves no later can be extended in every
way the other can, at no more cost. Every label is also closed (driving back to the centre when the trip returns),
so plans that leave stops out are compared too, with their penalties. The work grows as 2ⁿ·n² times the labels
kept; up to ``EXACT_MAX_STOPS`` stops it takes milliseconds.
"""

from __future__ import annotations

import time

from .instance import Instance, check_order, prepare, result
from .model import RoutePlan, Trip

EXACT_MAX_STOPS = 8


def exact_order(inst: Instance) -> tuple[int, tuple[int, ...], int]:
    """(objective, order, labels created) of a best plan; among plans of equal objective, the first the search
    meets (always the same one for the same trip)."""
    n = inst.n
    minutes, earliest, latest, service = inst.minutes, inst.earliest, inst.latest, inst.service
    total_penalty = sum(inst.penalty)
    penalty_in = [0] * (1 << n)  # mask → penalties of the stops in it
    for mask in range(1, 1 << n):
        low = mask & -mask
        penalty_in[mask] = penalty_in[mask ^ low] + inst.penalty[low.bit_length()]

    labels: dict[tuple[int, int], list[tuple[int, int, tuple[int, ...]]]] = {(0, 0): [(0, inst.start, ())]}
    best_value, best_order = total_penalty, ()
    created = 1
    for mask in range(1 << n):
        for last in range(n + 1):
            found = labels.pop((mask, last), None)
            if not found:
                continue
            missing = total_penalty - penalty_in[mask]
            for travelled, ready, order in found:
                if order:
                    value = travelled + missing
                    if inst.returns:
                        back = ready + minutes[last][0]
                        value = value + minutes[last][0] if back <= inst.end else None
                    if value is not None and value < best_value:
                        best_value, best_order = value, order
                for j in range(1, n + 1):
                    bit = 1 << (j - 1)
                    if mask & bit:
                        continue
                    start = max(ready + minutes[last][j], earliest[j])
                    if start > latest[j]:
                        continue
                    label = (travelled + minutes[last][j], start + service[j], (*order, j))
                    if _insert(labels.setdefault((mask | bit, j), []), label):
                        created += 1
    return best_value, best_order, created


def _insert(labels, label) -> bool:
    """Add `label` to a Pareto set of (travel, ready, order) unless one there is as good on both counts."""
    travelled, ready, _ = label
    for other in labels:
        if other[0] <= travelled and other[1] <= ready:
            return False
    labels[:] = [other for other in labels if not (travelled <= other[0] and ready <= other[1])]
    labels.append(label)
    return True


def exact_plan(trip: Trip, *, max_stops: int = EXACT_MAX_STOPS) -> RoutePlan:
    """The exhaustive search's plan (method "exact", proven optimal). Raises ValueError above `max_stops` stops
    (the search doubles with each stop: about 0.003 s at 8 stops, minutes beyond 15)."""
    started = time.perf_counter()
    inst = prepare(trip)
    if inst.n > max_stops:
        raise ValueError(f"the exhaustive search takes at most {max_stops} stops, not {inst.n}")
    value, order, labels = exact_order(inst)
    check_order(inst, order)
    return result(
        inst,
        order,
        method="exact",
        proven_optimal=True,
        seconds=time.perf_counter() - started,
        stats={"exact_objective": value, "exact_labels": labels},
    )
