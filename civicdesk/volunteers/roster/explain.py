"""Why a slot is short: reasons computed from the instance and the roster after solving, as codes with params.

For a slot whose headcount n is under max(demand, minimum), the volunteers are sorted out in the order a
coordinator would check them (``GAP_CODES``):

1. "demand_above_maximum" when the demand is above the slot's hard cap (then n = maximum may be all it can have);
   the rest is said only when n is also under the cap.
2. "nobody_available" when nobody's weekly availability covers the slot's weekday and part; otherwise, of those
   whose availability covers it: "day_off" (count), then "forbidden" (count, the pair is ruled out), and the rest
   can work it ("few_available" when they are fewer than wanted, even 0; a weekly limit of 0 does not count).
3. Of those the calendar allows who are not on it: "at_weekly_limit" (count, ISO week) when they already have
   their limit that week (or a limit of 0), "not_chosen" (count) when they could still have come.

For each wanted skill that nobody on the slot holds: "skill_missing" when nobody who can work the slot holds it,
else "skill_at_weekly_limit" (count, week) and "skill_not_chosen" (count) for its holders as above.

In CP-SAT's proven optimum with the default weights (and slot weights above fairness_weight), "not_chosen" does
not occur and "skill_not_chosen" only on a slot at its maximum (the package docstring says why); with the greedy
baseline, or a search stopped early, both can.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from .model import Gap, reason, week_label


def gaps(inst, roster: Mapping[str, tuple[str, ...]]) -> tuple[Gap, ...]:
    """One Gap per slot short of demand, below its minimum, or missing a wanted skill, in slot order.

    `inst` is an ``instance.Instance``; `roster` maps every slot key to its volunteers.
    """
    per_week = Counter()
    for s in inst.slots:
        for v in roster.get(s.key, ()):
            per_week[v, s.week] += 1

    found = []
    for s in inst.slots:
        on = set(roster.get(s.key, ()))
        n = len(on)
        held = set().union(*(inst.volunteer[v].skills for v in on)) if on else set()
        missing = tuple(sorted(s.skills - held))
        if n >= s.target and not missing:
            continue
        eligible = inst.eligible[s.key]
        covering = [v for v in inst.volunteers if v.covers(s.weekday, s.part)]
        # Could work it by the calendar (a weekly limit of 0 counts as being at the limit).
        workable = [
            v.key for v in covering if s.day not in v.days_off and (s.key, v.key) not in inst.forbidden
        ]
        idle = [v for v in workable if v not in on]
        at_limit = [v for v in idle if per_week[v, s.week] >= inst.limit[v]]
        free = [v for v in idle if per_week[v, s.week] < inst.limit[v]]
        week = week_label(s.week)
        reasons = []
        if n < s.target:
            if s.target > s.maximum:
                reasons.append(reason("demand_above_maximum", demand=s.demand, maximum=s.maximum))
            if n < min(s.target, s.maximum):
                if not covering:
                    reasons.append(reason("nobody_available", weekday=s.weekday, part=s.part))
                else:
                    off = [v for v in covering if s.day in v.days_off]
                    if off:
                        reasons.append(reason("day_off", count=len(off)))
                    ruled_out = [
                        v for v in covering if s.day not in v.days_off and (s.key, v.key) in inst.forbidden
                    ]
                    if ruled_out:
                        reasons.append(reason("forbidden", count=len(ruled_out)))
                    if len(eligible) < min(s.target, s.maximum):
                        reasons.append(reason("few_available", count=len(eligible)))
                if at_limit:
                    reasons.append(reason("at_weekly_limit", count=len(at_limit), week=week))
                if free:
                    reasons.append(reason("not_chosen", count=len(free)))
        for skill in missing:
            holders_at_limit = [v for v in at_limit if skill in inst.volunteer[v].skills]
            holders_free = [v for v in free if skill in inst.volunteer[v].skills]
            if not holders_at_limit and not holders_free:
                reasons.append(reason("skill_missing", skill=skill))
            if holders_at_limit:
                reasons.append(
                    reason("skill_at_weekly_limit", skill=skill, count=len(holders_at_limit), week=week)
                )
            if holders_free:
                reasons.append(reason("skill_not_chosen", skill=skill, count=len(holders_free)))
        found.append(
            Gap(
                slot_key=s.key,
                short=max(0, s.demand - n),
                reasons=tuple(reasons),
                assigned=n,
                below_minimum=n < s.minimum,
                missing_skills=missing,
            )
        )
    return tuple(found)
