"""Secondment optimiser: which province staff to second to which commune, for which field.

The model (issue text, restated)
--------------------------------
Choose assignments (s, c, f) -- staff member s goes to commune c to work in field f -- where f is one of
s's fields and (c, f) is a need with units > 0, such that

* each person is assigned at most once,
* at most ``max_per_commune`` people go to one commune,
* each department releases at most its quota,
* at most ``total`` people are seconded overall,

maximising  Σ_(c,f) priority(c,f) · covered(c,f)  −  distance_weight · Σ_assignments km(home(s), c)
with covered(c,f) = min(units(c,f), people assigned to c for f) and km the haversine great-circle distance
(R = 6371.0088 km, the IUGG mean Earth radius).

Quotas: ``quotas is None`` or ``{}`` (no quota file, or an empty one) means "no department limit". Otherwise a
department that is *missing* from the quotas releases nobody (quota 0): forgetting a department in the quota
file must not silently send its people away.

Why the model is linear
-----------------------
Assigning a person to (c, f) beyond units(c, f) adds nothing to coverage and costs distance, so some optimal
solution never over-assigns: we add  Σ_s x[s,c,f] ≤ units(c,f).  Then covered(c,f) equals the number of
people assigned and the objective becomes  Σ x[s,c,f] · value(s,c,f)  with value = priority − w · km.

Every constraint is an upper bound, so dropping an assignment never breaks feasibility; an arc with
value ≤ 0 can therefore be removed from any solution without lowering the objective, and we never generate it.
Exceptions are the locks: fixed assignments are always kept whatever their value, and a ``must_send`` person
keeps *all* their arcs (they must go somewhere, possibly at a loss).  Locked people also fill a real unit of a
need: "nobody is sent where they adds nothing" applies to them too, so a fixed assignment to an already full
need, or a must_send person with no free need of their fields, makes the plan infeasible.

Why a min-cost flow (the formulation we ship)
---------------------------------------------
Every staff member belongs to exactly one department, so the problem is a network:

    source ──(cap quota_d)──▶ department d ──(cap 1)──▶ staff s ──(cap 1, cost −value)──▶ need (c,f)
    need (c,f) ──(cap units)──▶ commune c ──(cap max_per_commune)──▶ sink
    source ──(cap total, cost 0)──▶ sink                    (bypass: sending fewer people is allowed)

with supply ``total`` at the source and demand ``total`` at the sink.  The "total" limit is the source supply,
quotas are the source→department capacities, and a minimum-cost flow is a maximum-value plan.  Network
matrices are totally unimodular, so the integer flow returned by OR-Tools' ``SimpleMinCostFlow`` is optimal
for the integer problem -- no branching, no gap.  Locks keep it a pure flow:

* must_not_send: the person is removed;
* fixed (s, c, f): pre-assigned; units, commune capacity, department quota and total are reduced by one;
* must_send s: the department→s arc gets lower bound 1, eliminated the standard way (arc capacity 1−1 = 0,
  supply +1 at s, supply −1 at its department), so the flow is infeasible exactly when the locks are.

Costs must be integers: values are scaled by ``COST_SCALE`` (10^6) and rounded.  With ε = 0.5/COST_SCALE and K
the largest possible number of assignments, the true optimum is at most  (rounded optimum)/COST_SCALE + K·ε,
which we report as ``bound``; the objective is recomputed in floats from the chosen assignments.  At national
scale K·ε ≈ 0.004 on an objective of ~17,000, i.e. a certified gap of ~2·10^-7.

Measurements (2-core machine, generator in bench/secondment.py, seed 1; province: 124 communes, 600 staff,
total 260, w 0.05; nation: 3,321 communes, 12,000 staff, total 8,000, w 0.05):

    MEASUREMENTS-PLACEHOLDER

``solve_mip`` keeps the MIP/LP/CP-SAT formulations of the same arc set; they are used by the tests as an
independent check of the flow model and by the benchmark to produce the numbers above.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

EARTH_RADIUS_KM = 6371.0088
# Integer scaling of arc values for the min-cost flow. 10^6 keeps the rounding error far below anything a
# planner could notice (≤ 0.5·10^-6 per assignment) while costs (≤ 5·10^6 per arc) stay far from the int64
# overflow checks OR-Tools applies (cost × number of nodes).
COST_SCALE = 1_000_000
# Staff rows per distance block: rows × needs-in-window float64 matrices stay around a few MB.
_CHUNK_ROWS = 512
_KM_PER_DEGREE_LAT = EARTH_RADIUS_KM * math.pi / 180.0

ProgressFn = Callable[[str, float], None]


# --------------------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Commune:
    """A commune (xã/phường) where people can be seconded."""

    code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Need:
    """A commune's request for ``units`` people in ``field``; priority 1 (low) … 5 (urgent)."""

    commune_code: str
    field: str
    units: int
    priority: int


@dataclass(frozen=True)
class Staff:
    """A province staff member who could be seconded, with the fields they can work in."""

    staff_id: str
    department: str
    fields: frozenset[str]
    home_lat: float
    home_lon: float


