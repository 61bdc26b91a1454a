"""Outreach benchmark: import a campaign's target list of N citizens (issue 16: 50,000 in at most 30 s).

    .venv/bin/python bench/outreach_import.py                  # `make bench`: SQLite, 50,000 rows
    .venv/bin/python bench/outreach_import.py --rows 100000 --db postgres

The import is the real one (`outreach.services.import_targets`, as the page and the API call it): a CSV file of
N lines for Xã Di Linh — name, phone written the ways officials write them (0912 345 678, +84…, 84…), a CCCD on a
third of the lines, a hamlet, the consent columns and a note — with 2 % of lines repeating an earlier citizen's phone
or CCCD (merged, not duplicated). Three timings, each on a fresh campaign:

1. `fresh`: nobody on the list is known yet (people, consents and targets are created);
2. `known`: the same list again into a second campaign (every line matches a person already known);
3. `refused`: the same list with one bad line at the end — the whole file is checked and nothing is written.

Uses its own database (var/bench-outreach/civicdesk.sqlite3, recreated each run, or the PostgreSQL database
civicdesk_bench_outreach, dropped and recreated) and prints one JSON object with the seconds, rows per second, the
peak resident memory and the counts.
"""

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_NAME = "civicdesk_bench_outreach"
DI_LINH = 25000
CONSENTS = ("phone", "phone sms", "phone sms zalo", "phone visit", "")


def configure(db):
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    if db == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    else:
        var = ROOT / "var" / "bench-outreach"
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        os.environ.pop("DATABASE_URL", None)
        os.environ["CIVICDESK_VAR"] = str(var)
    import django

    django.setup()


def setup_world():
    from django.core.management import call_command

    from civicdesk.core.services import create_user
    from civicdesk.geo.models import Commune
    from civicdesk.geo.services import add_hamlet, load_units
    from civicdesk.kernel.actors import system

    SYSTEM = system("bench")

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_units(provinces=[68])
    commune = Commune.objects.get(code=DI_LINH)
    hamlets = [add_hamlet(SYSTEM, commune, name=f"Thôn {n}").name for n in range(1, 21)]
    officer = create_user(SYSTEM, username="bench.canbo", full_name="Cán bộ thử tải", role="commune_officer",
                          commune=commune)  # fmt: skip
    return commune, officer, hamlets


def campaign(officer, commune, name):
    from civicdesk.outreach import services

    return services.save_campaign(
        officer,
        commune=commune,
        data={
            "name": name,
            "purpose": "Thử tải",
            "theme": "online_filing",
            "start_date": date(2026, 1, 5),
            "end_date": date(2026, 12, 31),
        },
    )


def _phone(rng):
    """An invented number (the demo's), written one of the four ways officials write numbers."""
    from civicdesk.outreach.demo import invented_phone

    local = invented_phone(rng)
    style = rng.random()
    if style < 0.6:
        return local
    if style < 0.8:
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    if style < 0.9:
        return "+84" + local[1:]
    return "84" + local[1:]


def build_csv(rows, hamlets, seed=16):
    from civicdesk.outreach.demo import FAMILY, GIVEN

    rng = random.Random(seed)
    lines = ["full_name,phone,id_number,hamlet,consent,consent_source,note"]
    people = []
    for n in range(rows):
        if people and rng.random() < 0.02:  # the same citizen again (from another source list)
            name, phone, cccd = rng.choice(people)
        else:
            name = rng.choice(FAMILY) + rng.choice(GIVEN)
            phone = _phone(rng)
            cccd = f"068{rng.randrange(10**9):09d}" if n % 3 == 0 else ""
            people.append((name, phone, cccd))
        consent = rng.choice(CONSENTS)
        source = "Phiếu đồng ý tại nhà văn hóa thôn" if consent else ""
        lines.append(f"{name},{phone},{cccd},{rng.choice(hamlets)},{consent},{source},Danh sách thôn")
    return ("\n".join(lines) + "\n").encode()


def timed(officer, target_campaign, content):
    from civicdesk.outreach import services

    started = time.perf_counter()
    report = services.import_targets(officer, target_campaign, content=content, filename="list.csv")
    return time.perf_counter() - started, report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    configure(args.db)
    from civicdesk.community.models import Person
    from civicdesk.outreach.models import Consent, Target

    commune, officer, hamlets = setup_world()
    content = build_csv(args.rows, hamlets)
    out = {"rows": args.rows, "db": args.db, "bytes": len(content), "target_seconds": 30}

    first = campaign(officer, commune, "Thử tải 1")
    seconds, report = timed(officer, first, content)
    assert report.ok, report.errors[:3]
    out["fresh"] = {
        "seconds": round(seconds, 2),
        "rows_per_second": round(args.rows / seconds),
        "targets": report.targets_created,
        "people_created": report.people_created,
        "merged_rows": report.merged_rows,
        "consents": report.consents_recorded,
    }
    second = campaign(officer, commune, "Thử tải 2")
    seconds, report = timed(officer, second, content)
    assert report.ok, report.errors[:3]
    out["known"] = {
        "seconds": round(seconds, 2),
        "rows_per_second": round(args.rows / seconds),
        "targets": report.targets_created,
        "people_matched": report.people_matched,
        "people_created": report.people_created,
    }
    third = campaign(officer, commune, "Thử tải 3")
    bad = content + "K'Lan,0912 ABC,,Thôn 1,phone,Phiếu,\n".encode()
    seconds, report = timed(officer, third, bad)
    out["refused"] = {
        "seconds": round(seconds, 2),
        "errors": report.errors[:2],
        "targets_written": Target.objects.filter(campaign=third).count(),
    }
    out["totals"] = {
        "people": Person.objects.count(),
        "targets": Target.objects.count(),
        "consents": Consent.objects.count(),
    }
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["machine"] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }
    out["ok"] = out["fresh"]["seconds"] <= 30 and out["refused"]["targets_written"] == 0
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
