"""Secondment optimiser: which province staff to second to which commune, for which field.

No Django here: the package is used by the web app, the worker and the CSV command line alike. It never writes a
sentence either: what it has to say (why locks cannot hold, progress) comes back as message codes with parameters
(``MESSAGE_CODES``), which the application renders in its reader's language.

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

The modules, in reading order
-----------------------------
``inputs``        the dataclasses (PlanInput and its parts; Assignment, PlanResult), message codes, validation
``model``         distances, ``objective_of``, and ``_prepare``: the index-based ``_Model`` once locks are applied
``arcs``          candidate staff→need arcs and their values, computed in latitude-banded blocks
``network``       the flow network above on OR-Tools' min-cost flow, its dual potentials, and the pricer
``solver``        ``solve``: picks "direct", "pricing" or "hub", runs the flow, certifies the bound
``explanations``  ``explain``: why one person goes where they go, and the best options not taken
``serialize``     ``to_json``

Measurements (every method, province and nation, time and memory) are in docs/benchmarks/staffing.md. The
reference formulations they compare against -- the same arc set as a MIP, an LP or CP-SAT, and a greedy baseline --
live in tests/staffing/reference_solvers.py: the tests use them as an independent check of the flow, and
bench/secondment.py --method … runs them.
"""

from .explanations import explain
from .inputs import (
    MESSAGE_CODES,
    Assignment,
    Commune,
    Locks,
    Need,
    PlanInput,
    PlanResult,
    Staff,
    message,
)
from .model import EARTH_RADIUS_KM, haversine_km, objective_of
from .serialize import to_json
from .solver import solve

__all__ = [
    "EARTH_RADIUS_KM",
    "MESSAGE_CODES",
    "Assignment",
    "Commune",
    "Locks",
    "Need",
    "PlanInput",
    "PlanResult",
    "Staff",
    "explain",
    "haversine_km",
    "message",
    "objective_of",
    "solve",
    "to_json",
]
