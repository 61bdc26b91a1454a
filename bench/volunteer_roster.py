"""Benchmark for the volunteers' auto-roster (civicdesk.volunteers.roster): two months of shifts at Di Linh, solved.

Generates a deterministic, roughly realistic commune centre (Xã Di Linh, Lâm Đồng): youth-union volunteers with
skills, weekly availability and days off, and the working days (Monday–Friday) of a period from Monday 2026-03-02,
two parts a day, with a demand per slot from a weekday × part profile. Runs ``solve_roster`` (CP-SAT) and
``greedy_roster`` (the by-hand baseline) and prints one JSON object: sizes, seconds, status and proven gap, demand
covered, fairness, skills, gaps by reason, greedy's figures and ratios, the most demand any roster could cover (a
max-flow bound, without the objective's other terms) and peak RSS.

    python bench/volunteer_roster.py                              # 40 volunteers, 9 weeks (2 months), seed 17
    python bench/volunteer_roster.py --volunteers 200 --weeks 26  # a larger centre over half a year

Target (issue 17): 40 volunteers over two months proven optimal or within 1 % in ≤ 10 s.

The instance (see docs/benchmarks/volunteers.md): volunteers are high-school students (afternoons on some weekdays,
mid-term exams 23–27 March), college students (some weekdays, morning or afternoon), young workers (a morning or
two) and youth without fixed work (most weekdays); skills vneid, online_filing, scanning, payment and
minority_language (K'Ho) with skewed shares; weekly limit 3 for most, 2 or 4 for some. Demand per slot is the
profile (Monday morning 4, Monday afternoon 3, other mornings 3, other afternoons 2; about 27 shifts a week, 243
over 9 weeks) ± 1 at random, within [minimum 2, maximum 6]; mornings weigh 1.2 (Monday 1.5), afternoons 1.0;
Monday, Wednesday and Friday mornings want "vneid", Thursday mornings "minority_language" (market day). With more
volunteers, demand, minimum and maximum grow in proportion (volunteers / 40).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import platform
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ortools
from ortools.graph.python import max_flow

from civicdesk.volunteers.roster import PARTS, Params, Slot, Volunteer, greedy_roster, solve_roster

START = datetime.date(2026, 3, 2)  # a Monday, ISO week 2026-W10
BASE_VOLUNTEERS = 40
# Volunteers wanted per (weekday, part) for 40 volunteers: mornings busier, Monday busiest.
PROFILE = {0: (4, 3), 1: (3, 2), 2: (3, 2), 3: (3, 2), 4: (3, 2)}
MINIMUM, MAXIMUM = 2, 6
WANTS = {(0, "am"): "vneid", (2, "am"): "vneid", (4, "am"): "vneid", (3, "am"): "minority_language"}
SKILL_SHARES = {
    "vneid": 0.45,
    "online_filing": 0.35,
    "scanning": 0.3,
    "payment": 0.15,
    "minority_language": 0.25,
}
KINDS = {"high_school": 0.4, "college": 0.25, "young_worker": 0.2, "free": 0.15}
EXAMS = [START + datetime.timedelta(days=21 + i) for i in range(5)]  # 23–27 March 2026


def _weekdays(rng, low, high):
    return sorted(rng.sample(range(5), rng.randint(low, high)))


def _availability(rng, kind):
    if kind == "high_school":  # classes in the morning
        return {(d, "pm") for d in _weekdays(rng, 2, 3)}
    if kind == "college":  # lectures mostly in the morning
        found = set()
        for d in _weekdays(rng, 2, 4):
            found |= {(d, p) for p in rng.choices([("am",), ("pm",), PARTS], weights=[1, 2, 1])[0]}
        return found
    if kind == "young_worker":  # a morning off work, sometimes an afternoon
        found = {(rng.randrange(5), "am")}
        if rng.random() < 0.4:
            found.add((rng.randrange(5), "pm"))
        return found
    return {(d, p) for d in _weekdays(rng, 3, 5) for p in PARTS if rng.random() < 0.8}


def generate(n_volunteers=BASE_VOLUNTEERS, weeks=9, seed=17):
    """(slots, volunteers): a deterministic instance for `seed`."""
    rng = random.Random(seed)
    days = [START + datetime.timedelta(days=7 * w + d) for w in range(weeks) for d in range(5)]
    factor = n_volunteers / BASE_VOLUNTEERS
    volunteers = []
    for i in range(1, n_volunteers + 1):
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        skills = {k for k, share in SKILL_SHARES.items() if rng.random() < share}
        if kind == "high_school" and rng.random() < 0.6:
            skills.discard("online_filing")
        off = set()
        if kind == "high_school" and rng.random() < 0.7:
            off |= set(EXAMS)
        elif kind == "college":
            off |= set(rng.sample(days, rng.randint(2, 5)))
        elif rng.random() < 0.3:
            off |= set(rng.sample(days, rng.randint(1, 3)))
        volunteers.append(
            Volunteer(
                key=f"tnv-{i:03d}",
                skills=frozenset(skills),
                available=frozenset(_availability(rng, kind)),
                days_off=frozenset(off),
                max_per_week=rng.choices([None, 2, 4], weights=[0.55, 0.4, 0.05])[0],
            )
        )
    slots = []
    minimum, maximum = round(MINIMUM * factor), round(MAXIMUM * factor)
    for day in days:
        for part_index, part in enumerate(PARTS):
            base = PROFILE[day.weekday()][part_index] * factor
            # ± 1 at random around the profile (only + 1 where the profile is at the minimum).
            noise = rng.choice([-1, 0, 0, 0, 1] if base > minimum else [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
            demand = min(maximum, max(minimum, round(base + noise * max(1.0, factor))))
            wanted = WANTS.get((day.weekday(), part))
            weight = 1.0 if part == "pm" else (1.5 if day.weekday() == 0 else 1.2)
            slots.append(
                Slot(
                    key=f"{day.isoformat()}:{part}",
                    day=day,
                    part=part,
                    demand=demand,
                    minimum=minimum,
                    maximum=maximum,
                    skills=frozenset({wanted}) if wanted else frozenset(),
                    weight=weight,
                )
            )
    return slots, volunteers


def max_coverable(slots, volunteers, params):
    """The most demand any roster can cover (hard rules only): a max flow source → (volunteer, ISO week), capacity
    the weekly limit → slot, capacity 1 per eligible pair → sink, capacity min(demand, maximum)."""
    flow = max_flow.SimpleMaxFlow()
    nodes = {}

    def node(key):
        return nodes.setdefault(key, len(nodes) + 2)

    source, sink = 0, 1
    for s in slots:
        flow.add_arc_with_capacity(node(("slot", s.key)), sink, min(s.demand, s.maximum))
    for v in volunteers:
        limit = params.max_per_week if v.max_per_week is None else v.max_per_week
        for s in slots:
            if v.covers(s.day.weekday(), s.part) and s.day not in v.days_off:
                week = ("week", v.key, s.day.isocalendar()[:2])
                if week not in nodes:
                    flow.add_arc_with_capacity(source, node(week), limit)
                flow.add_arc_with_capacity(node(week), node(("slot", s.key)), 1)
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow did not finish")
    return flow.optimal_flow()


def _roster(result):
    return {
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "objective": round(result.objective, 2),
        "covered": result.covered,
        "covered_share": round(result.covered / result.demand, 4) if result.demand else None,
        "uncovered_slots": len(result.uncovered),
        "below_minimum_slots": len(result.below_minimum),
        "skills_covered": list(result.skills),
        "fairness_min_max": list(result.fairness),
        "shifts": sum(result.shifts_per_volunteer.values()),
        "gap_reasons": dict(sorted(Counter(r.code for g in result.gaps for r in g.reasons).items())),
        "uncovered": result.uncovered,
        # The same roster gives the same fingerprint, run after run.
        "roster_sha256": hashlib.sha256(json.dumps(sorted(result.assignments.items())).encode()).hexdigest()[
            :12
        ],
    }


def main(argv=None) -> int:
    """Run the benchmark and print one JSON object."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--volunteers", type=int, default=BASE_VOLUNTEERS)
    ap.add_argument("--weeks", type=int, default=9, help="weeks of working days (Mon–Fri) from 2026-03-02")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--relative-gap", type=float, default=0.0)
    ap.add_argument("--no-deterministic", action="store_true", help="CP-SAT's default parallel search")
    ap.add_argument("--no-hint", action="store_true", help="do not start CP-SAT from the greedy roster")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    slots, volunteers = generate(args.volunteers, args.weeks, args.seed)
    generate_seconds = time.perf_counter() - started
    params = Params(
        time_limit=args.time_limit,
        workers=args.workers,
        relative_gap=args.relative_gap,
        deterministic=not args.no_deterministic,
        hint=not args.no_hint,
    )
    optimal = solve_roster(slots, volunteers, params)
    greedy = greedy_roster(slots, volunteers, params)
    bound = max_coverable(slots, volunteers, params)
    target_met = (
        optimal.status == "OPTIMAL" or (optimal.gap is not None and optimal.gap <= 0.01)
    ) and optimal.seconds <= 10.0
    report = {
        "seed": args.seed,
        "volunteers": len(volunteers),
        "weeks": args.weeks,
        "days": len({s.day for s in slots}),
        "slots": len(slots),
        "demand": optimal.demand,
        "demand_by_part": {p: sum(s.demand for s in slots if s.part == p) for p in PARTS},
        "volunteers_by_limit": dict(
            sorted(Counter(str(v.max_per_week or params.max_per_week) for v in volunteers).items())
        ),
        "generate_seconds": round(generate_seconds, 3),
        "model": {k: optimal.stats[k] for k in ("pairs", "variables", "constraints")},
        "params": {
            "time_limit": params.time_limit,
            "workers": params.workers,
            "relative_gap": params.relative_gap,
            "deterministic": params.deterministic,
            "hint": params.hint,
        },
        "cp_sat": {
            **_roster(optimal),
            "solver_seconds": round(optimal.stats["solver_seconds"], 3),
            "bound": optimal.bound,
            "proven_gap": optimal.gap,
        },
        "greedy": _roster(greedy),
        "greedy_vs_cp_sat": {
            "covered": greedy.covered - optimal.covered,
            "covered_ratio": round(greedy.covered / optimal.covered, 4) if optimal.covered else None,
            "objective_ratio": round(greedy.objective / optimal.objective, 4) if optimal.objective else None,
        },
        "max_coverable": bound,
        "covers_max": optimal.covered == bound,
        "target_met": target_met,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": platform.python_version(),
        "ortools": ortools.__version__,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if optimal.status in ("OPTIMAL", "FEASIBLE") else 1


if __name__ == "__main__":
    sys.exit(main())