@dataclass
class Locks:
    """Planner overrides.

    ``must_send``: staff who must be assigned somewhere; ``must_not_send``: staff who stay home;
    ``fixed``: (staff_id, commune_code, field) assignments that must be in the plan;
    ``forbidden``: (staff_id, commune_code) pairs that must not be in the plan (any field).
    """

    must_send: set[str] = field(default_factory=set)
    must_not_send: set[str] = field(default_factory=set)
    fixed: list[tuple[str, str, str]] = field(default_factory=list)
    forbidden: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class PlanInput:
    """Everything the optimiser needs. ``quotas`` None or {} means no department limit (see module doc)."""

    communes: list[Commune]
    needs: list[Need]
    staff: list[Staff]
    quotas: dict[str, int] | None
    total: int
    distance_weight: float
    max_per_commune: int
    locks: Locks = field(default_factory=Locks)


@dataclass
class Assignment:
    """One secondment: ``value`` = priority − distance_weight · km."""

    staff_id: str
    commune_code: str
    field: str
    value: float
    km: float


@dataclass
class PlanResult:
    """Outcome of a solve.

    ``status``: "optimal" (proved), "feasible" (a plan, not proved optimal), "infeasible" (the locks cannot
    all hold; see ``messages``) or "timeout" (the time limit passed before any plan was found).
    ``bound`` is an upper bound on the best possible objective, ``gap`` = (bound − objective) / |bound|.
    """

    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    assignments: list[Assignment]
    messages: list[str] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------- geometry


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between points given in degrees; numpy-broadcasting, R = 6371.0088 km."""
    p1 = np.radians(lat1)
    p2 = np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(haversine_km(lat1, lon1, lat2, lon2))


# ------------------------------------------------------------------------------------- preprocessing


@dataclass
class _Model:
    """Validated, index-based view of a PlanInput after locks are applied (shared by all solvers)."""

    inp: PlanInput
    commune_idx: dict[str, int]
    c_lat: np.ndarray
    c_lon: np.ndarray
    need_idx: dict[tuple[str, str], int]
    n_comm: np.ndarray
    n_field: list[str]
    n_prio: np.ndarray
    n_units: np.ndarray  # remaining after fixed assignments
    staff_idx: dict[str, int]
    s_lat: np.ndarray
    s_lon: np.ndarray
    s_dept: np.ndarray
    depts: list[str]
    quota: np.ndarray  # remaining per department after fixed assignments (unlimited -> total)
    c_cap: np.ndarray  # remaining per commune after fixed assignments
    total: int  # remaining after fixed assignments
    fixed: list[tuple[int, int]]  # (staff index, need index)
    must_send: list[int]  # staff indices, excluding those already fixed
    eligible: np.ndarray  # staff who may still be assigned
    forbidden: np.ndarray  # sorted int64 keys staff * n_communes + commune
    messages: list[str] = field(default_factory=list)

    @property
    def infeasible(self) -> bool:
        return bool(self.messages)


@dataclass
class _Arcs:
    s: np.ndarray  # int32 staff index
    n: np.ndarray  # int32 need index
    v: np.ndarray  # float64 value = priority − w·km

    def __len__(self) -> int:
        return int(self.s.size)


def _validate(inp: PlanInput) -> None:
    """Reject malformed data (plan_io reports these nicely for files; this guards programmatic callers)."""
    if inp.total < 0 or inp.max_per_commune < 0:
        raise ValueError("total and max_per_commune must be >= 0")
    if not math.isfinite(inp.distance_weight) or inp.distance_weight < 0:
        raise ValueError("distance_weight must be a finite number >= 0")
    codes = [c.code for c in inp.communes]
    if len(set(codes)) != len(codes):
        raise ValueError(
            f"duplicate commune codes: {sorted(k for k, n in Counter(codes).items() if n > 1)[:5]}"
        )
    ids = [s.staff_id for s in inp.staff]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate staff ids: {sorted(k for k, n in Counter(ids).items() if n > 1)[:5]}")
    known = set(codes)
    seen: set[tuple[str, str]] = set()
    for nd in inp.needs:
        key = (nd.commune_code, nd.field)
        if nd.commune_code not in known:
            raise ValueError(f"need for unknown commune {nd.commune_code!r}")
        if key in seen:
            raise ValueError(f"duplicate need {key!r}")
        seen.add(key)
        if nd.units < 0 or not 1 <= nd.priority <= 5:
            raise ValueError(f"need {key!r}: units must be >= 0 and priority in 1..5")
    if inp.quotas and any(q < 0 for q in inp.quotas.values()):
        raise ValueError("quotas must be >= 0")


def _prepare(inp: PlanInput) -> _Model:
    """Index the input, apply locks, and collect (Vietnamese) reasons why the locks cannot hold."""
    _validate(inp)
    locks = inp.locks
    msgs: list[str] = []
    commune_idx = {c.code: i for i, c in enumerate(inp.communes)}
    c_lat = np.array([c.lat for c in inp.communes], dtype=np.float64)
    c_lon = np.array([c.lon for c in inp.communes], dtype=np.float64)
    need_idx = {(nd.commune_code, nd.field): i for i, nd in enumerate(inp.needs)}
    n_comm = np.array([commune_idx[nd.commune_code] for nd in inp.needs], dtype=np.int64)
    n_field = [nd.field for nd in inp.needs]
    n_prio = np.array([nd.priority for nd in inp.needs], dtype=np.float64)
    n_units = np.array([nd.units for nd in inp.needs], dtype=np.int64)
    staff_idx = {s.staff_id: i for i, s in enumerate(inp.staff)}
    s_lat = np.array([s.home_lat for s in inp.staff], dtype=np.float64)
    s_lon = np.array([s.home_lon for s in inp.staff], dtype=np.float64)
    depts = sorted({s.department for s in inp.staff})
    dept_idx = {d: i for i, d in enumerate(depts)}
    s_dept = np.array([dept_idx[s.department] for s in inp.staff], dtype=np.int64)
    total = int(inp.total)
    if inp.quotas:  # a non-empty quota table: missing departments release nobody
        quota = np.array([int(inp.quotas.get(d, 0)) for d in depts], dtype=np.int64)
    else:
        quota = np.full(len(depts), total, dtype=np.int64)
    c_cap = np.full(len(inp.communes), int(inp.max_per_commune), dtype=np.int64)
    n_comm_codes = len(inp.communes)
    forbidden_keys = sorted(
        staff_idx[s] * n_comm_codes + commune_idx[c]
        for s, c in locks.forbidden
        if s in staff_idx and c in commune_idx
    )
    forbidden = np.array(forbidden_keys, dtype=np.int64)

    unknown = sorted({s for s in locks.must_send if s not in staff_idx})
    unknown += sorted({s for s, _, _ in locks.fixed if s not in staff_idx} - set(unknown))
    for s in unknown:
        msgs.append(f"Không có cán bộ '{s}' trong danh sách nhưng lại bị khóa (bắt buộc cử/cố định).")
    for s in sorted(locks.must_send & locks.must_not_send):
        msgs.append(f"Cán bộ '{s}' vừa bắt buộc cử vừa không được cử.")

    fixed: list[tuple[int, int]] = []
    fixed_staff: set[str] = set()
    for sid, code, fld in locks.fixed:
        if sid not in staff_idx:
            continue  # already reported
        st = inp.staff[staff_idx[sid]]
        where = f"Phân công cố định ({sid}, {code}, {fld})"
        if sid in fixed_staff:
            msgs.append(f"{where}: cán bộ '{sid}' được cố định nhiều hơn một lần.")
            continue
        fixed_staff.add(sid)
        if sid in locks.must_not_send:
            msgs.append(f"{where}: cán bộ này nằm trong danh sách không được cử.")
        if fld not in st.fields:
            msgs.append(f"{where}: cán bộ không có lĩnh vực '{fld}'.")
        ni = need_idx.get((code, fld))
        if ni is None or inp.needs[ni].units <= 0:
            msgs.append(f"{where}: xã '{code}' không có nhu cầu lĩnh vực '{fld}'.")
            continue
        if (sid, code) in locks.forbidden:
            msgs.append(f"{where}: cặp cán bộ–xã này bị cấm.")
        fixed.append((staff_idx[sid], ni))
        n_units[ni] -= 1
        c_cap[n_comm[ni]] -= 1
        quota[s_dept[staff_idx[sid]]] -= 1
        total -= 1
    for ni in np.flatnonzero(n_units < 0):
        nd = inp.needs[ni]
        msgs.append(
            f"Số phân công cố định vào xã '{nd.commune_code}', lĩnh vực '{nd.field}' "
            f"vượt nhu cầu ({nd.units})."
        )
    for ci in np.flatnonzero(c_cap < 0):
        msgs.append(
            f"Số phân công cố định vào xã '{inp.communes[ci].code}' "
            f"vượt giới hạn {inp.max_per_commune} người/xã."
        )

    must_send = sorted(
        staff_idx[s]
        for s in locks.must_send
        if s in staff_idx and s not in fixed_staff and s not in locks.must_not_send
    )
    per_dept = Counter(int(s_dept[i]) for i in must_send)
    for di in range(len(depts)):
        if quota[di] - per_dept.get(di, 0) < 0:
            msgs.append(
                f"Phòng/ban '{depts[di]}': số người bắt buộc cử hoặc cố định vượt hạn mức "
                f"({inp.quotas.get(depts[di], 0) if inp.quotas else total})."
            )
    if total - len(must_send) < 0:
        msgs.append(
            f"Số người bắt buộc cử và cố định ({inp.total - total + len(must_send)}) vượt tổng số được cử "
            f"({inp.total})."
        )
    quota = np.maximum(quota, 0)
    c_cap = np.maximum(c_cap, 0)
    n_units = np.maximum(n_units, 0)

    eligible = np.ones(len(inp.staff), dtype=bool)
    for s in locks.must_not_send | fixed_staff:
        if s in staff_idx:
            eligible[staff_idx[s]] = False
    must_mask = np.zeros(len(inp.staff), dtype=bool)
    must_mask[must_send] = True
    eligible &= (quota[s_dept] > 0) | must_mask
    if total <= 0:
        eligible[:] = False
    return _Model(
        inp=inp,
        commune_idx=commune_idx,
        c_lat=c_lat,
        c_lon=c_lon,
        need_idx=need_idx,
        n_comm=n_comm,
        n_field=n_field,
        n_prio=n_prio,
        n_units=n_units,
        staff_idx=staff_idx,
        s_lat=s_lat,
        s_lon=s_lon,
        s_dept=s_dept,
        depts=depts,
        quota=quota,
        c_cap=c_cap,
        total=max(total, 0),
        fixed=fixed,
        must_send=must_send,
        eligible=eligible,
        forbidden=forbidden,
        messages=msgs,
    )


def _field_blocks(m: _Model, staff_rows: np.ndarray, keep_all: bool, w: float) -> Iterable[tuple]:
    """Yield (staff indices, need indices, values) blocks of candidate arcs for the given staff.

    Needs and staff are sorted by latitude so that, for a block of staff, only needs inside a latitude band
    of ``max_priority / w`` km can have a positive value -- a cheap exact cut that avoids computing most of
    the 12,000 × 3,321 distance matrix at national scale.
    """
    inp = m.inp
    active = (m.n_units > 0) & (m.c_cap[m.n_comm] > 0)
    by_field: dict[str, list[int]] = {}
    for i in np.flatnonzero(active):
        by_field.setdefault(m.n_field[i], []).append(int(i))
    staff_fields = [inp.staff[i].fields for i in staff_rows]
    for fld in sorted(by_field):
        nids = np.array(by_field[fld], dtype=np.int64)
        sids = np.array(
            [s for s, fs in zip(staff_rows, staff_fields, strict=True) if fld in fs], dtype=np.int64
        )
        if sids.size == 0:
            continue
        n_lat = m.c_lat[m.n_comm[nids]]
        order = np.argsort(n_lat, kind="stable")
        nids, n_lat = nids[order], n_lat[order]
        n_lon = m.c_lon[m.n_comm[nids]]
        n_prio = m.n_prio[nids]
        sids = sids[np.argsort(m.s_lat[sids], kind="stable")]
        band = math.inf if (keep_all or w <= 0) else float(n_prio.max()) / w / _KM_PER_DEGREE_LAT
        for start in range(0, sids.size, _CHUNK_ROWS):
            blk = sids[start : start + _CHUNK_ROWS]
            b_lat = m.s_lat[blk]
            lo = np.searchsorted(n_lat, b_lat[0] - band, side="left") if math.isfinite(band) else 0
            hi = np.searchsorted(n_lat, b_lat[-1] + band, side="right") if math.isfinite(band) else n_lat.size
            if hi <= lo:
                continue
            km = haversine_km(b_lat[:, None], m.s_lon[blk][:, None], n_lat[None, lo:hi], n_lon[None, lo:hi])
            val = n_prio[None, lo:hi] - w * km
            if keep_all:
                r, c = np.nonzero(np.ones_like(val, dtype=bool))
            else:
                r, c = np.nonzero(val > 0)
            if r.size:
                yield blk[r], nids[lo + c], val[r, c]


def _build_arcs(m: _Model) -> _Arcs:
    """Candidate arcs: positive-value arcs for free staff, every arc for must_send staff, minus forbidden."""
    w = float(m.inp.distance_weight)
    must = np.zeros(len(m.inp.staff), dtype=bool)
    must[m.must_send] = True
    free_rows = np.flatnonzero(m.eligible & ~must)
    must_rows = np.flatnonzero(m.eligible & must)
    parts_s, parts_n, parts_v = [], [], []
    for rows, keep_all in ((free_rows, False), (must_rows, True)):
        if rows.size == 0:
            continue
        for s, n, v in _field_blocks(m, rows, keep_all, w):
            parts_s.append(s.astype(np.int32))
            parts_n.append(n.astype(np.int32))
            parts_v.append(v)
    if not parts_s:
        empty = np.zeros(0, dtype=np.int32)
        return _Arcs(empty, empty.copy(), np.zeros(0))
    arcs = _Arcs(np.concatenate(parts_s), np.concatenate(parts_n), np.concatenate(parts_v))
    if m.forbidden.size:
        keys = arcs.s.astype(np.int64) * len(m.inp.communes) + m.n_comm[arcs.n]
        keep = ~np.isin(keys, m.forbidden)
        arcs = _Arcs(arcs.s[keep], arcs.n[keep], arcs.v[keep])
    return arcs


def _must_send_without_arcs(m: _Model, arcs: _Arcs) -> list[str]:
    have = set(np.unique(arcs.s).tolist())
    return [
        f"Cán bộ '{m.inp.staff[i].staff_id}' bắt buộc cử nhưng không còn nhu cầu nào phù hợp lĩnh vực "
        "(hoặc các xã phù hợp đã đủ người)."
        for i in m.must_send
        if i not in have
    ]


def _max_assignments(m: _Model, arcs: _Arcs) -> int:
    """Upper bound on how many (non-fixed) assignments any plan can make; used for the rounding bound."""
    if len(arcs) == 0:
        return 0
    return int(min(m.total, np.unique(arcs.s).size, int(m.n_units.sum()), int(m.c_cap.sum())))


def _make_assignments(m: _Model, pairs: Iterable[tuple[int, int]]) -> list[Assignment]:
    out = []
    w = float(m.inp.distance_weight)
    for si, ni in pairs:
        st = m.inp.staff[si]
        nd = m.inp.needs[ni]
        c = m.inp.communes[m.commune_idx[nd.commune_code]]
        km = _km(st.home_lat, st.home_lon, c.lat, c.lon)
        out.append(Assignment(st.staff_id, nd.commune_code, nd.field, nd.priority - w * km, km))
    return out


def _gap(objective: float, bound: float) -> float:
    if not math.isfinite(bound):
        return math.inf
    if bound - objective <= 1e-12 * max(1.0, abs(bound)):
        return 0.0
    return (bound - objective) / max(abs(bound), 1e-9)


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


def _infeasible(t0: float, messages: list[str], stats=None) -> PlanResult:
    return _result("infeasible", 0.0, 0.0, t0, [], messages, stats)


# --------------------------------------------------------------------------------------------- public


def objective_of(inp: PlanInput, assignments: Iterable[Assignment]) -> float:
    """Recompute the objective exactly as defined: Σ priority·min(units, count) − w·Σ km (floats).

    Over-assignment is allowed here (it simply adds distance), so this also scores plans built by hand.
    """
    needs = {(nd.commune_code, nd.field): nd for nd in inp.needs}
    staff = {s.staff_id: s for s in inp.staff}
    communes = {c.code: c for c in inp.communes}
    count: Counter[tuple[str, str]] = Counter()
    km_total = 0.0
    for a in assignments:
        if a.staff_id not in staff or a.commune_code not in communes:
            raise ValueError(
                f"assignment refers to unknown staff/commune: {a.staff_id!r}, {a.commune_code!r}"
            )
        s, c = staff[a.staff_id], communes[a.commune_code]
        km_total += _km(s.home_lat, s.home_lon, c.lat, c.lon)
        count[(a.commune_code, a.field)] += 1
    covered = sum(nd.priority * min(nd.units, count[key]) for key, nd in needs.items() if key in count)
    return float(covered) - float(inp.distance_weight) * km_total


def solve(inp: PlanInput, time_limit: float = 60.0, progress: ProgressFn | None = None) -> PlanResult:
    """Optimal secondment plan via a min-cost flow (see module docstring for the model and the proof).

    ``progress(message, fraction)`` is called between phases. The flow itself is not interruptible; if
    building the candidate arcs alone exceeds ``time_limit`` the result is "timeout" with no plan.
    """
    from ortools.graph.python import min_cost_flow

    t0 = time.perf_counter()

    def report(msg: str, frac: float) -> None:
        if progress is not None:
            progress(msg, frac)

    report("Đang kiểm tra dữ liệu và ràng buộc khóa", 0.0)
    m = _prepare(inp)
    if m.infeasible:
        return _infeasible(t0, m.messages)
    report("Đang tính khoảng cách và các phương án khả dĩ", 0.05)
    arcs = _build_arcs(m)
    t_arcs = time.perf_counter() - t0
    stats = {"arcs": float(len(arcs)), "arcs_seconds": t_arcs}
    missing = _must_send_without_arcs(m, arcs)
    if missing:
        return _infeasible(t0, missing, stats)
    fixed_value = sum(a.value for a in _make_assignments(m, m.fixed))
    if len(arcs) == 0 or m.total == 0:
        plan = _make_assignments(m, m.fixed)
        obj = objective_of(inp, plan)
        return _result("optimal", obj, max(obj, fixed_value), t0, plan, stats=stats)
    if t_arcs > time_limit:
        return _result("timeout", 0.0, math.inf, t0, [], ["Hết thời gian khi đang chuẩn bị dữ liệu."], stats)

    report("Đang giải bài toán luồng chi phí nhỏ nhất", 0.4)
    # Node numbering: 0 source, 1 sink, then departments, staff, needs, communes (only those with arcs).
    staff_used, s_local = np.unique(arcs.s, return_inverse=True)
    need_used, n_local = np.unique(arcs.n, return_inverse=True)
    comm_used, nc_local = np.unique(m.n_comm[need_used], return_inverse=True)
    n_dept = len(m.depts)
    d0 = 2
    s0 = d0 + n_dept
    n0 = s0 + staff_used.size
    c0 = n0 + need_used.size
    total = m.total
    must = np.zeros(len(inp.staff), dtype=bool)
    must[m.must_send] = True
    is_must = must[staff_used]
    free = np.flatnonzero(~is_must)

    tails = [
        np.array([0], np.int32),
        np.zeros(n_dept, np.int32),
        (d0 + m.s_dept[staff_used[free]]).astype(np.int32),
        (s0 + s_local).astype(np.int32),
        (n0 + np.arange(need_used.size)).astype(np.int32),
        (c0 + np.arange(comm_used.size)).astype(np.int32),
    ]
    heads = [
        np.array([1], np.int32),
        (d0 + np.arange(n_dept)).astype(np.int32),
        (s0 + free).astype(np.int32),
        (n0 + n_local).astype(np.int32),
        (c0 + nc_local).astype(np.int32),
        np.ones(comm_used.size, np.int32),
    ]
    caps = [
        np.array([total], np.int64),
        np.minimum(m.quota, total).astype(np.int64),
        np.ones(free.size, np.int64),
        np.ones(len(arcs), np.int64),
        m.n_units[need_used].astype(np.int64),
        m.c_cap[comm_used].astype(np.int64),
    ]
    scaled = np.rint(arcs.v * COST_SCALE).astype(np.int64)
    costs = [
        np.zeros(1, np.int64),
        np.zeros(n_dept, np.int64),
        np.zeros(free.size, np.int64),
        -scaled,
        np.zeros(need_used.size, np.int64),
        np.zeros(comm_used.size, np.int64),
    ]
    first_assign_arc = 1 + n_dept + free.size

    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    supply = np.zeros(c0 + comm_used.size, dtype=np.int64)
    supply[0] = total
    supply[1] = -total
    must_local = np.flatnonzero(is_must)
    # Lower bound 1 on department -> must_send staff: +1 at the person, -1 at their department.
    np.add.at(supply, s0 + must_local, 1)
    np.add.at(supply, d0 + m.s_dept[staff_used[must_local]], -1)
    smcf.set_nodes_supplies(np.arange(supply.size, dtype=np.int32), supply)
    t_build = time.perf_counter()
    status = smcf.solve()
    stats["flow_seconds"] = time.perf_counter() - t_build
    stats["nodes"] = float(supply.size)
    if status == smcf.INFEASIBLE:
        return _infeasible(
            t0,
            [
                "Không có phương án thỏa mãn đồng thời các cán bộ bắt buộc cử, hạn mức phòng/ban, "
                "giới hạn mỗi xã và nhu cầu."
            ],
            stats,
        )
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = smcf.flows(np.arange(first_assign_arc, first_assign_arc + len(arcs), dtype=np.int32))
    chosen = np.flatnonzero(np.asarray(flows) > 0)
    pairs = list(m.fixed) + list(zip(arcs.s[chosen].tolist(), arcs.n[chosen].tolist(), strict=True))
    plan = _make_assignments(m, pairs)
    objective = objective_of(inp, plan)
    k = _max_assignments(m, arcs)
    bound = fixed_value + (-smcf.optimal_cost()) / COST_SCALE + k * 0.5 / COST_SCALE
    report("Xong", 1.0)
    return _result("optimal", objective, max(bound, objective), t0, plan, stats=stats)


def solve_mip(inp: PlanInput, time_limit: float = 60.0, backend: str = "HIGHS") -> PlanResult:
    """Reference solver: the same arc set as a MIP ("HIGHS", "SCIP", "CBC"), an LP ("GLOP", "PDLP") or CP-SAT.

    Kept for the tests (independent check of the flow model) and for the benchmark comparisons; ``solve``
    is what the application uses. For LP backends the assignments are the arcs at value ≥ 0.5, which is exact
    when the LP vertex is integral (it is for this network matrix with a simplex method).
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
    remaining = max(0.1, time_limit - (time.perf_counter() - t0))
    if backend == "CP_SAT":
        status, values, bound = _run_cpsat(m, arcs, groups, remaining)
        bound = bound / COST_SCALE + _max_assignments(m, arcs) * 0.5 / COST_SCALE
    else:
        status, values, bound = _run_pywraplp(m, arcs, groups, remaining, backend)
    stats["solver_seconds"] = time.perf_counter() - t0 - stats["arcs_seconds"]
    if status in ("infeasible", "timeout"):
        msgs = ["Không có phương án thỏa mãn các ràng buộc khóa."] if status == "infeasible" else []
        return _result(status, 0.0, math.inf if status == "timeout" else 0.0, t0, [], msgs, stats)
    chosen = np.flatnonzero(values > 0.5)
    pairs = list(m.fixed) + list(zip(arcs.s[chosen].tolist(), arcs.n[chosen].tolist(), strict=True))
    plan = _make_assignments(m, pairs)
    objective = objective_of(inp, plan)
    return _result(status, objective, max(fixed_value + bound, objective), t0, plan, stats=stats)


