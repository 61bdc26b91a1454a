"""Why a person goes where the plan sends them: the need covered, the distance, and the best options not taken."""

from __future__ import annotations

from collections import Counter

import numpy as np

from .inputs import Assignment, PlanInput, PlanResult
from .model import _km, haversine_km


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
    needs = {(need.commune_code, need.field): need for need in inp.needs}
    communes = {c.code: c for c in inp.communes}
    need = needs[(assignment.commune_code, assignment.field)]
    per_need = Counter((a.commune_code, a.field) for a in result.assignments)
    per_commune = Counter(a.commune_code for a in result.assignments)
    w = float(inp.distance_weight)
    chosen_key = (need.commune_code, need.field)
    others = [
        o
        for o in inp.needs
        if o.field in staff.fields and o.units > 0 and (o.commune_code, o.field) != chosen_key
    ]
    # One vectorised distance computation: a national need list has ~10,000 rows.
    other_lat = np.array([communes[o.commune_code].lat for o in others], dtype=np.float64)
    other_lon = np.array([communes[o.commune_code].lon for o in others], dtype=np.float64)
    other_km = haversine_km(staff.home_lat, staff.home_lon, other_lat, other_lon)
    other_value = np.array([o.priority for o in others], dtype=np.float64) - w * other_km
    options = [(float(v), float(k), o) for v, k, o in zip(other_value, other_km, others, strict=True)]
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
    commune = communes[need.commune_code]
    km = _km(staff.home_lat, staff.home_lon, commune.lat, commune.lon)
    return {
        "staff_id": staff.staff_id,
        "department": staff.department,
        "commune_code": need.commune_code,
        "field": need.field,
        "need": {
            "units": need.units,
            "priority": need.priority,
            "assigned": per_need[(need.commune_code, need.field)],
        },
        "km": km,
        "value": need.priority - w * km,
        "locked": locked,
        "alternatives": alternatives,
    }
