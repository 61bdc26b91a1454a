"""Auto-roster: which youth-union volunteers work which shift at the commune centre (issue 17).

Pure Python and OR-Tools; no Django, so the benchmark runs it alone. The application builds ``Slot``s from its
shifts (the working days of the period, both parts, each with the forecast demand) and ``Volunteer``s from its
volunteers, passes the coordinator's locks and the declined pairs, and renders the ``Reason`` codes in the reader's
language.

The model
---------
A ``Slot`` is one (day, part) — "am" or "pm" — with a demand (headcount wanted), a minimum (under it the centre is
short-staffed), a hard maximum, wanted skills, and a weight (what a covered unit of demand is worth there). A
``Volunteer`` has skills, weekly availability ((weekday, part) pairs; empty means Monday–Friday, both parts), days off
and a weekly limit (default ``Params.max_per_week``).

Hard rules: a volunteer works a slot only if its weekday and part are in their availability, the day is not a day
off and the pair is not forbidden; at most one slot per (day, part) (slots are unique per (day, part): checked);
at most their limit of shifts per ISO week; at most `maximum` per slot; the locks that do not break these rules are
forced (the others are reported in ``lock_problems`` with the rule they break, ``LOCK_CODES``, and left out).

Objective, maximised, in points (a covered unit of demand on a slot of weight 1.0 is worth 1 point; CP-SAT works in
integers, points × ``SCALE``)::

    Σ_slots  weight·min(n, demand) + minimum_weight·min(n, minimum) + skill_weight·(wanted skills held on the slot)
             − overstaff_weight·max(0, n − max(demand, minimum))
    − fairness_weight·(max − min shifts over the volunteers who can work at all)

Why covering demand comes first with the default weights (slot weight 1.0, minimum 0.5, skill 0.4, overstaff 0.15,
fairness 0.1). Adding one volunteer to a slot moves (max − min) by at most one, so in a proven optimum:

* no slot is left under min(demand, maximum) while someone who can work it is under their weekly limit that week:
  adding them gains its weight and loses at most fairness_weight (needs weight > fairness_weight);
* the same for the minimum (minimum_weight > fairness_weight);
* a wanted skill nobody on the slot holds is brought by a free holder whenever the slot is under its maximum, even
  above demand (skill_weight > overstaff_weight + fairness_weight);
* nobody is added above max(demand, minimum) for fairness alone, and nobody stays there unless locked or the
  slot's only holder of a wanted skill (overstaff_weight > fairness_weight).

Longer exchanges (moving several people) are traded by the same weights: a unit of demand (≥ 1 point) outweighs
two skills (0.8), not three. A coordinator who wants a skill above a unit of demand sets skill_weight > 1.

Entry points
------------
* ``solve_roster(slots, volunteers, params, locked=, forbidden=)`` → ``RosterResult`` with CP-SAT (``solver``):
  "OPTIMAL" when proven, else "FEASIBLE" with the proven bound and relative gap; started from the greedy roster
  (a complete hint) and never worse than it: if the search ends below it, the greedy roster is returned.
* ``greedy_roster(...)`` → ``RosterResult``: the by-hand baseline (``greedy``), scored the same way.

Both explain each slot short of demand, under its minimum or missing a wanted skill with a ``Gap`` whose reasons are
``GAP_CODES`` (``explain``). Inputs are sorted (slots by date and part, volunteers by key), so the roster does not
depend on their order; with ``Params.deterministic`` (the default) CP-SAT's result does not depend on thread timing
either, as long as the search ends before the time limit.
"""

from .greedy import greedy_roster
from .model import (
    DEFAULT_AVAILABLE,
    GAP_CODES,
    LOCK_CODES,
    PARTS,
    SCALE,
    Gap,
    LockProblem,
    Params,
    Reason,
    RosterResult,
    Slot,
    Volunteer,
    iso_week,
    week_label,
)
from .solver import solve_roster

__all__ = [
    "DEFAULT_AVAILABLE",
    "GAP_CODES",
    "LOCK_CODES",
    "PARTS",
    "SCALE",
    "Gap",
    "LockProblem",
    "Params",
    "Reason",
    "RosterResult",
    "Slot",
    "Volunteer",
    "greedy_roster",
    "iso_week",
    "solve_roster",
    "week_label",
]