def _constraint_groups(m: _Model, arcs: _Arcs) -> list[tuple[np.ndarray, np.ndarray, int, int]]:
    """Rows of the MIP, per constraint family: (arc indices sorted by row, row starts, row lb, row ub)."""
    must = np.zeros(len(m.inp.staff), dtype=bool)
    must[m.must_send] = True
    fams = []
    uniq_s, inv_s = np.unique(arcs.s, return_inverse=True)
    fams.append((inv_s, must[uniq_s].astype(np.int64), np.ones(uniq_s.size, np.int64)))
    uniq_n, inv_n = np.unique(arcs.n, return_inverse=True)
    fams.append((inv_n, np.zeros(uniq_n.size, np.int64), m.n_units[uniq_n]))
    uniq_c, inv_c = np.unique(m.n_comm[arcs.n], return_inverse=True)
    fams.append((inv_c, np.zeros(uniq_c.size, np.int64), m.c_cap[uniq_c]))
    if m.inp.quotas:
        uniq_d, inv_d = np.unique(m.s_dept[arcs.s], return_inverse=True)
        fams.append((inv_d, np.zeros(uniq_d.size, np.int64), m.quota[uniq_d]))
    fams.append((np.zeros(len(arcs), np.int64), np.zeros(1, np.int64), np.array([m.total], np.int64)))
    out = []
    for gid, lb, ub in fams:
        order = np.argsort(gid, kind="stable")
        starts = np.searchsorted(gid[order], np.arange(lb.size + 1))
        out.append((order, starts, lb, ub))
    return out


