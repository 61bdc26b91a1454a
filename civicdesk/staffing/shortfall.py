"""Why a solved plan sends fewer people than its total: what binds, so the planner knows what to change.

No Django here (like the optimiser). The optimiser maximises value, and sending someone is only worth it where
they cover an open need at a positive value (priority − distance_weight · km). When it sends fewer than `total`,
each person left at home, for each open need in one of their fields, is held back by at least one of: their
department's quota is used up, the commune already has `max_per_commune` people, the pair is forbidden, or the
commune is too far for the need's priority. Counting those blocks says which knob would let more people go.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .optimizer import PlanInput, PlanResult, haversine_km


@dataclass
class Shortfall:
    total: int
    assigned: int
    open_units: Counter = field(default_factory=Counter)  # field -> need units still open
    full_departments: dict = field(default_factory=dict)  # department -> quota, where used up and it bites
    full_communes: int = 0  # communes at max_per_commune that still have open needs someone could fill
    too_far: int = 0  # (person, open need) pairs held back only by distance
    nobody_with_field: list = field(
        default_factory=list
    )  # fields with open needs and no one left who has them

    @property
    def missing(self):
        return self.total - self.assigned


def _open_needs_by_field(inp, per_need, per_commune):
    """{field: (commune codes, lat, lon, priority, commune full?)} of the needs with units still open."""
    communes = {c.code: c for c in inp.communes}
    rows: dict[str, list] = {}
    for need in inp.needs:
        if need.units > per_need[(need.commune_code, need.field)]:
            c = communes[need.commune_code]
            full = per_commune[need.commune_code] >= inp.max_per_commune
            rows.setdefault(need.field, []).append((need.commune_code, c.lat, c.lon, need.priority, full))
    return {
        f: (
            np.array([r[0] for r in rs], dtype=object),
            np.array([r[1] for r in rs]),
            np.array([r[2] for r in rs]),
            np.array([r[3] for r in rs], dtype=np.float64),
            np.array([r[4] for r in rs], dtype=bool),
        )
        for f, rs in rows.items()
    }


def shortfall(inp: PlanInput, result: PlanResult) -> Shortfall | None:
    """The blocks behind a plan that sends fewer than `inp.total` people (None when it sends them all)."""
    assigned = len(result.assignments)
    if assigned >= inp.total:
        return None
    out = Shortfall(total=inp.total, assigned=assigned)
    per_need = Counter((a.commune_code, a.field) for a in result.assignments)
    per_commune = Counter(a.commune_code for a in result.assignments)
    dept_of = {s.staff_id: s.department for s in inp.staff}
    per_dept = Counter(dept_of[a.staff_id] for a in result.assignments)
    sent = {a.staff_id for a in result.assignments}
    for need in inp.needs:
        left = need.units - per_need[(need.commune_code, need.field)]
        if left > 0:
            out.open_units[need.field] += left
    by_field = _open_needs_by_field(inp, per_need, per_commune)
    home = [s for s in inp.staff if s.staff_id not in sent and s.staff_id not in inp.locks.must_not_send]
    fields_at_home = {f for s in home for f in s.fields}
    out.nobody_with_field = sorted(f for f in out.open_units if f not in fields_at_home)
    forbidden: dict[str, set] = {}
    for staff_id, commune_code in inp.locks.forbidden:
        forbidden.setdefault(staff_id, set()).add(commune_code)
    full_communes: set = set()
    for person in home:
        quota = None if not inp.quotas else inp.quotas.get(person.department, 0)
        quota_full = quota is not None and per_dept[person.department] >= quota
        for fld in person.fields & by_field.keys():
            codes, lat, lon, prio, full = by_field[fld]
            allowed = np.ones(codes.size, dtype=bool)
            if person.staff_id in forbidden:
                allowed = np.array([c not in forbidden[person.staff_id] for c in codes], dtype=bool)
            if not allowed.any():
                continue
            if quota_full:
                out.full_departments[person.department] = quota
                continue
            full_communes.update(codes[allowed & full].tolist())
            km = haversine_km(person.home_lat, person.home_lon, lat, lon)
            out.too_far += int((allowed & ~full & (prio - inp.distance_weight * km <= 0)).sum())
    out.full_communes = len(full_communes)
    return out
