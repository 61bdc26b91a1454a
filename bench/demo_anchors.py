"""The demo on many anchor days: does the 260 plan send 260 people whichever day the demo is laid around?

For each anchor, a fresh SQLite database gets `civicdesk demo --anchor DAY`; then we read the two demo plans'
assignment counts and re-solve the 260 plan's own input with no total (`total = 10 000`): that count is the
margin — how many people the demo's needs, pool, quotas and distances could usefully send that day. The demo is
robust while the smallest margin stays well above 260.

    python bench/demo_anchors.py                       # 12 anchors over two years, incl. Tết, 31/12, 29/02
    python bench/demo_anchors.py 2027-02-08 2028-02-29 # chosen days

Prints one JSON object. Each anchor takes ~20 s (two at a time on two cores).
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CIVICDESK = [sys.executable, "-m", "civicdesk.cli"]
DEFAULT_ANCHORS = [
    "2026-07-01",
    "2026-09-02",  # National Day
    "2026-12-31",
    "2027-01-01",
    "2027-02-08",  # a Monday in Tết 2027
    "2027-02-14",
    "2027-04-30",
    "2027-06-15",
    "2027-10-04",
    "2027-12-31",
    "2028-02-29",
    "2028-07-31",
]
PROBE = """
import json
from civicdesk.staffing import optimizer
from civicdesk.staffing.models import Plan
from civicdesk.staffing.queries import input_from_snapshot
plans = {p.total: p for p in Plan.objects.all()}
big = plans[260]
snap = dict(big.input_snapshot, total=10000)
margin = optimizer.solve(input_from_snapshot(snap))
print(json.dumps({
    "plan_260": big.assignments.count(),
    "plan_200": plans[200].assignments.count(),
    "status_260": big.solver_status,
    "margin": len(margin.assignments),
    "pool": len(big.input_snapshot["staff"]),
    "need_units": sum(n[2] for n in big.input_snapshot["needs"]),
}))
"""


def one(anchor):
    with tempfile.TemporaryDirectory(prefix="civicdesk-anchor-") as var:
        env = {**os.environ, "CIVICDESK_VAR": var, "CIVICDESK_HOME": str(ROOT)}
        for args in (
            ["migrate", "-v0"],
            ["createcachetable"],
            ["demo", "--quiet-logins", f"--anchor={anchor}"],
        ):
            subprocess.run([*CIVICDESK, *args], env=env, cwd=ROOT, check=True, capture_output=True)
        out = subprocess.run(
            [*CIVICDESK, "shell", "-c", PROBE], env=env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        return {"anchor": anchor, **json.loads(out.strip().splitlines()[-1])}


def main(anchors):
    with ThreadPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(one, anchors))
    result = {
        "date": datetime.date.today().isoformat(),
        "anchors": rows,
        "all_260": all(r["plan_260"] == 260 for r in rows),
        "all_200": all(r["plan_200"] == 200 for r in rows),
        "min_margin": min(r["margin"] for r in rows),
        "max_margin": max(r["margin"] for r in rows),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["all_260"] and result["all_200"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or DEFAULT_ANCHORS))