def _run_pywraplp(m, arcs, groups, time_limit, backend):
    from ortools.linear_solver import pywraplp

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
    for a, v in enumerate(arcs.v.tolist()):
        obj.SetCoefficient(x[a], v)
    obj.SetMaximization()
    solver.SetTimeLimit(int(time_limit * 1000))
    if backend != "CBC":  # CBC takes threads through its parameter string and complains otherwise
        solver.SetNumThreads(2)
    st = solver.Solve()
    if st == pywraplp.Solver.INFEASIBLE:
        return "infeasible", None, 0.0
    if st not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return "timeout", None, math.inf
    values = np.array([xi.solution_value() for xi in x])
    bound = obj.Value() if lp else obj.BestBound()
    status = "optimal" if st == pywraplp.Solver.OPTIMAL else "feasible"
    return status, values, bound


def _run_cpsat(m, arcs, groups, time_limit):
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(arcs))]
    for order, starts, lb, ub in groups:
        for g in range(lb.size):
            members = [x[a] for a in order[starts[g] : starts[g + 1]].tolist()]
            model.add_linear_constraint(cp_model.LinearExpr.sum(members), int(lb[g]), int(ub[g]))
    scaled = np.rint(arcs.v * COST_SCALE).astype(np.int64).tolist()
    model.maximize(cp_model.LinearExpr.weighted_sum(x, scaled))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = 2
    st = solver.solve(model)
    if st == cp_model.INFEASIBLE:
        return "infeasible", None, 0.0
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "timeout", None, math.inf
    values = np.array([solver.value(v) for v in x], dtype=np.float64)
    status = "optimal" if st == cp_model.OPTIMAL else "feasible"
    return status, values, solver.best_objective_bound


