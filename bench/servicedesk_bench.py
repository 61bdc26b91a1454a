"""Service desk benchmark: dashboard render over N dossiers, registration p95, status lookup p95, import rows/min.

    .venv/bin/python bench/servicedesk_bench.py          # `make bench`: SQLite, reuses the data already there
                                                         # (else generates 200,000 dossiers); a few minutes
    .venv/bin/python bench/servicedesk_bench.py -n 400000 --import-rows 100000 --runs 10
    .venv/bin/python bench/servicedesk_bench.py --db postgres --pg-db civicdesk_bench_2m -n 2000000 --runs 10
    .venv/bin/python bench/servicedesk_bench.py --db postgres -n 10000000 --import-rows 0 --runs 10

Uses its own database (var/bench-servicedesk/civicdesk.sqlite3, or postgres://postgres@127.0.0.1:5432/<--pg-db>,
default civicdesk_bench — created if missing) and never touches the dev or CI databases. Dossiers are generated
deterministically with raw bulk inserts (COPY on PostgreSQL), then the daily and monthly counters are rebuilt;
later runs reuse and top up the data (`-n` is a minimum: a database holding more keeps it). Prints one JSON object.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
DEFAULT_SQLITE_DOSSIERS = 200_000


def configure(db, pg_name="civicdesk_bench"):
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    if db == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]).fetchone():
                conn.execute(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = PG_URL.format(name=pg_name)
    else:
        # The house SQLite settings (WAL, synchronous=NORMAL) in a directory of its own.
        os.environ.pop("DATABASE_URL", None)
        os.environ["CIVICDESK_VAR"] = str(ROOT / "var" / "bench-servicedesk")
        (ROOT / "var" / "bench-servicedesk").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def setup_world():
    from django.core.management import call_command

    from civicdesk.core.models import User
    from civicdesk.geo.models import Commune, Province
    from civicdesk.geo.services import load_units
    from civicdesk.handbook.models import Field, Procedure

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Commune.objects.filter(province__code=68).exists():
        load_units(provinces=[68])
    field, _ = Field.objects.get_or_create(code="bench", defaults={"name": "Thử tải"})
    components = [{"name": f"Giấy tờ {i}", "original": 1, "copy": 0, "required": True} for i in range(3)]
    procedures = []
    for i, days in enumerate([0, 3, 5, 10, None]):
        methods = [
            {"method": "truc_tiep", "processing_days": days},
            {"method": "truc_tuyen", "processing_days": days},
        ]
        procedure, _ = Procedure.objects.get_or_create(
            code=f"BENCH-{i}",
            defaults={
                "name": f"Thủ tục thử tải {i}",
                "field": field,
                "methods": methods,
                "components": components,
            },
        )
        procedures.append(procedure)
    province = Province.objects.get(code=68)
    di_linh = Commune.objects.get(code=25000)
    officer = User.objects.filter(username="bench.canbo").first() or User.objects.create_user(
        "bench.canbo", role="commune_officer", commune=di_linh, full_name="Cán bộ thử tải"
    )
    admin = User.objects.filter(username="bench.tinh").first() or User.objects.create_user(
        "bench.tinh", role="province_admin", province=province, full_name="Quản trị thử tải"
    )
    return province, procedures, officer, admin


COLUMNS = [
    "code",
    "commune_id",
    "province_id",
    "procedure_id",
    "procedure_code",
    "procedure_name",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "phone_last4",
    "channel",
    "status",
    "received_at",
    "received_date",
    "due_at",
    "due_source",
    "processing_days",
    "finished_at",
    "returned_at",
    "is_on_time",
    "working_days_taken",
    "supplement_count",
    "rating",
    "late_reason",
    "new_due_at",
    "apology_at",
    "checklist",
    "is_imported",
    "received_by_id",
    "note",
    "updated_at",
]
CHANNELS = ["truc_tiep"] * 5 + ["truc_tuyen"] * 3 + ["truc_tuyen_ho_tro"] * 2 + ["luu_dong", "buu_chinh"]


def rows(start, count, communes, procedures, first_day, days_span, seed, naive=False):
    """Deterministic dossier tuples (UTC instants); six months of receipts spread over the province's communes."""
    rng = random.Random(seed)

    def at(value):  # SQLite stores naive UTC text, as Django does
        return value.replace(tzinfo=None) if naive and value is not None else value

    now = datetime.now(UTC)
    for n in range(start, start + count):
        commune_id, province_id = communes[n % len(communes)]
        procedure = procedures[n % len(procedures)]
        day = first_day + timedelta(days=rng.randrange(days_span))
        received = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC) + timedelta(
            minutes=rng.randrange(540)
        )
        due = received + timedelta(days=rng.choice((1, 3, 5, 7)))
        finished = received + timedelta(hours=rng.uniform(2, 200)) if rng.random() < 0.85 else None
        if finished and finished > now:
            finished = None
        rating = rng.choice((None, None, 3, 4, 5, 5, 2)) if finished else None
        phone = f"09{n % 10**8:08d}"
        yield (
            f"B{n:09d}",
            commune_id,
            province_id,
            procedure[0],
            procedure[1],
            procedure[2],
            "Người thử tải",
            f"068{n % 10**9:09d}",
            phone,
            phone[-4:],
            rng.choice(CHANNELS),
            "returned" if finished else "processing",
            at(received),
            (received + timedelta(hours=7)).date(),
            at(due),
            "computed",
            3,
            at(finished),
            at(finished),
            None if finished is None else finished <= due,
            None if finished is None else round((finished - received).total_seconds() / 86400, 2),
            1 if rng.random() < 0.15 else 0,
            rating,
            "",
            None,
            None,
            "[]",
            False,
            None,
            "",
            at(now),
        )


