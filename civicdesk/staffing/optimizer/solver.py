"""``solve``: choose how to feed the arcs (direct, pricing or field hubs), run the flow, certify the bound."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from .arcs import _arcs_for, _estimate_arcs, _join, _must_send_without_arcs
from .inputs import PlanInput, PlanResult, message
from .model import _make_assignments, _max_assignments, _must_mask, _prepare, objective_of
from .network import _cost_scale, _Network, _Pricer

# Above this many (estimated) positive arcs the flow starts from each person's best arcs and adds the rest by
# pricing (exact, see the package docstring). Measured crossover: at ~4M arcs the direct solve takes ~3.4 s and
# 650 MB, pricing ~5 s and 260 MB; at ~8M direct is 6.5 s / 1.2 GB against 7.5 s / 310 MB for pricing.
DIRECT_MAX_ARCS = 4_000_000
_PRICING_START_PER_STAFF = 20
_PRICING_ADD_PER_STAFF = 5
_PRICING_MAX_ROUNDS = 1000  # a safety net; nationally 5–7 rounds suffice

# ``progress(message, fraction)``: ``message`` is a {"code", "params"} dict like PlanResult.messages.
ProgressFn = Callable[[dict, float], None]


def _gap(objective: float, bound: float) -> float:
    """Relative gap (bound − objective) / |bound|, with |bound| floored at 1 (one priority point) so that an
    empty or near-zero plan does not show a meaningless 100 % gap from the 10^-9 rounding slack."""
    if not math.isfinite(bound):
        return math.inf
    return max(0.0, bound - objective) / max(abs(bound), 1.0)


def _result(status, objective, bound, t0, assignments, messages=None, stats=None) -> PlanResult:
    return PlanResult(
        status=status,
        objective=float(objective),
        bound=float(bound),
        gap=_gap(objective, bound),
        seconds=time.perf_counter() - t0,
        assignments=assignments,
        messages=list(messages or []),
        stats=dict(stats or {}),
    )


def _infeasible(t0: float, messages: list[dict], stats=None) -> PlanResult:
    return _result("infeasible", 0.0, 0.0, t0, [], messages, stats)


def solve(inp: PlanInput, time_limit: float = 60.0, progress: ProgressFn | None = None) -> PlanResult:
    """Optimal secondment plan via a min-cost flow (see the package docstring for the model and the proofs).

    ``progress(message, fraction)`` is called between phases. One flow solve is not interruptible; the
    time limit is checked between phases and between pricing rounds: if it passes during pricing the best
    plan so far is returned as "feasible" with a certified bound, if it passes before any flow was solved
    the result is "timeout" with no plan.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit

    def report(msg: dict, frac: float) -> None:
        if progress is not None:
            progress(msg, frac)

    report(message("progress_checking"), 0.0)
    m = _prepare(inp)
    if m.infeasible:
        return _infeasible(t0, m.messages)
    report(message("progress_arcs"), 0.05)
    must = _must_mask(m)
    free_rows = np.flatnonzero(m.eligible & ~must)
    forced = _arcs_for(m, np.flatnonzero(m.eligible & must), keep_all=True)
    missing = _must_send_without_arcs(m, forced)
    if missing:
        return _infeasible(t0, missing)
    # One cost scale for every arc of the run: free arcs are worth at most the top priority, must_send arcs
    # can be large losses.
    max_abs = max(
        float(m.need_priority.max()) if m.need_priority.size else 5.0,
        float(np.abs(forced.value).max(initial=0.0)),
    )
    node_count = (
        2 + len(m.departments) + len(inp.staff) + len(inp.needs) + len(inp.communes) + len({*m.need_field})
    )
    scale = _cost_scale(max_abs, node_count)
    hub_rows, pricer = None, None
    if inp.distance_weight == 0:
        # People with a forbidden commune cannot share a field hub; they keep ordinary arcs.
        banned = {m.staff_index[s] for s, _ in inp.locks.forbidden if s in m.staff_index}
        hub_rows = np.array([s for s in free_rows.tolist() if s not in banned], dtype=np.int64)
        own = np.array(sorted(banned & set(free_rows.tolist())), dtype=np.int64)
        free, method = _arcs_for(m, own, keep_all=False), "hub"
        people = hub_rows.size + own.size
    elif _estimate_arcs(m, free_rows) <= DIRECT_MAX_ARCS:
        free, method = _arcs_for(m, free_rows, keep_all=False), "direct"
        people = int(np.unique(free.staff).size)
    else:
        pricer = _Pricer(m, free_rows, scale)
        free, method = pricer.initial(_PRICING_START_PER_STAFF), "pricing"
        people = free_rows.size
    arcs = _join(free, forced)
    stats: dict[str, float | str] = {"method": method, "arcs_seconds": time.perf_counter() - t0}
    if pricer is not None:
        stats["priced_pairs"] = float(pricer.elements)
    fixed_value = sum(a.value for a in _make_assignments(m, m.fixed))
    if time.perf_counter() > deadline:
        return _result("timeout", 0.0, math.inf, t0, [], [message("timeout_preparing")], stats)

    net = _Network(m, scale, hub_rows, keep_graph=pricer is not None)
    rounds, violation, flow_seconds, pricing_seconds = 0, 0.0, 0.0, 0.0
    status = "optimal"
    while True:
        rounds += 1
        report(message("progress_flow", round=rounds), min(0.9, 0.3 + 0.1 * rounds))
        t = time.perf_counter()
        solved = net.solve(arcs)
        flow_seconds += time.perf_counter() - t
        if solved is None:
            return _infeasible(t0, [message("locks_jointly_infeasible")], stats)
        flows, cost = solved
        if pricer is None:
            break
        t = time.perf_counter()
        assigned = np.full(len(inp.staff), -1, dtype=np.int64)
        used = flows > 0
        assigned[arcs.staff[used]] = arcs.need[used]
        extra, violation = pricer.price(net, assigned, _PRICING_ADD_PER_STAFF)
        pricing_seconds += time.perf_counter() - t
        if len(extra) == 0:
            violation = 0.0
            break
        if time.perf_counter() > deadline or rounds >= _PRICING_MAX_ROUNDS:
            status = "feasible"  # best plan so far; the bound below still certifies how far off it can be
            break
        arcs = _join(arcs, extra)
    chosen = np.flatnonzero(flows > 0)
    pairs = list(m.fixed) + list(zip(arcs.staff[chosen].tolist(), arcs.need[chosen].tolist(), strict=True))
    pairs += net.hub_pairs()
    plan = _make_assignments(m, pairs)
    objective = objective_of(inp, plan)
    k = _max_assignments(m, people + len(m.must_send))
    bound = fixed_value + (-cost + violation) / scale + k * 0.5 / scale
    stats.update(
        {
            "arcs": float(len(arcs)),
            "nodes": float(net.node_count),
            "rounds": float(rounds),
            "flow_seconds": flow_seconds,
            "pricing_seconds": pricing_seconds,
        }
    )
    report(message("progress_done"), 1.0)
    return _result(status, objective, max(bound, objective), t0, plan, stats=stats)