def greedy(inp: PlanInput) -> PlanResult:
    """Baseline: must_send people first (each to their best still-open arc), then arcs by descending value.

    All constraints are respected. ``bound`` is a cheap relaxation (each person's best arc, per-department
    quota and total only), so ``gap`` is an honest upper estimate of what greedy leaves on the table.
    """
    t0 = time.perf_counter()
    m = _prepare(inp)
    if m.infeasible:
        return _infeasible(t0, m.messages)
    arcs = _build_arcs(m)
    missing = _must_send_without_arcs(m, arcs)
    if missing:
        return _infeasible(t0, missing)
    units = m.n_units.copy()
    cap = m.c_cap.copy()
    quota = m.quota.copy()
    left = m.total
    used = np.zeros(len(inp.staff), dtype=bool)
    pairs: list[tuple[int, int]] = list(m.fixed)
    order = np.lexsort((arcs.n, arcs.s, -arcs.v))
    s_sorted, n_sorted, v_sorted = arcs.s[order], arcs.n[order], arcs.v[order]
    n_comm, s_dept = m.n_comm, m.s_dept

    # Reserve a quota slot and a share of the total for every must_send person up front, so free people
    # taken later can never crowd them out of their own department's quota.
    must = np.zeros(len(inp.staff), dtype=bool)
    must[m.must_send] = True
    np.subtract.at(quota, s_dept[must], 1)
    left -= len(m.must_send)

    def take(si: int, ni: int, reserved: bool) -> bool:
        nonlocal left
        ci, di = n_comm[ni], s_dept[si]
        if used[si] or units[ni] <= 0 or cap[ci] <= 0:
            return False
        if not reserved:
            if quota[di] <= 0 or left <= 0:
                return False
            quota[di] -= 1
            left -= 1
        used[si] = True
        units[ni] -= 1
        cap[ci] -= 1
        pairs.append((si, ni))
        return True

    if m.must_send:
        sel = must[s_sorted]
        for si, ni in zip(s_sorted[sel].tolist(), n_sorted[sel].tolist(), strict=True):
            take(si, ni, reserved=True)
        if not used[m.must_send].all():
            names = [inp.staff[i].staff_id for i in m.must_send if not used[i]]
            return _infeasible(
                t0, [f"Thuật toán tham lam không xếp được người bắt buộc cử: {', '.join(names)}."]
            )
    for si, ni, v in zip(s_sorted.tolist(), n_sorted.tolist(), v_sorted.tolist(), strict=True):
        if left <= 0 or v <= 0:
            break
        take(si, ni, reserved=False)
    plan = _make_assignments(m, pairs)
    objective = objective_of(inp, plan)
    bound = _relaxation_bound(m, arcs)
    status = "optimal" if _gap(objective, bound) == 0.0 else "feasible"
    return _result(status, objective, max(bound, objective), t0, plan, stats={"arcs": float(len(arcs))})


