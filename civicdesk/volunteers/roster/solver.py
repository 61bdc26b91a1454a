"""The roster as a CP-SAT model (OR-Tools): Booleans for the pairs that pass the hard rules, integer objective.

Variables
---------
* x[s, v] ∈ {0, 1} for each slot s and volunteer v eligible for it (``instance.prepare``): the per-pair hard rules
  (availability, days off, forbidden pairs) hold by construction; one slot per (day, part) and volunteer holds too,
  since slots are unique per (day, part). n_s = Σ_v x[s, v].
* cov_s ∈ [0, min(demand, maximum, eligible)], cov_s ≤ n_s: demand covered (= min(n_s, demand) at the optimum).
* base_s ∈ [0, min(minimum, …)], base_s ≤ n_s: headcount up to the minimum.
* over_s ≥ n_s − max(demand, minimum), over_s ≥ 0: headcount above the target; only where n_s can exceed it.
* y[s, k] ∈ {0, 1}, y[s, k] ≤ Σ of x[s, v] over holders v of skill k: a wanted skill covered; only where someone
  eligible holds it.
* lo ≤ shifts_v ≤ hi for every v in the fairness group (volunteers eligible somewhere); only when
  fairness_weight > 0 and the group has two or more.

Constraints: n_s ≤ maximum; Σ of x[s, v] over the slots of an ISO week ≤ v's weekly limit; x = 1 for each lock that
holds. Objective (maximise, SCALE units = points × 100, each weight rounded):
Σ_s weight_s·cov_s + minimum_weight·base_s + skill_weight·Σ_k y[s, k] − overstaff_weight·over_s − fairness_weight·(hi − lo).
At any optimum the auxiliary variables are tight, so the objective equals ``instance.score`` of the roster; the
result reports ``score`` of the roster found (≥ the solver's value when stopped early) and the solver's bound.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from .greedy import greedy_plan
from .instance import Instance, prepare, result, score
from .model import SCALE, Params, RosterResult, Slot, Volunteer

STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.UNKNOWN: "UNKNOWN",
}


def build(inst: Instance, start: dict[str, list[str]] | None = None):
    """(model, x) for a prepared instance; x maps (slot key, volunteer key) to its Boolean.

    With `start` (a roster that keeps the hard rules), every variable gets a hint of its value in that roster: a
    complete, feasible hint, which CP-SAT takes as its first solution.
    """
    c = inst.coefficients
    model = cp_model.CpModel()
    x = {}
    on = {key: set(start.get(key, ())) for key in inst.slot} if start is not None else None

    def hint(var, value):
        if on is not None:
            model.add_hint(var, value)
        return var

    terms = []  # (coefficient, variable) of the objective
    per_volunteer = defaultdict(list)
    per_week = defaultdict(list)
    for s in inst.slots:
        column = []
        n_start = len(on[s.key]) if on is not None else 0
        for v in inst.eligible[s.key]:
            var = x[s.key, v] = hint(model.new_bool_var(f"x[{s.key},{v}]"), on is not None and v in on[s.key])
            column.append(var)
            per_volunteer[v].append(var)
            per_week[v, s.week].append(var)
        if not column:
            continue
        n = sum(column)
        if len(column) > s.maximum:
            model.add(n <= s.maximum)
        cap = min(len(column), s.maximum)
        if min(s.demand, cap) > 0 and c.weight[s.key]:
            cov = hint(model.new_int_var(0, min(s.demand, cap), f"cov[{s.key}]"), min(n_start, s.demand))
            model.add(cov <= n)
            terms.append((c.weight[s.key], cov))
        if min(s.minimum, cap) > 0 and c.minimum:
            base = hint(model.new_int_var(0, min(s.minimum, cap), f"base[{s.key}]"), min(n_start, s.minimum))
            model.add(base <= n)
            terms.append((c.minimum, base))
        if cap > s.target and c.overstaff:
            over = hint(model.new_int_var(0, cap - s.target, f"over[{s.key}]"), max(0, n_start - s.target))
            model.add(over >= n - s.target)
            terms.append((-c.overstaff, over))
        if c.skill:
            for skill in sorted(s.skills):
                keys = [v for v in inst.eligible[s.key] if skill in inst.volunteer[v].skills]
                holders = [x[s.key, v] for v in keys]
                if holders:
                    held = on is not None and any(v in on[s.key] for v in keys)
                    y = hint(model.new_bool_var(f"y[{s.key},{skill}]"), held)
                    model.add(sum(holders) >= y)
                    terms.append((c.skill, y))
    for (v, _week), column in per_week.items():
        if len(column) > inst.limit[v]:
            model.add(sum(column) <= inst.limit[v])
    for key in inst.locks:
        model.add(x[key] == 1)
    if c.fairness and len(inst.group) >= 2:
        top = max(len(per_volunteer[v]) for v in inst.group)
        counts = Counter(v for keys in (on or {}).values() for v in keys)
        lo = hint(model.new_int_var(0, top, "lo"), min(counts[v] for v in inst.group))
        hi = hint(model.new_int_var(0, top, "hi"), max(counts[v] for v in inst.group))
        for v in inst.group:
            shifts = sum(per_volunteer[v])
            model.add(lo <= shifts)
            model.add(hi >= shifts)
        terms.append((-c.fairness, hi))
        terms.append((c.fairness, lo))
    model.maximize(sum(coef * var for coef, var in terms))
    return model, x


def solve_roster(
    slots: Iterable[Slot],
    volunteers: Iterable[Volunteer],
    params: Params | None = None,
    *,
    locked: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
) -> RosterResult:
    """The roster maximising the objective (package docstring) under the hard rules, with CP-SAT.

    `locked` pairs (slot key, volunteer key) are forced into the roster; a lock that breaks a hard rule is not
    applied and is reported in ``lock_problems``. `forbidden` pairs are kept out. CP-SAT starts from the greedy
    roster (``Params.hint``) and the result is never worse than it: when the search stops early below it, or finds
    nothing within the time limit (``stats["solver_status"]`` "UNKNOWN"), the greedy roster is returned (method
    "greedy", with CP-SAT's bound when there is one). Raises RuntimeError if CP-SAT calls the model invalid or its bound falls below the roster's score
    (programming errors).
    """
    started = time.perf_counter()
    params = params or Params()
    inst = prepare(slots, volunteers, params, locked, forbidden)
    start = greedy_plan(inst)
    model, x = build(inst, start if params.hint else None)
    sizes = {
        "slots": len(inst.slots),
        "volunteers": len(inst.volunteers),
        "pairs": inst.pairs,
        "variables": len(model.proto.variables),
        "constraints": len(model.proto.constraints),
    }
    if not x:
        return result(
            inst,
            {},
            status="OPTIMAL",
            bound=score(inst, {}) / SCALE,
            gap=0.0,
            seconds=time.perf_counter() - started,
            method="cp_sat",
            stats={**sizes, "solver_seconds": 0.0},
        )

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, params.time_limit - (time.perf_counter() - started))
    solver.parameters.num_workers = params.workers
    solver.parameters.relative_gap_limit = params.relative_gap
    solver.parameters.random_seed = 0
    if params.deterministic:
        solver.parameters.interleave_search = True
    code = solver.solve(model)
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT: invalid roster model: {model.validate()}")
    status = STATUS[code]
    stats = {
        **sizes,
        "solver_seconds": solver.wall_time,
        "conflicts": solver.num_conflicts,
        "branches": solver.num_branches,
        "solver_status": status,
        "solver_objective_units": None,
        "bound_units": None,
    }
    method = "cp_sat"
    if status in ("OPTIMAL", "FEASIBLE"):
        roster = defaultdict(list)
        for (s, v), var in x.items():
            if solver.boolean_value(var):
                roster[s].append(v)
        value = score(inst, roster)
        greedy_value = score(inst, start)
        if greedy_value > value:  # stopped early below its starting point: never return worse than greedy
            roster, value, method = start, greedy_value, "greedy"
        bound_units = math.floor(solver.best_objective_bound + 1e-6)  # the objective is an integer
        stats["solver_objective_units"] = round(solver.objective_value)
        stats["bound_units"] = bound_units
        if bound_units < value:  # the model's optimum is at least the roster's score: they must agree
            raise RuntimeError(f"CP-SAT bound {bound_units} below the roster's score {value}")
        # CP-SAT also says OPTIMAL when it stops within relative_gap: "OPTIMAL" here means the bound is reached.
        status = "OPTIMAL" if bound_units == value else "FEASIBLE"
        bound, gap = bound_units / SCALE, (bound_units - value) / max(1, abs(value))
    elif status == "UNKNOWN":  # no roster within the time limit: the greedy one, which keeps every hard rule
        roster, method, status = start, "greedy", "FEASIBLE"
        value = score(inst, roster)
        finite = math.isfinite(solver.best_objective_bound)
        bound_units = math.floor(solver.best_objective_bound + 1e-6) if finite else None
        stats["bound_units"] = bound_units
        bound = None if bound_units is None else max(bound_units, value) / SCALE
        gap = None if bound_units is None else max(0, bound_units - value) / max(1, abs(value))
    else:  # INFEASIBLE: cannot happen, the locks that hold always leave a feasible roster
        roster, bound, gap = {}, None, None
    return result(
        inst,
        roster,
        status=status,
        bound=bound,
        gap=gap,
        seconds=time.perf_counter() - started,
        method=method,
        stats=stats,
    )
