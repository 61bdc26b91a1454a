"""Reference solvers for the secondment optimiser: the same model solved other ways, to check and to compare.

Not used by the application (``civicdesk.staffing.optimizer.solve`` is what it runs). The tests use them as an
independent check of the min-cost flow (tests/staffing/test_optimizer.py); the benchmark runs them for the
comparison table of docs/benchmarks/staffing.md (``bench/secondment.py --method HIGHS`` etc., which imports this
module from the repository root, as the tests do: ``tests`` is a package).

* ``solve_mip``: the flow's arc set as a MIP (HiGHS, SCIP, CBC), an LP (GLOP, PDLP) or CP-SAT.
* ``greedy``: the baseline a planner might do by hand, with a cheap relaxation bound.

No Django here, like the optimiser: the benchmark runs without settings.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np

from civicdesk.staffing.optimizer import PlanInput, PlanResult, message, objective_of
from civicdesk.staffing.optimizer.arcs import (
    _Arcs,
    _arcs_for,
    _concat,
    _dense_blocks,
    _drop_forbidden,
    _join,
    _must_send_without_arcs,
)
from civicdesk.staffing.optimizer.model import (
    _make_assignments,
    _max_assignments,
    _Model,
    _must_mask,
    _prepare,
)
from civicdesk.staffing.optimizer.solver import _gap, _infeasible, _result

# CP-SAT copes better with smaller coefficients than the flow's 10^9.
_CPSAT_SCALE = 1_000_000


def _build_arcs(m: _Model) -> _Arcs:
    """All candidate arcs: positive-value arcs of free staff plus every arc of must_send staff."""
    must = _must_mask(m)
    free = _arcs_for(m, np.flatnonzero(m.eligible & ~must), keep_all=False)
    forced = _arcs_for(m, np.flatnonzero(m.eligible & must), keep_all=True)
    return _join(free, forced)


def solve_mip(inp: PlanInput, time_limit: float = 60.0, backend: str = "HIGHS") -> PlanResult:
    """The same arc set as a MIP ("HIGHS", "SCIP", "CBC"), an LP ("GLOP", "PDLP") or CP-SAT ("CP_SAT").

    For LP backends the assignments are the arcs at value ≥ 0.5, which is exact when the LP vertex is integral
    (it is for this network matrix with a simplex method such as GLOP); PDLP is a first-order method whose
    rounded solution can break constraints -- never use it for a real plan.
    """
    t0 = time.perf_counter()
    m = _prepare(inp)
    if m.infeasible:
        return _infeasible(t0, m.messages)
    arcs = _build_arcs(m)
    stats = {"arcs": float(len(arcs)), "arcs_seconds": time.perf_counter() - t0}
    missing = _must_send_without_arcs(m, arcs)
    if missing:
        return _infeasible(t0, missing, stats)
    fixed_value = sum(a.value for a in _make_assignments(m, m.fixed))
    if len(arcs) == 0:
        plan = _make_assignments(m, m.fixed)
        obj = objective_of(inp, plan)
        return _result("optimal", obj, obj, t0, plan, stats=stats)
    groups = _constraint_groups(m, arcs)
    deadline = t0 + time_limit
    if backend == "CP_SAT":
        status, values, bound, stats["build_seconds"] = _run_cpsat(arcs, groups, deadline)
        bound = bound / _CPSAT_SCALE + _max_assignments(m) * 0.5 / _CPSAT_SCALE
    else:
        status, values, bound, stats["build_seconds"] = _run_pywraplp(arcs, groups, deadline, backend)
    stats["solver_seconds"] = time.perf_counter() - t0 - stats["arcs_seconds"] - stats["build_seconds"]
    if status in ("infeasible", "timeout"):
        msgs = [message("reference_infeasible")] if status == "infeasible" else []
        return _result(status, 0.0, math.inf if status == "timeout" else 0.0, t0, [], msgs, stats)
    chosen = np.flatnonzero(values > 0.5)
    pairs = list(m.fixed) + list(zip(arcs.staff[chosen].tolist(), arcs.need[chosen].tolist(), strict=True))
    plan = _make_assignments(m, pairs)
    objective = objective_of(inp, plan)
    return _result(status, objective, max(fixed_value + bound, objective), t0, plan, stats=stats)


def _constraint_groups(m: _Model, arcs: _Arcs) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Rows of the MIP, per constraint family: (arc indices sorted by row, row starts, row lb, row ub).

    Families: each person at most once (exactly once for must_send), each need within its units, each commune
    within its capacity, each department within its quota (with a quota table), and the total.
    """
    must = np.zeros(len(m.inp.staff), dtype=bool)
    must[m.must_send] = True
    families = []
    uniq_staff, row_of_staff = np.unique(arcs.staff, return_inverse=True)
    families.append((row_of_staff, must[uniq_staff].astype(np.int64), np.ones(uniq_staff.size, np.int64)))
    uniq_need, row_of_need = np.unique(arcs.need, return_inverse=True)
    families.append((row_of_need, np.zeros(uniq_need.size, np.int64), m.need_units[uniq_need]))
    uniq_commune, row_of_commune = np.unique(m.need_commune[arcs.need], return_inverse=True)
    families.append((row_of_commune, np.zeros(uniq_commune.size, np.int64), m.commune_capacity[uniq_commune]))
    if m.inp.quotas:
        uniq_department, row_of_department = np.unique(m.staff_department[arcs.staff], return_inverse=True)
        families.append(
            (row_of_department, np.zeros(uniq_department.size, np.int64), m.department_quota[uniq_department])
        )
    families.append((np.zeros(len(arcs), np.int64), np.zeros(1, np.int64), np.array([m.total], np.int64)))
    out = []
    for row, lb, ub in families:
        order = np.argsort(row, kind="stable")
        starts = np.searchsorted(row[order], np.arange(lb.size + 1))
        out.append((order, starts, lb, ub))
    return out


