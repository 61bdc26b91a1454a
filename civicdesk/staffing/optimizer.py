"""Secondment optimiser: which province staff to second to which commune, for which field.

No Django here: this module is used by the web app, the worker and the CSV command line alike.

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
(R = 6371.0088 km, the IUGG mean Earth radius).  Locks: ``fixed`` assignments are forced, ``must_send``
people are assigned somewhere, ``must_not_send`` people stay home, ``forbidden`` (person, commune) pairs
never happen.

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
Exceptions are the locks: fixed assignments are kept whatever their value, and a ``must_send`` person keeps
*all* their arcs (they must go somewhere, possibly at a loss).  Locked people also fill a real unit of a need
("nobody is sent where they add nothing" applies to them too), so a fixed assignment to an already full need,
or a must_send person with no open need in their fields, makes the plan infeasible.

The formulation we ship: a min-cost flow
----------------------------------------
Every staff member belongs to exactly one department, so the problem is a network:

    source ──(cap quota_d)──▶ department d ──(cap 1)──▶ staff s ──(cap 1, cost −value)──▶ need (c,f)
    need (c,f) ──(cap units)──▶ commune c ──(cap max_per_commune)──▶ sink
    source ──(cap total, cost 0)──▶ sink                    (bypass: sending fewer people is allowed)

with supply ``total`` at the source and demand ``total`` at the sink: "total" is the source supply, quotas
are source→department capacities, and a minimum-cost flow is a maximum-value plan.  Network matrices are
totally unimodular, so the integer flow from OR-Tools' ``SimpleMinCostFlow`` is optimal for the integer
problem -- no branching.  Locks keep it a pure flow: must_not_send removes the person; a fixed (s, c, f) is
pre-assigned and reduces units, commune capacity, quota and total by one; must_send puts a lower bound 1 on
department→s, eliminated the standard way (capacity 1−1 = 0, supply +1 at s and −1 at the department), so
the flow is infeasible exactly when the locks are.  Forbidden pairs are simply missing arcs.

Three ways to feed the staff→need arcs, chosen per instance (``stats["method"]``):

* "direct": all positive arcs (≤ ``DIRECT_MAX_ARCS``, estimated from a 1,000-person sample).  Nationally at
  w = 0.05 only communes within priority/w ≤ 100 km count: 1.1 million arcs.
* "pricing" (column generation), when smaller w makes the arc count explode (w = 0.002: ~27 million; the
  solver needs ~150 bytes an arc, i.e. > 4 GB).  Start from each person's 20 best arcs; after each flow,
  compute dual potentials (Bellman–Ford on the residual graph) and add, per person, the 5 missing arcs with
  the most negative reduced cost; stop when none is negative -- then the flow is optimal for *all* arcs.
  Between rounds the plan is feasible and  optimum ≤ restricted optimum + Σ_s (person s's worst reduced
  cost)  (raise s's potential by that much: every missing arc becomes dual-feasible at a cost ≤ that amount
  through s's single capacity-1 incoming arc), so a time-out still returns a certified bound.
* "hub", when w = 0: every open need of a field is then worth the same to everyone with the field, so
  people reach needs through one hub node per field (staff→hub cap 1, hub→need cap units, cost −priority):
  exact, ~30,000 arcs instead of ~28 million.  People with a forbidden commune keep ordinary arcs.

Costs must be integers: values are scaled by S = ``COST_SCALE`` (10^9, lowered only if int64 headroom
requires) and rounded.  With ε = 0.5/S and K the largest possible number of assignments, the true optimum is
at most (rounded optimum)/S + K·ε, which we report as ``bound`` (plus the pricing term above if pricing was
cut short); the objective is recomputed in floats from the chosen assignments.  Certified gaps are ~10^-10.

Measurements (bench/secondment.py, seed 1, 2-core machine shared with other jobs; "quiet" = load < 1,
otherwise load ≈ 4 and times roughly double; RSS = peak resident memory of the whole process)
-------------------------------------------------------------------------------------------------------
Province: 124 communes, 376 needs (759 units), 600 staff, 12 departments, total 260, w 0.05, 4 per commune.
Nation: 3,321 communes, 10,548 needs (21,075 units), 12,000 staff, 14 departments (quota sum 8,647),
total 8,000, w 0.05, 4 per commune; 1,131,856 positive arcs, 25,885 nodes.

    instance / method                 status      objective     seconds              RSS
    province  flow (direct)           optimal        997.8227   0.02 quiet, 0.06–0.25   57 MB
    province  GLOP / CBC / PDLP       optimal        997.8227   0.13 / 0.25 / 0.51     65–108 MB
    province  HiGHS / SCIP / CP-SAT   optimal        997.8227   0.57 / 0.90 / 1.88     85–236 MB
    province  greedy                  feasible       993.4060   0.01 (ratio 0.9956)
    nation    flow (direct)           optimal     31,794.1788   1.3–1.4 quiet, 2.8–3.0  245–270 MB
    nation    flow, forced pricing    optimal     31,794.1788   2.9–4.0 (5 rounds)      205 MB
    nation    GLOP (LP, same arcs)    optimal     31,794.1788   43.7 (10.4 build)      1.5 GB
    nation    CBC (MIP)               optimal     31,794.1788   52.7                   6.6 GB
    nation    PDLP (first-order LP)   "optimal"   31,799.1691   56.8 -- rounded plan sends 8,002 > total
    nation    CP-SAT, 2 workers       no solution in 120 s                             3.6 GB
    nation    SCIP (MIP)              feasible    28,328 (gap 98 %) after 213 s          21.6 GB
    nation    HiGHS (MIP, pywraplp)   no answer after 590 s, limit of 120 s ignored     2.8 GB
    nation    greedy                  feasible    31,318.2030   1.0–1.7 (ratio 0.9850)

The LP optimum equals the flow optimum (the LP is integral, as total unimodularity predicts), so the flow's
bound is also the LP bound.  Other seeds (nation): 31,706.7001 and 31,875.2623 in 1.2–1.3 s; greedy ratios
0.9865 and 0.9883.  Smaller distance weights, nation (auto method): w 0.02 direct, 3.9 M arcs, 3.4–4.1 s,
640 MB; w 0.01 pricing, 7.5–10 s, 315 MB (direct: 6.5 s, 1.2 GB); w 0.005 pricing 6.2 s (direct: 17 s,
2.1 GB); w 0.002 pricing, 8–12 s, 380 MB (direct would exceed 4 GB); w 0 hub, 0.4–0.7 s, 77 MB.

``solve_mip`` keeps the MIP/LP/CP-SAT formulations of the same arc set; the tests use it as an independent
check of the flow and the benchmark uses it for the table above.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

EARTH_RADIUS_KM = 6371.0088
# Integer scaling of arc values for the min-cost flow: 10^9 makes the rounding error (≤ 0.5·10^-9 per
# assignment) invisible even on tiny instances whose objective is ~1, so the certified gap stays < 10^-8.
# ``_cost_scale`` lowers it when |value| × nodes would approach the int64 range OR-Tools checks (its
# cost-scaling algorithm multiplies costs by the number of nodes).
COST_SCALE = 1_000_000_000
# CP-SAT (reference only) copes better with smaller coefficients.
_CPSAT_SCALE = 1_000_000
# Above this many (estimated) positive arcs the flow starts from each person's best arcs and adds the rest by
# pricing (exact, see the docstring). Measured crossover: at ~4M arcs the direct solve takes ~3.4 s and 650 MB,
# pricing ~5 s and 260 MB; at ~8M direct is 6.5 s / 1.2 GB against 7.5 s / 310 MB for pricing.
DIRECT_MAX_ARCS = 4_000_000
_PRICING_START_PER_STAFF = 20
_PRICING_ADD_PER_STAFF = 5
_PRICING_MAX_ROUNDS = 1000  # a safety net; nationally 5–7 rounds suffice
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
    stats: dict[str, float | str] = field(default_factory=dict)


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
    for di in range(len(depts) if inp.quotas else 0):  # without a quota table only the total can bind
        if quota[di] - per_dept.get(di, 0) < 0:
            msgs.append(
                f"Phòng/ban '{depts[di]}': số người bắt buộc cử hoặc cố định vượt hạn mức "
                f"({inp.quotas.get(depts[di], 0)})."
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


# ------------------------------------------------------------------------------------- candidate arcs


def _must_mask(m: _Model) -> np.ndarray:
    must = np.zeros(len(m.inp.staff), dtype=bool)
    must[m.must_send] = True
    return must


def _dense_blocks(m: _Model, staff_rows: np.ndarray, min_value: float) -> Iterable[tuple]:
    """Yield (staff indices, need indices, value matrix) blocks for the given staff, field by field.

    Only needs that are still open are considered. Needs and staff are sorted by latitude so that, for a block
    of staff, only needs inside a latitude band where ``value > min_value`` is possible are computed
    (great-circle km ≥ |Δlat| · 111.2): an exact cut that skips most of the 12,000 × 3,321 distance matrix
    at national scale. ``min_value = -inf`` disables the cut (must_send people keep every arc).
    """
    inp = m.inp
    w = float(inp.distance_weight)
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
        band = math.inf
        if w > 0 and math.isfinite(min_value):
            band = max(float(n_prio.max()) - min_value, 0.0) / w / _KM_PER_DEGREE_LAT
        for start in range(0, sids.size, _CHUNK_ROWS):
            blk = sids[start : start + _CHUNK_ROWS]
            b_lat = m.s_lat[blk]
            lo, hi = 0, n_lat.size
            if math.isfinite(band):
                lo = int(np.searchsorted(n_lat, b_lat[0] - band, side="left"))
                hi = int(np.searchsorted(n_lat, b_lat[-1] + band, side="right"))
            if hi <= lo:
                continue
            km = haversine_km(b_lat[:, None], m.s_lon[blk][:, None], n_lat[None, lo:hi], n_lon[None, lo:hi])
            yield blk, nids[lo:hi], n_prio[None, lo:hi] - w * km


def _concat(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> _Arcs:
    if not parts:
        return _Arcs(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    return _Arcs(
        np.concatenate([p[0] for p in parts]).astype(np.int32),
        np.concatenate([p[1] for p in parts]).astype(np.int32),
        np.concatenate([p[2] for p in parts]).astype(np.float64),
    )


def _drop_forbidden(m: _Model, arcs: _Arcs) -> _Arcs:
    if m.forbidden.size == 0 or len(arcs) == 0:
        return arcs
    keys = arcs.s.astype(np.int64) * len(m.inp.communes) + m.n_comm[arcs.n]
    keep = ~np.isin(keys, m.forbidden)
    return _Arcs(arcs.s[keep], arcs.n[keep], arcs.v[keep])


def _arcs_for(m: _Model, rows: np.ndarray, keep_all: bool) -> _Arcs:
    """Every arc of ``rows`` (keep_all, for must_send people) or every arc with value > 0."""
    parts = []
    for blk, nids, val in _dense_blocks(m, rows, -math.inf if keep_all else 0.0):
        r, c = np.nonzero(np.ones(val.shape, dtype=bool) if keep_all else val > 0)
        if r.size:
            parts.append((blk[r], nids[c], val[r, c]))
    return _drop_forbidden(m, _concat(parts))


def _build_arcs(m: _Model) -> _Arcs:
    """All candidate arcs: positive-value arcs of free staff plus every arc of must_send staff."""
    must = _must_mask(m)
    free = _arcs_for(m, np.flatnonzero(m.eligible & ~must), keep_all=False)
    forced = _arcs_for(m, np.flatnonzero(m.eligible & must), keep_all=True)
    return _Arcs(
        np.concatenate([free.s, forced.s]),
        np.concatenate([free.n, forced.n]),
        np.concatenate([free.v, forced.v]),
    )


def _estimate_arcs(m: _Model, rows: np.ndarray) -> float:
    """Expected number of positive arcs of ``rows`` from a fixed sample of 1,000 people (~50 ms nationally)."""
    if rows.size <= 2000:
        sample = rows
    else:
        sample = np.sort(np.random.default_rng(0).choice(rows, 1000, replace=False))
    count = sum(int((val > 0).sum()) for _, _, val in _dense_blocks(m, sample, 0.0))
    return count * rows.size / max(sample.size, 1)


def _must_send_without_arcs(m: _Model, arcs: _Arcs) -> list[str]:
    have = set(np.unique(arcs.s).tolist())
    return [
        f"Cán bộ '{m.inp.staff[i].staff_id}' bắt buộc cử nhưng không còn nhu cầu nào phù hợp lĩnh vực "
        "(hoặc các xã phù hợp đã đủ người)."
        for i in m.must_send
        if i not in have
    ]


def _max_assignments(m: _Model, people: int | None = None) -> int:
    """Upper bound on how many (non-fixed) assignments any plan can make; used for the rounding bound."""
    people = int(m.eligible.sum()) if people is None else people
    return int(min(m.total, people, int(m.n_units.sum()), int(m.c_cap.sum())))


def _cost_scale(max_abs_value: float, n_nodes: int) -> float:
    """COST_SCALE, reduced if needed so that max|cost| · (nodes + 1) stays below 2^60 (int64 headroom)."""
    return float(min(COST_SCALE, 2.0**60 / ((max_abs_value + 1.0) * (n_nodes + 1))))


# -------------------------------------------------------------------------------------------- network


class _Network:
    """The flow network of the module docstring, over *all* departments, staff, needs and communes.

    Every node exists even without arcs so that dual potentials are defined everywhere for pricing.
    Static arcs are built once; the staff→need arcs are passed to each ``solve``. With ``hub_rows`` (used
    when distance_weight = 0) those people reach needs through one hub node per field instead of one arc
    per need: every open need of a field is then equally good for every person with the field, so
    staff→hub(f) (cap 1) and hub(f)→need (cap units, cost −priority) are exact with ~30,000 arcs in place of
    ~28 million.
    """

    def __init__(self, m: _Model, scale: float, hub_rows: np.ndarray | None = None, keep_graph: bool = False):
        inp = m.inp
        self.keep_graph = keep_graph  # pricing needs the whole residual graph; the direct path only flows
        n_staff, n_need, n_comm, n_dept = len(inp.staff), len(inp.needs), len(inp.communes), len(m.depts)
        self.m, self.scale = m, scale
        self.d0 = 2
        self.s0 = self.d0 + n_dept
        self.n0 = self.s0 + n_staff
        self.c0 = self.n0 + n_need
        self.h0 = self.c0 + n_comm
        total = m.total
        must = _must_mask(m)
        free = np.flatnonzero(m.eligible & ~must)
        parts: list[tuple] = []

        def add(tails, heads, caps, costs) -> tuple[int, int]:
            start = sum(p[0].size for p in parts)
            n = np.asarray(tails).size
            parts.append(
                (
                    np.asarray(tails, dtype=np.int32),
                    np.asarray(heads, dtype=np.int32),
                    np.broadcast_to(np.asarray(caps, dtype=np.int64), (n,)),
                    np.broadcast_to(np.asarray(costs, dtype=np.int64), (n,)),
                )
            )
            return start, start + n

        add([0], [1], [total], [0])  # bypass: sending fewer than ``total`` people is allowed
        add(np.zeros(n_dept), self.d0 + np.arange(n_dept), np.minimum(m.quota, total), 0)
        add(self.d0 + m.s_dept[free], self.s0 + free, 1, 0)
        add(self.n0 + np.arange(n_need), self.c0 + m.n_comm, m.n_units, 0)
        add(self.c0 + np.arange(n_comm), np.ones(n_comm), m.c_cap, 0)
        self.hub_fields: list[str] = []
        self.hub_staff = self.hub_need = (0, 0)
        self.hub_staff_rows = self.hub_staff_field = np.zeros(0, np.int64)
        self.hub_need_ids = self.hub_need_field = np.zeros(0, np.int64)
        if hub_rows is not None and hub_rows.size:
            open_needs = np.flatnonzero((m.n_units > 0) & (m.c_cap[m.n_comm] > 0))
            self.hub_fields = sorted({m.n_field[i] for i in open_needs})
            fidx = {f: i for i, f in enumerate(self.hub_fields)}
            pairs = [
                (s, fidx[f]) for s in hub_rows.tolist() for f in sorted(inp.staff[s].fields) if f in fidx
            ]
            self.hub_staff_rows = np.array([p[0] for p in pairs], dtype=np.int64)
            self.hub_staff_field = np.array([p[1] for p in pairs], dtype=np.int64)
            self.hub_staff = add(self.s0 + self.hub_staff_rows, self.h0 + self.hub_staff_field, 1, 0)
            self.hub_need_ids = open_needs
            self.hub_need_field = np.array([fidx[m.n_field[i]] for i in open_needs], dtype=np.int64)
            costs = -np.rint(m.n_prio[open_needs] * scale).astype(np.int64)
            self.hub_need = add(
                self.h0 + self.hub_need_field, self.n0 + open_needs, m.n_units[open_needs], costs
            )
        self.n_nodes = self.h0 + len(self.hub_fields)
        self.static = tuple(np.concatenate([p[i] for p in parts]) for i in range(4))
        self.supply = np.zeros(self.n_nodes, dtype=np.int64)
        self.supply[0], self.supply[1] = total, -total
        # must_send: lower bound 1 on department→person, i.e. +1 supply at the person, −1 at the department.
        np.add.at(self.supply, self.s0 + np.asarray(m.must_send, dtype=np.int64), 1)
        np.add.at(self.supply, self.d0 + m.s_dept[np.asarray(m.must_send, dtype=np.int64)], -1)
        self.last: tuple | None = None

    def solve(self, arcs: _Arcs) -> tuple[np.ndarray, int] | None:
        """Min-cost flow with the static arcs plus ``arcs``; (flows of ``arcs``, optimal cost) or None."""
        from ortools.graph.python import min_cost_flow

        st, sh, su, sc = self.static
        tails = np.concatenate([st, (self.s0 + arcs.s).astype(np.int32)])
        heads = np.concatenate([sh, (self.n0 + arcs.n).astype(np.int32)])
        caps = np.concatenate([su, np.ones(len(arcs), np.int64)])
        costs = np.concatenate([sc, -np.rint(arcs.v * self.scale).astype(np.int64)])
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        smcf.set_nodes_supplies(np.arange(self.n_nodes, dtype=np.int32), self.supply)
        status = smcf.solve()
        if status == smcf.INFEASIBLE:
            return None
        if status != smcf.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        flows = np.asarray(smcf.flows(np.arange(tails.size, dtype=np.int32)))
        self.last = (tails, heads, caps, costs, flows) if self.keep_graph else (None, None, None, None, flows)
        return flows[st.size :], int(smcf.optimal_cost())

    def hub_pairs(self) -> list[tuple[int, int]]:
        """(staff, need) pairs from the hub flows: any pairing within a field is optimal (w = 0)."""
        if not self.hub_fields or self.last is None:
            return []
        flows = self.last[4]
        s_flow = flows[self.hub_staff[0] : self.hub_staff[1]]
        n_flow = flows[self.hub_need[0] : self.hub_need[1]]
        pairs = []
        for fi in range(len(self.hub_fields)):
            people = self.hub_staff_rows[(self.hub_staff_field == fi) & (s_flow > 0)]
            in_field = self.hub_need_field == fi
            slots = np.repeat(self.hub_need_ids[in_field], n_flow[in_field])
            pairs.extend(zip(people.tolist(), slots.tolist(), strict=True))
        return pairs

    def potentials(self) -> np.ndarray:
        """Dual potentials of the last optimal flow: shortest distances in the residual graph from a virtual
        root joined to every node at cost 0 (Bellman–Ford, vectorised). Reduced costs c + d(tail) − d(head)
        are then ≥ 0 on every residual arc. Converges in (longest shortest path) rounds, ~80 nationally."""
        tails, heads, caps, costs, flows = self.last
        fwd, bwd = flows < caps, flows > 0
        rt = np.concatenate([tails[fwd], heads[bwd]])
        rh = np.concatenate([heads[fwd], tails[bwd]])
        rc = np.concatenate([costs[fwd], -costs[bwd]])
        order = np.argsort(rh, kind="stable")
        rt, rh, rc = rt[order], rh[order], rc[order]
        heads_u, starts = np.unique(rh, return_index=True)
        d = np.zeros(self.n_nodes, dtype=np.int64)
        for _ in range(self.n_nodes + 1):
            best = np.minimum.reduceat(d[rt] + rc, starts)
            better = best < d[heads_u]
            if not better.any():
                return d
            d[heads_u[better]] = best[better]
        raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")


class _Pricer:
    """Column generation for the staff→need arcs, used when there are too many to hold in the flow.

    The distance work is done once: every positive arc's integer cost (rint(value·scale)) is kept in dense
    per-field blocks (8 bytes an element, ~200 MB for 28 million pairs, against ~150 bytes an arc inside
    the flow solver). Each round then prices all missing arcs against the dual potentials of the last flow.
    """

    def __init__(self, m: _Model, rows: np.ndarray, scale: float):
        self.m, self.scale = m, scale
        n_comm = len(m.inp.communes)
        banned: dict[int, list[int]] = {}
        for key in m.forbidden.tolist():
            banned.setdefault(key // n_comm, []).append(key % n_comm)
        self.blocks = []
        for blk, nids, val in _dense_blocks(m, rows, 0.0):
            cost = np.rint(val * scale)
            cost[cost <= 0] = -np.inf  # worthless arcs price as +inf: never added, never counted
            for r in [i for i, s in enumerate(blk.tolist()) if s in banned]:
                cost[r, np.isin(m.n_comm[nids], banned[int(blk[r])])] = -np.inf
            order = np.argsort(nids, kind="stable")
            self.blocks.append((blk, nids, cost, nids[order], order))
        self.elements = sum(b[2].size for b in self.blocks)

    def _best_per_staff(self, parts: list[tuple], k: int) -> _Arcs:
        if not parts:
            return _concat([])
        s = np.concatenate([p[0] for p in parts])
        n = np.concatenate([p[1] for p in parts])
        c = np.concatenate([p[2] for p in parts])
        key = np.concatenate([p[3] for p in parts])
        order = np.lexsort((n, key, s))
        s_sorted = s[order]
        rank = np.arange(order.size) - np.searchsorted(s_sorted, s_sorted, side="left")
        sel = order[rank < k]
        return _Arcs(s[sel].astype(np.int32), n[sel].astype(np.int32), c[sel] / self.scale)

    def initial(self, k: int) -> _Arcs:
        """Each person's k most valuable arcs."""
        parts = []
        for blk, nids, cost, _, _ in self.blocks:
            kk = min(k, cost.shape[1])
            idx = np.argpartition(-cost, kk - 1, axis=1)[:, :kk]
            c = np.take_along_axis(cost, idx, axis=1)
            keep = np.isfinite(c)
            parts.append((np.repeat(blk, kk)[keep.ravel()], nids[idx[keep]], c[keep], -c[keep]))
        return self._best_per_staff(parts, k)

    def price(self, net: _Network, assigned_need: np.ndarray, per_staff: int) -> tuple[_Arcs, float]:
        """Missing arcs with negative reduced cost (at most ``per_staff`` per person, most negative first) and
        Σ over people of their most negative reduced cost (scaled; 0 proves the flow optimal).

        Why the sum bounds the loss: raising one person's potential by δ_s (their worst violation) makes every
        missing arc of theirs dual-feasible and costs at most δ_s through their single incoming arc of
        capacity 1, so  true optimum ≤ restricted optimum + Σ_s δ_s  (weak LP duality on the full network).
        Only arcs with flow can have a negative reduced cost among those already in the flow (residual arcs
        have reduced cost ≥ 0), and a person has at most one such arc: it is masked by ``assigned_need``.
        """
        m = self.m
        d = net.potentials().astype(np.float64)  # |d| < 2^53: exact in float64
        d_staff = d[net.s0 : net.s0 + len(m.inp.staff)]
        d_need = d[net.n0 : net.n0 + len(m.inp.needs)]
        worst = np.zeros(len(m.inp.staff))
        parts = []
        for blk, nids, cost, sorted_ids, order in self.blocks:
            red = d_staff[blk][:, None] - d_need[nids][None, :] - cost
            a = assigned_need[blk]
            pos = np.minimum(np.searchsorted(sorted_ids, a), sorted_ids.size - 1)
            hit = (a >= 0) & (sorted_ids[pos] == a)
            red[np.flatnonzero(hit), order[pos[hit]]] = np.inf
            row_min = red.min(axis=1)
            worst[blk] = np.minimum(worst[blk], row_min)
            rows = np.flatnonzero(row_min < 0)
            if rows.size == 0:
                continue
            sub = red[rows]
            kk = min(per_staff, sub.shape[1])
            idx = np.argpartition(sub, kk - 1, axis=1)[:, :kk]
            r = np.take_along_axis(sub, idx, axis=1)
            keep = r < 0
            c = np.take_along_axis(cost[rows], idx, axis=1)
            parts.append((np.repeat(blk[rows], kk)[keep.ravel()], nids[idx[keep]], c[keep], r[keep]))
        return self._best_per_staff(parts, per_staff), float(-worst.sum())


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
    """Optimal secondment plan via a min-cost flow (see the module docstring for the model and the proofs).

    ``progress(message, fraction)`` is called between phases. One flow solve is not interruptible; the
    time limit is checked between phases and between pricing rounds: if it passes during pricing the best
    plan so far is returned as "feasible" with a certified bound, if it passes before any flow was solved
    the result is "timeout" with no plan.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit

    def report(msg: str, frac: float) -> None:
        if progress is not None:
            progress(msg, frac)

    report("Đang kiểm tra dữ liệu và ràng buộc khóa", 0.0)
    m = _prepare(inp)
    if m.infeasible:
        return _infeasible(t0, m.messages)
    report("Đang tính khoảng cách và các phương án khả dĩ", 0.05)
    must = _must_mask(m)
    free_rows = np.flatnonzero(m.eligible & ~must)
    forced = _arcs_for(m, np.flatnonzero(m.eligible & must), keep_all=True)
    missing = _must_send_without_arcs(m, forced)
    if missing:
        return _infeasible(t0, missing)
    # One cost scale for every arc of the run: free arcs are worth at most the top priority, must_send arcs
    # can be large losses.
    max_abs = max(float(m.n_prio.max()) if m.n_prio.size else 5.0, float(np.abs(forced.v).max(initial=0.0)))
    n_nodes = 2 + len(m.depts) + len(inp.staff) + len(inp.needs) + len(inp.communes) + len({*m.n_field})
    scale = _cost_scale(max_abs, n_nodes)
    hub_rows, pricer = None, None
    if inp.distance_weight == 0:
        # People with a forbidden commune cannot share a field hub; they keep ordinary arcs.
        banned = {m.staff_idx[s] for s, _ in inp.locks.forbidden if s in m.staff_idx}
        hub_rows = np.array([s for s in free_rows.tolist() if s not in banned], dtype=np.int64)
        own = np.array(sorted(banned & set(free_rows.tolist())), dtype=np.int64)
        free, method = _arcs_for(m, own, keep_all=False), "hub"
        people = hub_rows.size + own.size
    elif _estimate_arcs(m, free_rows) <= DIRECT_MAX_ARCS:
        free, method = _arcs_for(m, free_rows, keep_all=False), "direct"
        people = int(np.unique(free.s).size)
    else:
        pricer = _Pricer(m, free_rows, scale)
        free, method = pricer.initial(_PRICING_START_PER_STAFF), "pricing"
        people = free_rows.size
    arcs = _Arcs(
        np.concatenate([free.s, forced.s]),
        np.concatenate([free.n, forced.n]),
        np.concatenate([free.v, forced.v]),
    )
    stats: dict[str, float | str] = {"method": method, "arcs_seconds": time.perf_counter() - t0}
    if pricer is not None:
        stats["priced_pairs"] = float(pricer.elements)
    fixed_value = sum(a.value for a in _make_assignments(m, m.fixed))
    if time.perf_counter() > deadline:
        return _result("timeout", 0.0, math.inf, t0, [], ["Hết thời gian khi đang chuẩn bị dữ liệu."], stats)

    net = _Network(m, scale, hub_rows, keep_graph=pricer is not None)
    rounds, violation, flow_seconds, pricing_seconds = 0, 0.0, 0.0, 0.0
    status = "optimal"
    while True:
        rounds += 1
        report(f"Đang giải bài toán luồng chi phí nhỏ nhất (vòng {rounds})", min(0.9, 0.3 + 0.1 * rounds))
        t = time.perf_counter()
        solved = net.solve(arcs)
        flow_seconds += time.perf_counter() - t
        if solved is None:
            return _infeasible(
                t0,
                [
                    "Không có phương án thỏa mãn đồng thời các cán bộ bắt buộc cử, hạn mức phòng/ban, "
                    "giới hạn mỗi xã và nhu cầu."
                ],
                stats,
            )
        flows, cost = solved
        if pricer is None:
            break
        t = time.perf_counter()
        assigned = np.full(len(inp.staff), -1, dtype=np.int64)
        used = flows > 0
        assigned[arcs.s[used]] = arcs.n[used]
        extra, violation = pricer.price(net, assigned, _PRICING_ADD_PER_STAFF)
        pricing_seconds += time.perf_counter() - t
        if len(extra) == 0:
            violation = 0.0
            break
        if time.perf_counter() > deadline or rounds >= _PRICING_MAX_ROUNDS:
            status = "feasible"  # best plan so far; the bound below still certifies how far off it can be
            break
        arcs = _Arcs(
            np.concatenate([arcs.s, extra.s]),
            np.concatenate([arcs.n, extra.n]),
            np.concatenate([arcs.v, extra.v]),
        )
    chosen = np.flatnonzero(flows > 0)
    pairs = list(m.fixed) + list(zip(arcs.s[chosen].tolist(), arcs.n[chosen].tolist(), strict=True))
    pairs += net.hub_pairs()
    plan = _make_assignments(m, pairs)
    objective = objective_of(inp, plan)
    k = _max_assignments(m, people + len(m.must_send))
    bound = fixed_value + (-cost + violation) / scale + k * 0.5 / scale
    stats.update(
        {
            "arcs": float(len(arcs)),
            "nodes": float(net.n_nodes),
            "rounds": float(rounds),
            "flow_seconds": flow_seconds,
            "pricing_seconds": pricing_seconds,
        }
    )
    report("Xong", 1.0)
    return _result(status, objective, max(bound, objective), t0, plan, stats=stats)


def solve_mip(inp: PlanInput, time_limit: float = 60.0, backend: str = "HIGHS") -> PlanResult:
    """Reference solver: the same arc set as a MIP ("HIGHS", "SCIP", "CBC"), an LP ("GLOP", "PDLP") or CP-SAT.

    Kept for the tests (independent check of the flow model) and for the benchmark comparisons; ``solve``
    is what the application uses. For LP backends the assignments are the arcs at value ≥ 0.5, which is exact
    when the LP vertex is integral (it is for this network matrix with a simplex method such as GLOP); PDLP
    is a first-order method whose rounded solution can break constraints -- never use it for a real plan.
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
    for a, v in enumerate(arcs.v.tolist()):
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
    scaled = np.rint(arcs.v * _CPSAT_SCALE).astype(np.int64).tolist()
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
    units = m.n_units.copy()
    cap = m.c_cap.copy()
    quota = m.quota.copy()
    used = np.zeros(len(inp.staff), dtype=bool)
    pairs: list[tuple[int, int]] = list(m.fixed)
    n_comm, s_dept = m.n_comm, m.s_dept
    # Reserve a quota slot and a share of the total for every must_send person up front, so free people
    # taken later can never crowd them out of their own department's quota.
    np.subtract.at(quota, s_dept[must], 1)
    left = m.total - len(m.must_send)

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

    order = np.lexsort((forced.n, forced.s, -forced.v))
    for si, ni in zip(forced.s[order].tolist(), forced.n[order].tolist(), strict=True):
        take(si, ni, reserved=True)
    if not used[m.must_send].all():
        names = [inp.staff[i].staff_id for i in m.must_send if not used[i]]
        return _infeasible(t0, [f"Thuật toán tham lam không xếp được người bắt buộc cử: {', '.join(names)}."])
    free_rows = np.flatnonzero(m.eligible & ~must)
    top = float(m.n_prio.max()) if m.n_prio.size else 0.0
    edges = [*np.arange(top, 0.0, -1.0).tolist(), 0.0]
    scanned = 0
    for hi, lo in itertools.pairwise(edges):
        if left <= 0:
            break
        rows = free_rows[~used[free_rows] & (quota[s_dept[free_rows]] > 0)]
        parts = []
        for blk, nids, val in _dense_blocks(m, rows, lo):
            r, c = np.nonzero((val > lo) & (val <= hi))
            if r.size:
                parts.append((blk[r], nids[c], val[r, c]))
        tier = _drop_forbidden(m, _concat(parts))
        order = np.lexsort((tier.n, tier.s, -tier.v))
        scanned += len(tier)
        for si, ni in zip(tier.s[order].tolist(), tier.n[order].tolist(), strict=True):
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
        np.maximum.at(best, forced.s, forced.v)
    for blk, _, val in _dense_blocks(m, free_rows, 0.0):
        best[blk] = np.maximum(best[blk], val.max(axis=1))
    must = _must_mask(m)
    bound = sum(a.value for a in _make_assignments(m, m.fixed)) + float(best[must].sum())
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
    chosen_key = (nd.commune_code, nd.field)
    others = [
        o
        for o in inp.needs
        if o.field in staff.fields and o.units > 0 and (o.commune_code, o.field) != chosen_key
    ]
    # One vectorised distance computation: a national need list has ~10,000 rows.
    o_lat = np.array([communes[o.commune_code].lat for o in others], dtype=np.float64)
    o_lon = np.array([communes[o.commune_code].lon for o in others], dtype=np.float64)
    o_km = haversine_km(staff.home_lat, staff.home_lon, o_lat, o_lon)
    o_val = np.array([o.priority for o in others], dtype=np.float64) - w * o_km
    options = [(float(v), float(k), o) for v, k, o in zip(o_val, o_km, others, strict=True)]
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
