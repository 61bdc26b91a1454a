"""The baseline a coordinator might follow by hand: slots in date order, each takes the available volunteers with the
fewest shifts so far."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable

from .instance import Instance, prepare, result
from .model import Params, RosterResult, Slot, Volunteer


def greedy_plan(inst: Instance) -> dict[str, list[str]]:
    """The greedy roster of a prepared instance (also CP-SAT's starting point).

    The locks that hold go in first. Then each slot in turn (day, then morning before afternoon) is filled up to
    min(max(demand, minimum), maximum): each time with the eligible volunteer not on it and under their weekly
    limit who has the fewest shifts so far; ties go to one holding a wanted skill nobody on the slot has yet, then
    to the smaller key. It never staffs beyond the target for a skill, and never looks ahead.
    """
    roster = {s.key: [] for s in inst.slots}
    total = Counter()
    per_week = Counter()
    for slot_key, volunteer_key in inst.locks:
        roster[slot_key].append(volunteer_key)
        total[volunteer_key] += 1
        per_week[volunteer_key, inst.slot[slot_key].week] += 1
    for s in inst.slots:
        on = roster[s.key]
        need = min(s.target, s.maximum)
        while len(on) < need:
            held = set().union(*(inst.volunteer[v].skills for v in on)) if on else set()
            wanted = s.skills - held
            best = None
            for v in inst.eligible[s.key]:
                if v in on or per_week[v, s.week] >= inst.limit[v]:
                    continue
                rank = (total[v], 0 if wanted & inst.volunteer[v].skills else 1, v)
                if best is None or rank < best:
                    best = rank
            if best is None:
                break
            v = best[2]
            on.append(v)
            total[v] += 1
            per_week[v, s.week] += 1
    return roster


def greedy_roster(
    slots: Iterable[Slot],
    volunteers: Iterable[Volunteer],
    params: Params | None = None,
    *,
    locked: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
) -> RosterResult:
    """The by-hand baseline (``greedy_plan``) as a RosterResult, scored with the same objective as solve_roster.

    Status "FEASIBLE" (the roster keeps every hard rule but nothing is proven); bound and gap are None.
    """
    started = time.perf_counter()
    inst = prepare(slots, volunteers, params or Params(), locked, forbidden)
    roster = greedy_plan(inst)
    return result(
        inst,
        roster,
        status="FEASIBLE",
        bound=None,
        gap=None,
        seconds=time.perf_counter() - started,
        method="greedy",
        stats={"slots": len(inst.slots), "volunteers": len(inst.volunteers), "pairs": inst.pairs},
    )
