"""What the optimiser takes and what it gives back: the input dataclasses, the result and its messages, validation."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field


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
    """Everything the optimiser needs. ``quotas`` None or {} means no department limit (see the package doc)."""

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
    ``messages`` are ``{"code", "params"}`` dicts (see ``MESSAGE_CODES``), never sentences.
    """

    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    assignments: list[Assignment]
    messages: list[dict] = field(default_factory=list)
    stats: dict[str, float | str] = field(default_factory=dict)


# The optimiser writes no sentences: the web app, the worker and the command line each show its messages in their
# reader's language (civicdesk.staffing.plan_messages). Every code it can emit, with the parameters it carries:
MESSAGE_CODES: dict[str, tuple[str, ...]] = {
    # Why the locks cannot all hold (status "infeasible"), found before any solve.
    "lock_unknown_staff": ("staff_id",),
    "lock_send_and_not_send": ("staff_id",),
    "fixed_twice": ("staff_id", "commune_code", "field"),
    "fixed_not_send": ("staff_id", "commune_code", "field"),
    "fixed_field_missing": ("staff_id", "commune_code", "field"),
    "fixed_no_need": ("staff_id", "commune_code", "field"),
    "fixed_forbidden": ("staff_id", "commune_code", "field"),
    "fixed_over_need": ("commune_code", "field", "units"),
    "fixed_over_commune": ("commune_code", "max_per_commune"),
    "forced_over_quota": ("department", "quota"),
    "forced_over_total": ("forced", "total"),
    "must_send_no_need": ("staff_id",),
    # Found by the solve itself.
    "locks_jointly_infeasible": (),
    "timeout_preparing": (),
    # Progress, passed to ``solve(progress=…)``.
    "progress_checking": (),
    "progress_arcs": (),
    "progress_flow": ("round",),
    "progress_done": (),
}


def message(code: str, **params) -> dict:
    """One message as the optimiser returns it and the application stores it: ``{"code": …, "params": {…}}``."""
    return {"code": code, "params": params}


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
    for need in inp.needs:
        key = (need.commune_code, need.field)
        if need.commune_code not in known:
            raise ValueError(f"need for unknown commune {need.commune_code!r}")
        if key in seen:
            raise ValueError(f"duplicate need {key!r}")
        seen.add(key)
        if need.units < 0 or not 1 <= need.priority <= 5:
            raise ValueError(f"need {key!r}: units must be >= 0 and priority in 1..5")
    if inp.quotas and any(q < 0 for q in inp.quotas.values()):
        raise ValueError("quotas must be >= 0")