def _relaxation_bound(m: _Model, arcs: _Arcs) -> float:
    """Upper bound: fixed values, each must_send person's best arc, others' best arcs within quotas/total."""
    fixed_value = sum(a.value for a in _make_assignments(m, m.fixed))
    if len(arcs) == 0:
        return fixed_value
    best = np.full(len(m.inp.staff), -np.inf)
    np.maximum.at(best, arcs.s, arcs.v)
    must = np.zeros(len(m.inp.staff), dtype=bool)
    must[m.must_send] = True
    bound = fixed_value + float(best[must].sum())
    quota = m.quota.copy()
    np.subtract.at(quota, m.s_dept[must], 1)
    cands = []
    others = np.flatnonzero(~must & np.isfinite(best) & (best > 0))
    for di in np.unique(m.s_dept[others]):
        vals = np.sort(best[others[m.s_dept[others] == di]])[::-1]
        cands.append(vals[: max(int(quota[di]), 0)])
    if cands:
        pool = np.sort(np.concatenate(cands))[::-1]
        bound += float(pool[: max(m.total - len(m.must_send), 0)].sum())
    return bound


def explain(inp: PlanInput, result: PlanResult, assignment: Assignment | str) -> dict:
    """Why this person goes there: the need covered, km, value, and the top-3 options not chosen.

    ``assignment`` may be an Assignment from ``result`` or a staff id. Each alternative carries a short
    ``reason`` code: "need_full" (the need is already covered by others), "commune_full" (the commune is at
    max_per_commune), "forbidden", or "lower_value" (open, but taking it would lower the total).
    """
    if isinstance(assignment, str):
        found = [a for a in result.assignments if a.staff_id == assignment]
        if not found:
            raise ValueError(f"staff {assignment!r} is not assigned in this plan")
        assignment = found[0]
    staff = {s.staff_id: s for s in inp.staff}[assignment.staff_id]
    needs = {(nd.commune_code, nd.field): nd for nd in inp.needs}
    communes = {c.code: c for c in inp.communes}
    nd = needs[(assignment.commune_code, assignment.field)]
    per_need = Counter((a.commune_code, a.field) for a in result.assignments)
    per_commune = Counter(a.commune_code for a in result.assignments)
    w = float(inp.distance_weight)
    options = []
    for key, other in needs.items():
        if other.field not in staff.fields or other.units <= 0 or key == (nd.commune_code, nd.field):
            continue
        c = communes[other.commune_code]
        km = _km(staff.home_lat, staff.home_lon, c.lat, c.lon)
        options.append((other.priority - w * km, km, other))
    options.sort(key=lambda t: (-t[0], t[2].commune_code, t[2].field))
    alternatives = []
    for value, km, other in options[:3]:
        if (staff.staff_id, other.commune_code) in inp.locks.forbidden:
            reason = "forbidden"
        elif per_need[(other.commune_code, other.field)] >= other.units:
            reason = "need_full"
        elif (
            other.commune_code != assignment.commune_code
            and per_commune[other.commune_code] >= inp.max_per_commune
        ):
            reason = "commune_full"
        else:
            reason = "lower_value"
        alternatives.append(
            {
                "commune_code": other.commune_code,
                "field": other.field,
                "value": value,
                "km": km,
                "priority": other.priority,
                "reason": reason,
            }
        )
    locked = None
    if (assignment.staff_id, assignment.commune_code, assignment.field) in set(inp.locks.fixed):
        locked = "fixed"
    elif assignment.staff_id in inp.locks.must_send:
        locked = "must_send"
    km = _km(staff.home_lat, staff.home_lon, communes[nd.commune_code].lat, communes[nd.commune_code].lon)
    return {
        "staff_id": staff.staff_id,
        "department": staff.department,
        "commune_code": nd.commune_code,
        "field": nd.field,
        "need": {
            "units": nd.units,
            "priority": nd.priority,
            "assigned": per_need[(nd.commune_code, nd.field)],
        },
        "km": km,
        "value": nd.priority - w * km,
        "locked": locked,
        "alternatives": alternatives,
    }


def to_json(result: PlanResult) -> dict:
    """JSON-ready summary: status, objective, bound, gap, seconds, messages and the assignment triples."""

    def num(x: float) -> float | None:
        return x if math.isfinite(x) else None  # JSON has no Infinity

    return {
        "status": result.status,
        "objective": num(result.objective),
        "bound": num(result.bound),
        "gap": num(result.gap),
        "seconds": result.seconds,
        "messages": list(result.messages),
        "assignments": [
            {"staff_id": a.staff_id, "commune_code": a.commune_code, "field": a.field}
            for a in result.assignments
        ],
    }
