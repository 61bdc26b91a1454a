"""The model: distances, the objective as defined, and the index-based view of an input once its locks are applied."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .inputs import Assignment, PlanInput, _validate, message

EARTH_RADIUS_KM = 6371.0088


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


def objective_of(inp: PlanInput, assignments: Iterable[Assignment]) -> float:
    """Recompute the objective exactly as defined: Σ priority·min(units, count) − w·Σ km (floats).

    Over-assignment is allowed here (it simply adds distance), so this also scores plans built by hand.
    """
    needs = {(need.commune_code, need.field): need for need in inp.needs}
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
    covered = sum(need.priority * min(need.units, count[key]) for key, need in needs.items() if key in count)
    return float(covered) - float(inp.distance_weight) * km_total


@dataclass
class _Model:
    """Validated, index-based view of a PlanInput after locks are applied (shared by every solver).

    Arrays are indexed by commune, need, staff or department position; "remaining" means after the fixed
    assignments took their share.
    """

    inp: PlanInput
    commune_index: dict[str, int]
    commune_lat: np.ndarray
    commune_lon: np.ndarray
    need_index: dict[tuple[str, str], int]
    need_commune: np.ndarray  # commune index of each need
    need_field: list[str]
    need_priority: np.ndarray
    need_units: np.ndarray  # remaining
    staff_index: dict[str, int]
    staff_lat: np.ndarray
    staff_lon: np.ndarray
    staff_department: np.ndarray  # department index of each person
    departments: list[str]  # sorted department codes
    department_quota: np.ndarray  # remaining (no quota table: total)
    commune_capacity: np.ndarray  # remaining places under max_per_commune
    total: int  # remaining
    fixed: list[tuple[int, int]]  # (staff index, need index)
    must_send: list[int]  # staff indices, excluding those already fixed
    eligible: np.ndarray  # staff who may still be assigned
    forbidden_keys: np.ndarray  # sorted int64 keys: staff index * number of communes + commune index
    messages: list[dict] = field(default_factory=list)

    @property
    def infeasible(self) -> bool:
        return bool(self.messages)


def _prepare(inp: PlanInput) -> _Model:
    """Index the input, apply locks, and collect the reasons (message codes) why the locks cannot hold."""
    _validate(inp)
    locks = inp.locks
    msgs: list[dict] = []
    commune_index = {c.code: i for i, c in enumerate(inp.communes)}
    commune_lat = np.array([c.lat for c in inp.communes], dtype=np.float64)
    commune_lon = np.array([c.lon for c in inp.communes], dtype=np.float64)
    need_index = {(need.commune_code, need.field): i for i, need in enumerate(inp.needs)}
    need_commune = np.array([commune_index[need.commune_code] for need in inp.needs], dtype=np.int64)
    need_field = [need.field for need in inp.needs]
    need_priority = np.array([need.priority for need in inp.needs], dtype=np.float64)
    need_units = np.array([need.units for need in inp.needs], dtype=np.int64)
    staff_index = {s.staff_id: i for i, s in enumerate(inp.staff)}
    staff_lat = np.array([s.home_lat for s in inp.staff], dtype=np.float64)
    staff_lon = np.array([s.home_lon for s in inp.staff], dtype=np.float64)
    departments = sorted({s.department for s in inp.staff})
    department_index = {d: i for i, d in enumerate(departments)}
    staff_department = np.array([department_index[s.department] for s in inp.staff], dtype=np.int64)
    total = int(inp.total)
    if inp.quotas:  # a non-empty quota table: missing departments release nobody
        department_quota = np.array([int(inp.quotas.get(d, 0)) for d in departments], dtype=np.int64)
    else:
        department_quota = np.full(len(departments), total, dtype=np.int64)
    commune_capacity = np.full(len(inp.communes), int(inp.max_per_commune), dtype=np.int64)
    commune_count = len(inp.communes)
    forbidden_keys = np.array(
        sorted(
            staff_index[s] * commune_count + commune_index[c]
            for s, c in locks.forbidden
            if s in staff_index and c in commune_index
        ),
        dtype=np.int64,
    )

    unknown = sorted({s for s in locks.must_send if s not in staff_index})
    unknown += sorted({s for s, _, _ in locks.fixed if s not in staff_index} - set(unknown))
    for s in unknown:
        msgs.append(message("lock_unknown_staff", staff_id=s))
    for s in sorted(locks.must_send & locks.must_not_send):
        msgs.append(message("lock_send_and_not_send", staff_id=s))

    fixed: list[tuple[int, int]] = []
    fixed_staff: set[str] = set()
    for sid, code, fld in locks.fixed:
        if sid not in staff_index:
            continue  # already reported
        person = inp.staff[staff_index[sid]]
        lock = {"staff_id": sid, "commune_code": code, "field": fld}
        if sid in fixed_staff:
            msgs.append(message("fixed_twice", **lock))
            continue
        fixed_staff.add(sid)
        if sid in locks.must_not_send:
            msgs.append(message("fixed_not_send", **lock))
        if fld not in person.fields:
            msgs.append(message("fixed_field_missing", **lock))
        ni = need_index.get((code, fld))
        if ni is None or inp.needs[ni].units <= 0:
            msgs.append(message("fixed_no_need", **lock))
            continue
        if (sid, code) in locks.forbidden:
            msgs.append(message("fixed_forbidden", **lock))
        fixed.append((staff_index[sid], ni))
        need_units[ni] -= 1
        commune_capacity[need_commune[ni]] -= 1
        department_quota[staff_department[staff_index[sid]]] -= 1
        total -= 1
    for ni in np.flatnonzero(need_units < 0):
        need = inp.needs[ni]
        msgs.append(
            message("fixed_over_need", commune_code=need.commune_code, field=need.field, units=need.units)
        )
    for ci in np.flatnonzero(commune_capacity < 0):
        msgs.append(
            message(
                "fixed_over_commune",
                commune_code=inp.communes[ci].code,
                max_per_commune=inp.max_per_commune,
            )
        )

    must_send = sorted(
        staff_index[s]
        for s in locks.must_send
        if s in staff_index and s not in fixed_staff and s not in locks.must_not_send
    )
    must_send_per_department = Counter(int(staff_department[i]) for i in must_send)
    for di in range(len(departments) if inp.quotas else 0):  # without a quota table only the total can bind
        if department_quota[di] - must_send_per_department.get(di, 0) < 0:
            msgs.append(
                message(
                    "forced_over_quota",
                    department=departments[di],
                    quota=inp.quotas.get(departments[di], 0),
                )
            )
    if total - len(must_send) < 0:
        msgs.append(message("forced_over_total", forced=inp.total - total + len(must_send), total=inp.total))
    department_quota = np.maximum(department_quota, 0)
    commune_capacity = np.maximum(commune_capacity, 0)
    need_units = np.maximum(need_units, 0)

    eligible = np.ones(len(inp.staff), dtype=bool)
    for s in locks.must_not_send | fixed_staff:
        if s in staff_index:
            eligible[staff_index[s]] = False
    must_mask = np.zeros(len(inp.staff), dtype=bool)
    must_mask[must_send] = True
    eligible &= (department_quota[staff_department] > 0) | must_mask
    if total <= 0:
        eligible[:] = False
    return _Model(
        inp=inp,
        commune_index=commune_index,
        commune_lat=commune_lat,
        commune_lon=commune_lon,
        need_index=need_index,
        need_commune=need_commune,
        need_field=need_field,
        need_priority=need_priority,
        need_units=need_units,
        staff_index=staff_index,
        staff_lat=staff_lat,
        staff_lon=staff_lon,
        staff_department=staff_department,
        departments=departments,
        department_quota=department_quota,
        commune_capacity=commune_capacity,
        total=max(total, 0),
        fixed=fixed,
        must_send=must_send,
        eligible=eligible,
        forbidden_keys=forbidden_keys,
        messages=msgs,
    )


def _must_mask(m: _Model) -> np.ndarray:
    """Boolean mask over staff: the must_send people still to place."""
    must = np.zeros(len(m.inp.staff), dtype=bool)
    must[m.must_send] = True
    return must


def _max_assignments(m: _Model, people: int | None = None) -> int:
    """Upper bound on how many (non-fixed) assignments any plan can make; used for the rounding bound."""
    people = int(m.eligible.sum()) if people is None else people
    return int(min(m.total, people, int(m.need_units.sum()), int(m.commune_capacity.sum())))


def _make_assignments(m: _Model, pairs: Iterable[tuple[int, int]]) -> list[Assignment]:
    """Assignments (with their km and value) for (staff index, need index) pairs."""
    out = []
    w = float(m.inp.distance_weight)
    for si, ni in pairs:
        person = m.inp.staff[si]
        need = m.inp.needs[ni]
        c = m.inp.communes[m.commune_index[need.commune_code]]
        km = _km(person.home_lat, person.home_lon, c.lat, c.lon)
        out.append(Assignment(person.staff_id, need.commune_code, need.field, need.priority - w * km, km))
    return out
