"""A result in JSON form, for the command line and anyone storing or sending it."""

from __future__ import annotations

import math

from .inputs import PlanResult


def to_json(result: PlanResult) -> dict:
    """JSON-ready summary: status, objective, bound, gap, seconds, messages (codes and parameters) and the
    assignment triples."""

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
