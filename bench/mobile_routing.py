"""Benchmark for the mobile team's trip planner (civicdesk.mobile.routing): a day's trip to 3, 8, 15 and 30 hamlets.

Generates deterministic, roughly realistic trips around Cát Tiên (Lâm Đồng): the commune centre and hamlets' cultural
houses at random points of the box lat 11.56–11.75, lon 107.30–107.50 (about 21 × 22 km; synthetic points, not
surveyed ones), travel estimated from the coordinates (great-circle × 1.4 at 30 km/h). The day runs 07:30–17:00,
back at the centre. Each hamlet gathers its people in a window — a morning (opening 07:30–09:00, 2–3 hours), an
afternoon (opening 13:00–14:30, until 16:00–17:00) or the whole day — and the team spends 15–45 minutes there;
one hamlet in five has priority 2 (more dossiers), and on trips of 8 hamlets or more one is required.

Runs ``plan`` (OR-Tools routing with guided local search; for ≤ 8 hamlets, also the exhaustive search, which proves
the optimum) and ``greedy_plan`` (the by-hand baseline: next, the hamlet where service can start soonest) on every
(size, seed); for trips of at most ``--reference-up-to`` hamlets (default 15) it also runs the exhaustive search
alone (``exact_plan``, not part of ``plan`` beyond 8 hamlets) to know the proven optimum. Prints one JSON object: per
run the seconds, method, proof, hamlets visited and left out (by reason), travel minutes and km, waiting, return
time, when the routing search last improved, greedy's figures and the differences and ratios greedy / plan, the
optimum; then a summary per size and whether the target holds.

    python bench/mobile_routing.py                          # sizes 3 8 15 30, seeds 1–10, time limit 2 s
    python bench/mobile_routing.py --long 10                # also plan with 10 s, to see what 2 s leaves

Target (issue 18): a trip of up to 15 hamlets planned in ≤ 2 s (the whole ``plan`` call).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ortools

from civicdesk.mobile.routing import Place, Stop, Trip, clock, exact_plan, greedy_plan, plan

LAT, LON = (11.56, 11.75), (107.30, 107.50)
START, END = 7 * 60 + 30, 17 * 60
TARGET_STOPS, TARGET_SECONDS = 15, 2.0


def generate(n: int, seed: int) -> Trip:
    """A deterministic trip of `n` hamlets for `seed` (see the module docstring)."""
    rng = random.Random(f"cat-tien-{n}-{seed}")
    centre = Place(
        "ubnd", "UBND xã", round(rng.uniform(11.62, 11.69), 5), round(rng.uniform(107.36, 107.44), 5)
    )
    stops = []
    for i in range(1, n + 1):
        place = Place(f"thon-{i:02d}", f"Thôn {i}", round(rng.uniform(*LAT), 5), round(rng.uniform(*LON), 5))
        service = rng.choice([15, 20, 30, 30, 45])
        kind = rng.choices(["morning", "afternoon", "all_day"], weights=[0.45, 0.35, 0.2])[0]
        if kind == "morning":
            opens = rng.choice([450, 480, 510, 540])
            closes = opens + rng.choice([120, 150, 180])
        elif kind == "afternoon":
            opens = rng.choice([780, 810, 840, 870])
            closes = rng.choice([960, 990, 1020])
        else:
            opens, closes = START, END
        stops.append(Stop(place, opens, closes, service, priority=2 if rng.random() < 0.2 else 1))
    if n >= 8:  # the hamlet with the most dossiers this month must be visited
        i = rng.randrange(n)
        s = stops[i]
        stops[i] = Stop(
            s.place, s.window_start, s.window_end, s.service_minutes, priority=s.priority, required=True
        )
    return Trip(centre, stops, START, END)


def _figures(result, trip) -> dict:
    priority = {s.key: s.priority for s in trip.stops}
    return {
        "seconds": round(result.seconds, 3),
        "method": result.method,
        "proven_optimal": result.proven_optimal,
        "visited": len(result.visits),
        "left_out": len(result.left_out),
        "left_out_reasons": dict(sorted(Counter(x.reason.code for x in result.left_out).items())),
        "required_left_out": len(result.required_left_out),
        "priority_visited": sum(priority[key] for key in result.order),
        "travel_minutes": result.travel_minutes,
        "total_km": result.total_km,
        "waiting_minutes": result.waiting_minutes,
        "service_minutes": result.service_minutes,
        "return": clock(result.finish_minute),
        "objective": result.objective,
        "order": list(result.order),
    }


def row_priority(result, trip):
    priority = {s.key: s.priority for s in trip.stops}
    return sum(priority[key] for key in result.order)


def _ratio(a, b):
    return round(a / b, 4) if b else None


def run(n: int, seed: int, time_limit: float, long: float, reference_up_to: int) -> dict:
    trip = generate(n, seed)
    started = time.perf_counter()
    result = plan(trip, time_limit=time_limit)
    wall = time.perf_counter() - started
    greedy = greedy_plan(trip)
    row = {
        "hamlets": n,
        "seed": seed,
        "plan": {
            **_figures(result, trip),
            "wall_seconds": round(wall, 3),
            "routing_seconds": result.stats.get("routing_seconds"),
            "routing_best_found_seconds": result.stats.get("routing_best_found_seconds"),
            "routing_solutions": result.stats.get("routing_solutions"),
            "routing_status": result.stats.get("routing_status"),
        },
        "greedy": _figures(greedy, trip),
        "greedy_vs_plan": {
            "visited": len(greedy.visits) - len(result.visits),
            "priority_visited": row_priority(greedy, trip) - row_priority(result, trip),
            "travel_minutes_ratio": _ratio(greedy.travel_minutes, result.travel_minutes),
            "km_ratio": _ratio(greedy.total_km, result.total_km),
            "objective_ratio": _ratio(greedy.objective, result.objective),
        },
    }
    if n <= reference_up_to:  # the proven optimum, by the exhaustive search alone (slow beyond ~15 hamlets)
        best = exact_plan(trip, max_stops=reference_up_to)
        row["optimum"] = {
            "objective": best.objective,
            "seconds": round(best.seconds, 3),
            "visited": len(best.visits),
            "travel_minutes": best.travel_minutes,
            "plan_at_optimum": result.objective == best.objective,
            "plan_minus_optimum": result.objective - best.objective,
        }
    if long:
        longer = plan(trip, time_limit=long)
        row["long"] = {
            "time_limit": long,
            "objective": longer.objective,
            "visited": len(longer.visits),
            "travel_minutes": longer.travel_minutes,
            "same_objective": longer.objective == result.objective,
            "routing_best_found_seconds": longer.stats.get("routing_best_found_seconds"),
        }
    return row


def summary(rows: list[dict]) -> dict:
    found = {}
    for n in sorted({r["hamlets"] for r in rows}):
        mine = [r for r in rows if r["hamlets"] == n]
        seconds = [r["plan"]["seconds"] for r in mine]
        found[str(n)] = {
            "runs": len(mine),
            "seconds_min_max": [min(seconds), max(seconds)],
            "best_found_seconds_max": max((r["plan"]["routing_best_found_seconds"] or 0) for r in mine),
            "proven_optimal": sum(r["plan"]["proven_optimal"] for r in mine),
            "visited_mean": round(statistics.mean(r["plan"]["visited"] for r in mine), 2),
            "left_out_mean": round(statistics.mean(r["plan"]["left_out"] for r in mine), 2),
            "travel_minutes_mean": round(statistics.mean(r["plan"]["travel_minutes"] for r in mine), 1),
            "km_mean": round(statistics.mean(r["plan"]["total_km"] for r in mine), 1),
            "greedy_visited_mean": round(statistics.mean(r["greedy"]["visited"] for r in mine), 2),
            "greedy_travel_minutes_mean": round(
                statistics.mean(r["greedy"]["travel_minutes"] for r in mine), 1
            ),
            "greedy_objective_ratio_mean": round(
                statistics.mean(r["greedy_vs_plan"]["objective_ratio"] for r in mine), 3
            ),
            "greedy_better": sum(r["greedy"]["objective"] < r["plan"]["objective"] for r in mine),
        }
        if all("optimum" in r for r in mine):
            found[str(n)]["plan_at_optimum"] = sum(r["optimum"]["plan_at_optimum"] for r in mine)
            found[str(n)]["plan_minus_optimum_max"] = max(r["optimum"]["plan_minus_optimum"] for r in mine)
            found[str(n)]["optimum_seconds_max"] = max(r["optimum"]["seconds"] for r in mine)
        if all("long" in r for r in mine):
            found[str(n)]["long_same_objective"] = sum(r["long"]["same_objective"] for r in mine)
    return found


def main(argv=None) -> int:
    """Run the benchmark and print one JSON object."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[3, 8, 15, 30])
    ap.add_argument("--seeds", type=int, nargs="+", default=list(range(1, 11)))
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument(
        "--long", type=float, default=0.0, help="also plan with this time limit (seconds) to compare"
    )
    ap.add_argument(
        "--reference-up-to",
        type=int,
        default=15,
        help="prove the optimum with the exhaustive search alone for trips of at most this many hamlets",
    )
    args = ap.parse_args(argv)

    rows = [
        run(n, seed, args.time_limit, args.long, args.reference_up_to)
        for n in args.sizes
        for seed in args.seeds
    ]
    within = [r for r in rows if r["hamlets"] <= TARGET_STOPS]
    report = {
        "time_limit": args.time_limit,
        "sizes": args.sizes,
        "seeds": args.seeds,
        "reference_up_to": args.reference_up_to,
        "summary": summary(rows),
        "target": f"up to {TARGET_STOPS} hamlets planned in <= {TARGET_SECONDS} s",
        "target_met": bool(within) and all(r["plan"]["seconds"] <= TARGET_SECONDS for r in within),
        "max_seconds_up_to_target": max((r["plan"]["seconds"] for r in within), default=None),
        "runs": rows,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": platform.python_version(),
        "ortools": ortools.__version__,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