def _run_pywraplp(arcs, groups, deadline, backend):
    from ortools.linear_solver import pywraplp

    t_build = time.perf_counter()
    solver = pywraplp.Solver.CreateSolver(backend)
    if solver is None:
        raise ValueError(f"OR-Tools backend {backend!r} is not available")
    lp = backend in ("GLOP", "PDLP", "CLP")
    x = [solver.NumVar(0, 1, "") if lp else solver.BoolVar("") for _ in range(len(arcs))]
    for order, starts, lb, ub in groups:
        for g in range(lb.size):
            ct = solver.Constraint(float(lb[g]), float(ub[g]))
            for a in order[starts[g] : starts[g + 1]].tolist():
                ct.SetCoefficient(x[a], 1.0)
    obj = solver.Objective()
    for a, v in enumerate(arcs.value.tolist()):
        obj.SetCoefficient(x[a], v)
    obj.SetMaximization()
    build = time.perf_counter() - t_build
    # Model building in Python is part of the budget: the solver gets what is left (at least 1 s).
    solver.SetTimeLimit(int(max(1.0, deadline - time.perf_counter()) * 1000))
    if backend != "CBC":  # CBC takes threads through its parameter string and complains otherwise
        solver.SetNumThreads(2)
    st = solver.Solve()
    if st == pywraplp.Solver.INFEASIBLE:
        return "infeasible", None, 0.0, build
    if st not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return "timeout", None, math.inf, build
    values = np.array([xi.solution_value() for xi in x])
    bound = obj.Value() if lp else obj.BestBound()
    status = "optimal" if st == pywraplp.Solver.OPTIMAL else "feasible"
    return status, values, bound, build


def _run_cpsat(arcs, groups, deadline):
    from ortools.sat.python import cp_model

    t_build = time.perf_counter()
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(arcs))]
    for order, starts, lb, ub in groups:
        for g in range(lb.size):
            members = [x[a] for a in order[starts[g] : starts[g + 1]].tolist()]
            model.add_linear_constraint(cp_model.LinearExpr.sum(members), int(lb[g]), int(ub[g]))
    scaled = np.rint(arcs.value * _CPSAT_SCALE).astype(np.int64).tolist()
    model.maximize(cp_model.LinearExpr.weighted_sum(x, scaled))
    solver = cp_model.CpSolver()
    build = time.perf_counter() - t_build
    solver.parameters.max_time_in_seconds = max(1.0, deadline - time.perf_counter())
    solver.parameters.num_workers = 2
    st = solver.solve(model)
    if st == cp_model.INFEASIBLE:
        return "infeasible", None, 0.0, build
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "timeout", None, math.inf, build
    values = np.array([solver.value(v) for v in x], dtype=np.float64)
    status = "optimal" if st == cp_model.OPTIMAL else "feasible"
    return status, values, solver.best_objective_bound, build