def generate(n, procedures, progress=print):
    """Top the benchmark dossiers up to n, by raw inserts; returns the number created."""
    from django.db import connection

    from civicdesk.geo.models import Commune
    from civicdesk.servicedesk.models import Dossier

    have = Dossier.objects.filter(code__startswith="B").count()
    if have >= n:
        return 0
    communes = list(
        Commune.objects.filter(province__code=68).order_by("code").values_list("id", "province_id")
    )
    procs = [(p.pk, p.code, p.name) for p in procedures]
    today = date.today()
    first_day = (today.replace(day=1) - timedelta(days=160)).replace(day=1)
    span = (today - first_day).days
    table = Dossier._meta.db_table
    chunk = 100_000
    for start in range(have, n, chunk):
        count = min(chunk, n - start)
        data = rows(
            start, count, communes, procs, first_day, span, seed=start, naive=connection.vendor == "sqlite"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})", list(data))
        progress(f"  generated {start + count:,}/{n:,}")
    return n - have


def p95(samples):
    samples = sorted(samples)
    return samples[max(0, int(len(samples) * 0.95) - 1)]


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(p95(samples), 1), "runs": runs}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-db", default="civicdesk_bench", help="PostgreSQL database name (created if missing)"
    )
    parser.add_argument(
        "-n",
        "--dossiers",
        type=int,
        default=None,
        help=f"at least this many dossiers (default: reuse what is there, else {DEFAULT_SQLITE_DOSSIERS:,})",
    )
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    configure(args.db, args.pg_db)

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from civicdesk.geo.models import Commune
    from civicdesk.kernel.actors import system
    from civicdesk.servicedesk import kpi, queries
    from civicdesk.servicedesk.models import CommuneDayStat, Dossier
    from civicdesk.servicedesk.services import import_dossiers, rebuild_all_stats, refresh_stats

    setup_test_environment()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    _province, procedures, officer, admin = setup_world()
    target = args.dossiers
    if target is None:
        target = Dossier.objects.filter(code__startswith="B").count() or DEFAULT_SQLITE_DOSSIERS
    result = {"db": connection.vendor, "dossiers_target": target, "date": date.today().isoformat()}
    if connection.vendor == "postgresql":
        result["pg_database"] = args.pg_db
    started = time.monotonic()
    created = generate(target, procedures, progress=log)
    if created or not CommuneDayStat.objects.exists():
        result["generate_seconds"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        rebuild_all_stats()
        result["rebuild_counters_seconds"] = round(time.monotonic() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE servicedesk_dossier" if connection.vendor == "postgresql" else "ANALYZE"
            )
    result["dossiers"] = Dossier.objects.count()

    client = Client(REMOTE_ADDR="10.0.0.1")
    client.force_login(admin)
    date_from, date_to = kpi.default_period()
    period = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    assert client.get("/servicedesk/kpi/", period).status_code == 200
    result["dashboard_whole_months"] = timed(lambda: client.get("/servicedesk/kpi/", period), args.runs)
    odd = {
        "date_from": (date_from + timedelta(days=9)).isoformat(),
        "date_to": (date_to - timedelta(days=3)).isoformat(),
    }
    assert client.get("/servicedesk/kpi/", odd).status_code == 200
    result["dashboard_partial_months"] = timed(lambda: client.get("/servicedesk/kpi/", odd), args.runs)
    week = {
        "date_from": (date_to - timedelta(days=40)).isoformat(),
        "date_to": (date_to - timedelta(days=34)).isoformat(),
    }
    result["dashboard_one_week"] = timed(lambda: client.get("/servicedesk/kpi/", week), args.runs)
    # What staffing reads per commune (counters + a per-field count over one commune's rows).
    result["commune_kpis_di_linh_partial"] = timed(
        lambda: queries.commune_kpis(25000, date_from + timedelta(days=9), date_to - timedelta(days=3)),
        args.runs,
    )

    officer_client = Client(REMOTE_ADDR="10.0.0.2")
    officer_client.force_login(officer)
    form = {
        "procedure": procedures[1].code,
        "channel": "truc_tiep",
        "applicant_name": "Ka Huệ",
        "applicant_id_number": "068190001234",
        "applicant_phone": "0912345678",
        "components": ["0", "1", "2"],
    }

    def register():
        response = officer_client.post(f"/servicedesk/receive/?procedure={procedures[1].code}", form)
        assert response.status_code == 302, response.status_code

    result["register"] = timed(register, max(50, args.runs * 5))

    rng = random.Random(7)
    total = target
    public = Client()
    counter = iter(range(10**9))

    def lookup():
        n = rng.randrange(total)
        response = public.post(
            "/tra-cuu/",
            {"code": f"B{n:09d}", "phone4": f"{n % 10**8:08d}"[-4:]},
            REMOTE_ADDR=f"10.1.{next(counter) % 250}.{rng.randrange(250)}",
        )
        assert response.status_code == 200, response.status_code

    result["lookup"] = timed(lookup, max(100, args.runs * 10))

    if args.import_rows:
        header = "code,commune_code,procedure_code,procedure_name,channel,received_at,due_at,finished_at,returned_at,status,supplement_requests,rating\n"
        lines = [header]
        base = datetime(date_to.year, date_to.month, 1, 8, 0).isoformat()
        for i in range(args.import_rows):
            commune = 25000 if i % 3 else 24787
            proc = f"BENCH-{i % 5}" if i % 50 else "UNKNOWN-1"
            finished = "" if i % 4 == 0 else f"{base[:10]}T15:00:00+07:00"
            lines.append(
                f"IMP{i:08d},{commune},{proc},,truc_tuyen,{base}+07:00,,{finished},,"
                f"{'processing' if not finished else 'done'},{i % 2},{'' if i % 3 else 5}\n"
            )
        text = "".join(lines)
        started = time.perf_counter()
        report = import_dossiers(system("bench"), text)
        elapsed = time.perf_counter() - started
        assert report.ok, report.error_lines()[:5]
        result["import"] = {
            "rows": args.import_rows,
            "seconds": round(elapsed, 2),
            "rows_per_minute": round(args.import_rows / elapsed * 60),
            "created": report.created,
            "updated": report.updated,
        }
    # Leave the generated data as it was: remove what the run added and refresh those communes' counters.
    Dossier.objects.filter(code__startswith="IMP").delete()
    Dossier.objects.filter(received_by=officer).delete()
    touched = list(Commune.objects.filter(code__in=[25000, 24787]).values_list("id", flat=True))
    refresh_stats(touched, date_from, date_to)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
