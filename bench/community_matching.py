"""Benchmark for the language-access matching engine (civicdesk.community.matching): a week of requests, solved.

Generates a deterministic, roughly realistic week in Lâm Đồng, runs ``solve_week`` (min-cost flow), ``greedy_week``
(the by-hand baseline) and the CP-SAT reference of the same model (``solve_reference``, the tests' own, imported from
tests/community/reference_matching.py at the repository root, as bench/secondment.py does for the staffing reference
solvers), and prints one JSON object: sizes, seconds, requests served and quality (sum of scores) of each, whether
the flow's plan is proven optimal (CP-SAT status OPTIMAL with the same number served and the same scaled score sum)
and greedy's shortfall.

    python bench/community_matching.py                       # 500 requests, 300 speakers, seed 15
    python bench/community_matching.py --requests 2000 --speakers 1000 --no-reference

The instance (see docs/benchmarks/community.md): ~25 commune centres drawn in the box lat 11.0–12.6, lon 107.3–108.8;
each commune has two or three local languages drawn from the province's skewed mix (K'Ho most, then Mạ, Chu Ru,
M'nông, Ê Đê, Cham, Raglai, Hmong). Requests fall Monday–Friday of ISO week 2026-W10, at a hamlet a few km from a
commune centre, mostly in one of its local languages. Speakers live near a commune centre, speak one or two minority
languages at levels 1–5 (some not assessed), ~40 % hold a certificate, and some have earlier bookings, leave days or
go out only on some half-days.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import platform
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ortools

from civicdesk.community.matching import (
    SLOTS,
    Params,
    Request,
    Skill,
    Speaker,
    greedy_week,
    solve_week,
)
from tests.community.reference_matching import solve_reference

MONDAY = datetime.date(2026, 3, 2)  # ISO week 2026-W10
WEEK = (2026, 10)
BOX = (11.0, 12.6, 107.3, 108.8)  # lat min, lat max, lon min, lon max
COMMUNES = 25
# The province's minority languages, most requested first, with their share of requests (and of speakers).
LANGUAGES = {
    "kpm": 0.34,  # K'Ho
    "cma": 0.17,  # Mạ
    "cje": 0.12,  # Chu Ru
    "cmo": 0.10,  # M'nông (Central)
    "rad": 0.09,  # Ê Đê
    "cjm": 0.07,  # Cham (Eastern)
    "rog": 0.06,  # Raglai (Northern)
    "hmn": 0.05,  # Hmong
}
DIALECTS = {"kpm": ["Lạch", "Srê", "Chil", "Nộp"], "cmo": ["Preh", "Nong"]}
KM_PER_DEG = 111.195


def _pick(rng, weights):
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]


def _near(rng, centre, sd_km):
    lat, lon = centre
    dlat = rng.gauss(0.0, sd_km) / KM_PER_DEG
    dlon = rng.gauss(0.0, sd_km) / (KM_PER_DEG * math.cos(math.radians(lat)))
    return (
        min(BOX[1], max(BOX[0], lat + dlat)),
        min(BOX[3], max(BOX[2], lon + dlon)),
    )


def _level(rng):
    return rng.choices([1, 2, 3, 4, 5], weights=[0.06, 0.16, 0.3, 0.3, 0.18])[0]


def generate(n_requests=500, n_speakers=300, seed=15):
    """(requests, speakers, communes): a deterministic week for `seed`."""
    rng = random.Random(seed)
    centres = []
    while len(centres) < COMMUNES:  # commune centres at least ~15 km apart
        c = (rng.uniform(BOX[0] + 0.05, BOX[1] - 0.05), rng.uniform(BOX[2] + 0.05, BOX[3] - 0.05))
        if all(math.dist(c, o) * KM_PER_DEG > 15 for o in centres):
            centres.append(c)
    local = []  # each commune's own languages and how much each is spoken there
    for _ in centres:
        chosen = []
        while len(chosen) < rng.choice([2, 2, 3]):
            code = _pick(rng, LANGUAGES)
            if code not in chosen:
                chosen.append(code)
        local.append({code: LANGUAGES[code] * rng.uniform(0.5, 2.0) for code in chosen})

    def language_in(commune):
        return _pick(rng, local[commune]) if rng.random() < 0.85 else _pick(rng, LANGUAGES)

    days = [MONDAY + datetime.timedelta(days=i) for i in range(5)]
    speakers = []
    for sid in range(1, n_speakers + 1):
        commune = rng.randrange(len(centres))
        codes = [language_in(commune)]
        if rng.random() < 0.3:
            other = language_in(commune)
            if other not in codes:
                codes.append(other)
        skills = []
        for code in codes:
            assessed = rng.random() > 0.1
            listening = _level(rng) if assessed else None
            speaking = max(1, min(5, listening + rng.choice([-1, 0, 0, 1]))) if assessed else None
            skills.append(
                Skill(
                    code=code,
                    dialect=rng.choice(DIALECTS[code]) if code in DIALECTS and rng.random() < 0.7 else "",
                    listening=listening,
                    speaking=speaking,
                    reading=rng.choice([None, 0, 1, 2, 3]),
                    writing=rng.choice([None, 0, 1, 2]),
                    certified=rng.random() < 0.4,
                )
            )
        weekly = rng.choice([3, 4, 5, 5, 6])
        daily = rng.choice([1, 2, 2, 2])
        booked = set()
        per_day = Counter()
        if rng.random() < 0.25:  # earlier assignments this week
            for _ in range(rng.randint(1, 3)):
                day, slot = rng.choice(days), rng.choice(SLOTS)
                if (day, slot) not in booked and per_day[day] < daily:
                    booked.add((day, slot))
                    per_day[day] += 1
        unavailable = frozenset(rng.sample(days, rng.randint(1, 2))) if rng.random() < 0.12 else frozenset()
        available = None
        if rng.random() < 0.25:  # goes out only some half-days (volunteers with other work)
            available = frozenset((w, s) for w in range(5) for s in SLOTS if rng.random() < 0.55)
        lat, lon = _near(rng, centres[commune], 6.0) if rng.random() > 0.03 else (None, None)
        speakers.append(
            Speaker(
                id=sid,
                lat=lat,
                lon=lon,
                skills=tuple(skills),
                weekly_capacity=weekly,
                daily_capacity=daily,
                booked=frozenset(booked),
                booked_per_day=dict(per_day),
                booked_per_week={WEEK: sum(per_day.values())} if per_day else {},
                unavailable=unavailable,
                available_slots=available,
            )
        )
    requests = []
    for rid in range(1, n_requests + 1):
        commune = rng.randrange(len(centres))
        code = language_in(commune)
        lat, lon = _near(rng, centres[commune], 4.0) if rng.random() > 0.05 else (None, None)
        requests.append(
            Request(
                id=rid,
                language=code,
                date=rng.choice(days),
                slots=rng.choices([SLOTS, ("am",), ("pm",)], weights=[0.5, 0.3, 0.2])[0],
                lat=lat,
                lon=lon,
                dialect=rng.choice(DIALECTS[code]) if code in DIALECTS and rng.random() < 0.3 else "",
                min_level=rng.choices([1, 2, 3], weights=[0.1, 0.7, 0.2])[0],
            )
        )
    return requests, speakers, centres


def _plan(result):
    return {
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "served": result.served,
        "quality": round(result.quality, 2),
        "objective": result.stats.get("objective"),
        **(
            {"flow_solver_seconds": round(result.stats["solve_seconds"], 3)}
            if "solve_seconds" in result.stats
            else {}
        ),
        "unassigned": dict(sorted(Counter(m["code"] for m in result.unassigned.values()).items())),
    }


def main(argv=None) -> int:
    """Run the benchmark and print one JSON object."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--speakers", type=int, default=300)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--time-limit", type=float, default=300.0, help="for the CP-SAT reference")
    ap.add_argument("--workers", type=int, default=1, help="CP-SAT workers (1 proves fastest, see the docs)")
    ap.add_argument(
        "--reference-method",
        choices=["lexicographic", "weighted"],
        default="lexicographic",
        help="CP-SAT: served then score in two solves (default), or one solve with the flow's BIG weight",
    )
    ap.add_argument("--no-reference", action="store_true", help="skip the CP-SAT proof")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    requests, speakers, centres = generate(args.requests, args.speakers, args.seed)
    generate_seconds = time.perf_counter() - started
    params = Params()
    flow = solve_week(requests, speakers, params)
    greedy = greedy_week(requests, speakers, params)
    report = {
        "seed": args.seed,
        "requests": len(requests),
        "speakers": len(speakers),
        "communes": len(centres),
        "requests_by_language": dict(Counter(r.language for r in requests).most_common()),
        "speakers_by_language": dict(Counter(k.code for s in speakers for k in s.skills).most_common()),
        "generate_seconds": round(generate_seconds, 3),
        "network": {k: flow.stats[k] for k in ("pairs", "options", "arcs", "nodes")},
        "flow": _plan(flow),
        "greedy": _plan(greedy),
        "greedy_shortfall": {
            "served": flow.served - greedy.served,
            "quality": round(flow.quality - greedy.quality, 2),
            "quality_ratio": round(greedy.quality / flow.quality, 4) if flow.quality else None,
        },
    }
    if not args.no_reference:
        ref = solve_reference(
            requests,
            speakers,
            params,
            time_limit=args.time_limit,
            workers=args.workers,
            method=args.reference_method,
        )
        report["cp_sat"] = {
            "method": args.reference_method,
            "workers": args.workers,
            "status": ref["status"],
            "seconds": round(ref["seconds"], 3),
            "variables": ref["variables"],
            "served": ref["served"],
            "quality": round(ref["quality"], 2),
            "objective": ref["objective"],
        }
        report["flow_proven_optimal"] = (
            ref["status"] == "OPTIMAL"
            and ref["served"] == flow.served
            and ref["objective"] == flow.stats["objective"]
        )
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report["python"] = platform.python_version()
    report["ortools"] = ortools.__version__
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report.get("flow_proven_optimal", True) else 1


if __name__ == "__main__":
    sys.exit(main())