def greedy(inp: PlanInput) -> PlanResult:
    """Baseline: must_send people first (each to their best still-open arc), then arcs by descending value.

    All constraints are respected. Arcs are generated in value tiers (5–4, 4–3, …) so that only one tier is
    in memory and the scan stops once ``total`` people are placed; the order is the same as one global sort.
    ``bound`` is a cheap relaxation (each person's best arc, department quotas and the total only), so
    ``gap`` is an honest upper estimate of what greedy leaves on the table.
    """
    t0 = time.perf_counter()
    m = _prepare(inp)
    if m.infeasible:
        return _infeasible(t0, m.messages)
    must = _must_mask(m)
    forced = _arcs_for(m, np.flatnonzero(m.eligible & must), keep_all=True)
    missing = _must_send_without_arcs(m, forced)
    if missing:
        return _infeasible(t0, missing)
    units = m.need_units.copy()
    capacity = m.commune_capacity.copy()
    quota = m.department_quota.copy()
    used = np.zeros(len(inp.staff), dtype=bool)
    pairs: list[tuple[int, int]] = list(m.fixed)
    need_commune, staff_department = m.need_commune, m.staff_department
    # Reserve a quota slot and a share of the total for every must_send person up front, so free people
    # taken later can never crowd them out of their own department's quota.
    np.subtract.at(quota, staff_department[must], 1)
    left = m.total - len(m.must_send)

    def take(si: int, ni: int, reserved: bool) -> bool:
        nonlocal left
        ci, di = need_commune[ni], staff_department[si]
        if used[si] or units[ni] <= 0 or capacity[ci] <= 0:
            return False
        if not reserved:
            if quota[di] <= 0 or left <= 0:
                return False
            quota[di] -= 1
            left -= 1
        used[si] = True
        units[ni] -= 1
        capacity[ci] -= 1
        pairs.append((si, ni))
        return True

    order = np.lexsort((forced.need, forced.staff, -forced.value))
    for si, ni in zip(forced.staff[order].tolist(), forced.need[order].tolist(), strict=True):
        take(si, ni, reserved=True)
    if not used[m.must_send].all():
        unplaced = [inp.staff[i].staff_id for i in m.must_send if not used[i]]
        return _infeasible(t0, [message("greedy_must_send_unplaced", staff_ids=unplaced)])
    free_rows = np.flatnonzero(m.eligible & ~must)
    top = float(m.need_priority.max()) if m.need_priority.size else 0.0
    edges = [*np.arange(top, 0.0, -1.0).tolist(), 0.0]
    scanned = 0
    for hi, lo in itertools.pairwise(edges):
        if left <= 0:
            break
        rows = free_rows[~used[free_rows] & (quota[staff_department[free_rows]] > 0)]
        parts = []
        for block, need_ids, values in _dense_blocks(m, rows, lo):
            r, c = np.nonzero((values > lo) & (values <= hi))
            if r.size:
                parts.append((block[r], need_ids[c], values[r, c]))
        tier = _drop_forbidden(m, _concat(parts))
        order = np.lexsort((tier.need, tier.staff, -tier.value))
        scanned += len(tier)
        for si, ni in zip(tier.staff[order].tolist(), tier.need[order].tolist(), strict=True):
            if left <= 0:
                break
            take(si, ni, reserved=False)
    plan = _make_assignments(m, pairs)
    objective = objective_of(inp, plan)
    bound = _relaxation_bound(m, forced, free_rows)
    status = "optimal" if _gap(objective, bound) == 0.0 else "feasible"
    return _result(status, objective, max(bound, objective), t0, plan, stats={"arcs": float(scanned)})


def _relaxation_bound(m: _Model, forced: _Arcs, free_rows: np.ndarray) -> float:
    """Upper bound: fixed values, each must_send person's best arc, others' best arcs within quotas/total.

    Forbidden pairs are ignored for the free people's best arcs: relaxing a constraint keeps it a bound.
    """
    best = np.full(len(m.inp.staff), -np.inf)
    if len(forced):
        np.maximum.at(best, forced.staff, forced.value)
    for block, _, values in _dense_blocks(m, free_rows, 0.0):
        best[block] = np.maximum(best[block], values.max(axis=1))
    must = _must_mask(m)
    bound = sum(a.value for a in _make_assignments(m, m.fixed)) + float(best[must].sum())
    quota = m.department_quota.copy()
    np.subtract.at(quota, m.staff_department[must], 1)
    candidates = []
    others = np.flatnonzero(~must & np.isfinite(best) & (best > 0))
    for di in np.unique(m.staff_department[others]):
        values = np.sort(best[others[m.staff_department[others] == di]])[::-1]
        candidates.append(values[: max(int(quota[di]), 0)])
    if candidates:
        pool = np.sort(np.concatenate(candidates))[::-1]
        bound += float(pool[: max(m.total - len(m.must_send), 0)].sum())
    return bound
