"""Benchmark for the handbook: seed load (first run and re-run), database search latency, export.

Runs against a fresh SQLite database in a temporary directory (never the dev database), migrated from scratch, and
prints one JSON object. `--scale N` multiplies the corpus (copies with new codes) to see how import and search grow.

    .venv/bin/python bench/handbook_seed.py
    .venv/bin/python bench/handbook_seed.py --scale 10
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = [
    "khai sinh",
    "lam so do",
    "đăng ký kết hôn",
    "giay xac nhan tinh trang hon nhan",
    "ho kinh doanh",
    "VNeID",
    "chu ky so",
    "tam tru",
    "tro cap xa hoi",
    "cap phep xay dung nha o",
    "chứng thực bản sao",
    "mất sổ đỏ",
]


def _percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=int, default=1, help="copies of the seed corpus (1 = the real corpus)"
    )
    parser.add_argument(
        "--with-hooks",
        action="store_true",
        help="keep other apps' publish hooks (the assistant's index rebuild)",
    )
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cd-bench-handbook-")
    os.environ["CIVICDESK_VAR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    os.environ["HUEY_IMMEDIATE"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civicdesk.core import demo
    from civicdesk.core.models import User
    from civicdesk.handbook.fields import ensure_fields
    from civicdesk.handbook.queries import search
    from civicdesk.handbook.schema import parse_text
    from civicdesk.handbook.services import export_records, import_records, load_seed, on_publish_hooks
    from civicdesk.handbook.transfer import SEED_DIR
    from civicdesk.kernel.actors import system

    demo.load()
    ensure_fields()
    if not args.with_hooks:
        on_publish_hooks.clear()  # measure the handbook itself, not what other apps do when content changes
    result = {"scale": args.scale, "with_hooks": args.with_hooks}

    started = time.perf_counter()
    first = load_seed(system("bench"))
    result["seed_first_run_s"] = round(time.perf_counter() - started, 3)
    result["records"] = first.created
    started = time.perf_counter()
    again = load_seed(system("bench"))
    result["seed_rerun_s"] = round(time.perf_counter() - started, 3)
    result["seed_rerun_unchanged"] = again.unchanged

    if args.scale > 1:
        records = []
        for path in sorted(SEED_DIR.glob("*.json")):
            records += [r for _line, r in parse_text(path.read_text(encoding="utf-8"))]
        copies = []
        for n in range(2, args.scale + 1):
            for r in records:
                r = dict(r)
                key = "code" if r["kind"] == "procedure" else "slug"
                r[key] = f"{r[key]}-{n}" if key == "code" else f"{r[key]}-x{n}"
                for name in ("related", "related_procedures"):
                    if name in r:
                        r[name] = [f"{c}-{n}" for c in r[name]]
                copies.append(r)
        started = time.perf_counter()
        report = import_records(copies, actor=system("bench"), source_name="bench")
        result["import_copies_s"] = round(time.perf_counter() - started, 3)
        result["records"] += report.created

    user = User.objects.get(username="dilinh.canbo")
    timings = []
    for _round in range(5):
        for q in QUERIES:
            started = time.perf_counter()
            search(q, user, 10)
            timings.append((time.perf_counter() - started) * 1000)
    result["search_ms_p50"] = round(statistics.median(timings), 1)
    result["search_ms_p95"] = round(_percentile(timings, 95), 1)

    for fmt in ("jsonl", "json"):
        started = time.perf_counter()
        size = sum(len(chunk.encode()) for chunk in export_records(fmt))
        result[f"export_{fmt}_s"] = round(time.perf_counter() - started, 3)
        result[f"export_{fmt}_bytes"] = size
    print(json.dumps(result))


if __name__ == "__main__":
    main()
