"""Benchmark for the secondment optimiser (civicdesk.staffing.optimizer).

Generates a deterministic, roughly realistic instance, runs ``solve`` (min-cost flow) and ``greedy`` and
prints one JSON object: instance sizes, seconds, objective, bound, gap, the greedy objective and ratio, and
the peak RSS of this process.  ``--method`` runs one of the reference formulations instead of the flow (to
reproduce the comparison table of docs/benchmarks/staffing.md); run each method in its own process so peak RSS
is its own.  The reference solvers (``solve_mip``, ``greedy``) are the tests' own, imported from
tests/staffing/reference_solvers.py: the tests keep them checked against the flow.

    python bench/secondment.py --scale province
    python bench/secondment.py --scale nation --method HIGHS --time-limit 120
    python bench/secondment.py --scale nation --write-csv /tmp/nation   # the four CSVs + params.json

Geography: the province is a ~300 × 300 km box in central Vietnam; the nation follows a hand-drawn spine of
Vietnam (north to the Mekong delta) with a width per segment, inside the national bounding box, and half the
communes clustered around the big cities -- so that commune density, and therefore the number of useful
(staff, commune) pairs, resembles the real country rather than a uniform rectangle.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from civicdesk.staffing.optimizer import Commune, Locks, Need, PlanInput, Staff, solve, solver
from tests.staffing.reference_solvers import greedy, solve_mip

FIELDS = [
    "y_te",
    "giao_duc",
    "dat_dai",
    "xay_dung",
    "tu_phap",
    "nong_nghiep",
    "cntt",
    "tai_chinh",
    "moi_truong",
]
KM_PER_DEG = 111.195

SCALES = {
    # communes, staff, total, max_per_commune, departments, distance_weight
    "province": dict(
        communes=124, staff=600, total=260, max_per_commune=4, departments=12, distance_weight=0.05
    ),
    "nation": dict(
        communes=3321, staff=12000, total=8000, max_per_commune=4, departments=14, distance_weight=0.05
    ),
}

# (lat, lon, half-width km) along Vietnam, north to south.
SPINE = [
    (22.6, 104.9, 190),
    (21.0, 105.8, 140),
    (19.8, 105.6, 90),
    (18.6, 105.6, 60),
    (17.4, 106.5, 35),
    (16.2, 107.9, 40),
    (15.0, 108.6, 45),
    (13.6, 108.5, 85),
    (12.2, 108.2, 95),
    (11.1, 106.9, 95),
    (10.2, 105.9, 100),
    (9.3, 105.4, 70),
    (8.8, 105.0, 30),
]
CITIES = [
    (21.03, 105.85),
    (20.86, 106.68),
    (16.05, 108.2),
    (10.78, 106.7),
    (10.03, 105.78),
    (18.68, 105.68),
    (12.24, 109.19),
    (11.94, 108.44),
    (20.43, 106.17),
    (13.98, 108.0),
]
VN_BOX = (8.4, 23.4, 102.1, 109.5)  # lat min/max, lon min/max


def _offset(lat: float, lon: float, dn_km, de_km):
    return lat + dn_km / KM_PER_DEG, lon + de_km / (KM_PER_DEG * math.cos(math.radians(lat)))


def _commune_points(rng: np.random.Generator, n: int, scale: str) -> np.ndarray:
    if scale == "province":
        lat0, lon0 = 16.0, 107.4
        towns = [_offset(lat0, lon0, dn, de) for dn, de in ((40, -30), (-60, 70), (90, 100), (-100, -80))]
        pts = []
        for i in range(n):
            if i % 3 == 0:  # a third clustered around district towns
                t = towns[rng.integers(len(towns))]
                pts.append(_offset(t[0], t[1], rng.normal(0, 15), rng.normal(0, 15)))
            else:
                pts.append(_offset(lat0, lon0, rng.uniform(-150, 150), rng.uniform(-150, 150)))
        return np.array(pts)
    seg_len = []
    for a, b in itertools.pairwise(SPINE):
        d = math.hypot((a[0] - b[0]) * KM_PER_DEG, (a[1] - b[1]) * KM_PER_DEG * math.cos(math.radians(a[0])))
        seg_len.append(d * (a[2] + b[2]))
    probs = np.array(seg_len) / sum(seg_len)
    pts = []
    while len(pts) < n:
        if rng.random() < 0.5:
            c = CITIES[rng.integers(len(CITIES))]
            lat, lon = _offset(c[0], c[1], rng.normal(0, 35), rng.normal(0, 35))
        else:
            k = rng.choice(len(probs), p=probs)
            (la, lo, wa), (lb, lob, wb) = SPINE[k], SPINE[k + 1]
            t = rng.random()
            lat, lon = la + t * (lb - la), lo + t * (lob - lo)
            dn, de = (lb - la) * KM_PER_DEG, (lob - lo) * KM_PER_DEG * math.cos(math.radians(lat))
            norm = math.hypot(dn, de)
            half = wa + t * (wb - wa)
            off = rng.uniform(-half, half)
            lat, lon = _offset(lat, lon, -de / norm * off, dn / norm * off)
        if VN_BOX[0] <= lat <= VN_BOX[1] and VN_BOX[2] <= lon <= VN_BOX[3]:
            pts.append((lat, lon))
    return np.array(pts)


def generate(scale: str = "province", seed: int = 1) -> PlanInput:
    """A deterministic instance for ``scale`` ("province" or "nation")."""
    cfg = SCALES[scale]
    rng = np.random.default_rng(seed)
    pts = _commune_points(rng, cfg["communes"], scale)
    prefix = "P" if scale == "province" else "N"
    communes = [
        Commune(f"{prefix}{i:05d}", round(float(la), 5), round(float(lo), 5))
        for i, (la, lo) in enumerate(pts)
    ]
    needs = []
    for c in communes:
        for f in FIELDS:
            if rng.random() < 0.35:  # not every commune needs every field
                needs.append(Need(c.code, f, int(rng.integers(1, 4)), int(rng.integers(1, 6))))
    n_dept = cfg["departments"]
    dept_names = [f"SO{d:02d}" for d in range(n_dept)]
    weights = 1.0 / np.arange(1, n_dept + 1) ** 0.7  # a few big departments, many small ones
    weights /= weights.sum()
    main_field = {d: FIELDS[i % len(FIELDS)] for i, d in enumerate(dept_names)}
    staff = []
    for i in range(cfg["staff"]):
        d = dept_names[rng.choice(n_dept, p=weights)]
        k = int(rng.integers(1, 4))
        fields = {main_field[d]} | set(rng.choice(FIELDS, size=k - 1, replace=False).tolist())
        home = pts[rng.integers(len(pts))]
        lat, lon = _offset(float(home[0]), float(home[1]), rng.normal(0, 8), rng.normal(0, 8))
        staff.append(Staff(f"CB{i:06d}", d, frozenset(fields), round(lat, 5), round(lon, 5)))
    sizes = {d: 0 for d in dept_names}
    for s in staff:
        sizes[s.department] += 1
    quotas = {d: math.floor(sizes[d] * rng.uniform(0.55, 0.95)) for d in dept_names}
    return PlanInput(
        communes, needs, staff, quotas, cfg["total"], cfg["distance_weight"], cfg["max_per_commune"], Locks()
    )


def write_csv(inp: PlanInput, out: Path) -> None:
    """Write communes.csv, needs.csv, staff.csv, quotas.csv (+ params.json) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "communes.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["commune_code", "lat", "lon"])
        w.writerows([c.code, c.lat, c.lon] for c in inp.communes)
    with open(out / "needs.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["commune_code", "field", "units", "priority"])
        w.writerows([n.commune_code, n.field, n.units, n.priority] for n in inp.needs)
    with open(out / "staff.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["staff_id", "department", "fields", "home_lat", "home_lon"])
        w.writerows(
            [s.staff_id, s.department, ";".join(sorted(s.fields)), s.home_lat, s.home_lon] for s in inp.staff
        )
    with open(out / "quotas.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["department", "max_release"])
        w.writerows(sorted((inp.quotas or {}).items()))
    params = {
        "total": inp.total,
        "distance_weight": inp.distance_weight,
        "max_per_commune": inp.max_per_commune,
    }
    (out / "params.json").write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")


@contextlib.contextmanager
def _stdout_to_stderr():
    """Some solvers (HiGHS, CBC) print banners from C++ straight to fd 1; keep stdout pure JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON object."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=sorted(SCALES), default="province")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument(
        "--method",
        default="flow",
        help="flow (solve), or a reference backend: HIGHS, SCIP, CBC, GLOP, PDLP, CP_SAT",
    )
    ap.add_argument(
        "--distance-weight", type=float, help="override the scale's distance_weight (stress test)"
    )
    ap.add_argument(
        "--direct-max-arcs",
        type=int,
        help="override optimizer.solver.DIRECT_MAX_ARCS (0 forces pricing, a huge value forces the direct flow)",
    )
    ap.add_argument("--no-greedy", action="store_true")
    ap.add_argument("--write-csv", type=Path, metavar="DIR", help="write the instance as CSVs and exit")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    inp = generate(args.scale, args.seed)
    if args.distance_weight is not None:
        inp.distance_weight = args.distance_weight
    if args.direct_max_arcs is not None:
        solver.DIRECT_MAX_ARCS = args.direct_max_arcs
    gen_seconds = time.perf_counter() - t
    if args.write_csv:
        write_csv(inp, args.write_csv)
        print(
            json.dumps(
                {
                    "written": str(args.write_csv),
                    "communes": len(inp.communes),
                    "needs": len(inp.needs),
                    "staff": len(inp.staff),
                }
            )
        )
        return 0
    with _stdout_to_stderr():
        if args.method == "flow":
            res = solve(inp, time_limit=args.time_limit)
        else:
            res = solve_mip(inp, time_limit=args.time_limit, backend=args.method)
    rss_solve_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "scale": args.scale,
        "seed": args.seed,
        "method": args.method,
        "communes": len(inp.communes),
        "needs": len(inp.needs),
        "need_units": sum(n.units for n in inp.needs),
        "staff": len(inp.staff),
        "departments": len(inp.quotas or {}),
        "quota_sum": sum((inp.quotas or {}).values()),
        "total": inp.total,
        "max_per_commune": inp.max_per_commune,
        "distance_weight": inp.distance_weight,
        "generate_seconds": round(gen_seconds, 3),
        "status": res.status,
        "seconds": round(res.seconds, 3),
        "objective": round(res.objective, 4),
        "bound": round(res.bound, 4) if math.isfinite(res.bound) else None,
        "gap": res.gap,
        "assigned": len(res.assignments),
        "stats": {k: round(v, 3) if isinstance(v, float) else v for k, v in res.stats.items()},
        "peak_rss_mb_after_solve": round(rss_solve_mb, 1),
    }
    if not args.no_greedy:
        g = greedy(inp)
        report.update(
            {
                "greedy_seconds": round(g.seconds, 3),
                "greedy_objective": round(g.objective, 4),
                "greedy_assigned": len(g.assignments),
                "greedy_ratio": round(g.objective / res.objective, 5) if res.objective else None,
            }
        )
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
