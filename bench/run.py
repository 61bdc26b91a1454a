"""`make bench`: run every benchmark script in bench/ with its default (target) settings, one after another.

Each script prints one JSON object (or JSON lines); the outputs are saved under bench/out/ with the machine and date so
docs/benchmarks.md can quote them. Pass script names to run only some: `python bench/run.py secondment`.
"""

import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

# The runs `make bench` does: each script with the arguments of the targets in the issues (scripts not listed here
# run once with no arguments). Big variants (2-10 M dossiers on PostgreSQL, solver comparisons) are documented in
# docs/benchmarks/*.md and run by hand.
PLAN = {
    "secondment": [["--scale", "province"], ["--scale", "nation"]],
    "assistant_eval": [[]],
    "assistant_scale": [["20000"]],
    "assistant_engines": [],
    "handbook_seed": [[]],
    "hotline": [[]],
    "servicedesk_bench": [[]],
    "community_matching": [[]],
    "outreach_import": [[]],
    "volunteer_roster": [[]],
    "impact": [[]],
}


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def main(names):
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    if names:
        scripts = [p for p in scripts if p.stem in names]
    OUT.mkdir(exist_ok=True)
    summary = {"date": datetime.date.today().isoformat(), "machine": machine(), "runs": []}
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent
        )
        elapsed = time.monotonic() - started
        print(result.stdout[-4000:], flush=True)
        if result.returncode:
            print(result.stderr[-4000:], file=sys.stderr)
        (OUT / f"{script.stem}.txt").write_text(result.stdout)
        summary["runs"].append(
            {"script": script.name, "seconds": round(elapsed, 1), "exit": result.returncode}
        )
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 1 if any(r["exit"] for r in summary["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
