"""Fill a PostgreSQL database with N service-desk dossiers (default 10,000,000) for the scale-out load test.

    .venv/bin/python bench/loadtest/seed_dossiers.py                    # civicdesk_scale, 10 M dossiers
    .venv/bin/python bench/loadtest/seed_dossiers.py --db civicdesk_scale -n 2000000 --procs 2

The database (postgres://postgres@127.0.0.1:5432/<--db>) is created if missing, migrated and given the demo
(`civicdesk migrate`, `createcachetable`, `demo`), then topped up to N dossiers by COPY from `--procs` processes:
spread over the demo province's communes (each commune its own size), the handbook's procedures (a few common ones
take most dossiers), the working days of the last 24 months up to yesterday (weekdays, few on Saturdays, none on
Sundays and public holidays), with statuses, due dates, ratings and on-time flags as a closed or open dossier has
them. Codes follow the counter's own format (`<commune>-<yymmdd>-<nnn>`), numbered on from what the demo already
holds that day, so `receive_dossier` keeps numbering without a clash.

The dossier table's secondary indexes and foreign keys are dropped for the COPY and created again afterwards
(re-adding a constraint checks every row, so every constraint holds at the end); then the KPI counters are rebuilt
and the table is analysed. It also creates the load-test accounts (`load.<commune code>` officers with API tokens,
`load.tinh` province admin) and writes them to var/scale/accounts.json for the locustfile. Prints rows/s.
"""

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PG = "postgresql://postgres@127.0.0.1:5432/{name}"
TABLE = "servicedesk_dossier"
VN = 7  # hours: Vietnam is UTC+7 all year
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
    "checklist",
    "is_imported",
    "note",
    "updated_at",
]
CHANNELS = (
    ["truc_tiep"] * 50
    + ["truc_tuyen"] * 30
    + ["truc_tuyen_ho_tro"] * 12
    + ["luu_dong"] * 5
    + ["buu_chinh"] * 3
)
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "K'Brơi",
    "Ka",
    "Cil",
    "Liêng",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Hữu", "Thanh", "Quốc", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Nhi",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]


def log(message):
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def setup_database(name, var_dir, redis_url):
    """Create the database if missing; migrate and load the demo unless it is there already."""
    import psycopg

    with psycopg.connect(PG.format(name="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")
    env = dict(os.environ, DATABASE_URL=PG.format(name=name).replace("postgresql", "postgres"), DEBUG="0")
    env["CIVICDESK_VAR"] = str(var_dir)
    if redis_url:
        env["REDIS_URL"] = redis_url
    with psycopg.connect(PG.format(name=name)) as conn:
        ready = (
            conn.execute("SELECT to_regclass('core_user') IS NOT NULL").fetchone()[0]
            and conn.execute(
                "SELECT EXISTS (SELECT 1 FROM core_user WHERE username = 'tinh.admin')"
            ).fetchone()[0]
        )
    if not ready:
        cli = str(ROOT / ".venv" / "bin" / "civicdesk")
        for command in (["migrate", "-v0"], ["createcachetable"], ["demo", "--quiet-logins"]):
            log("civicdesk " + " ".join(command))
            subprocess.run([cli, *command], env=env, check=True)
    os.environ.update(env)


def working_days(first, last):
    import holidays

    off = holidays.country_holidays("VN", years=range(first.year, last.year + 2))
    days, day = [], first
    while day <= last + timedelta(days=120):
        if day.weekday() < 6 and day not in off:
            days.append(day)
        day += timedelta(days=1)
    return days, off


def plan(n, communes, first, last, existing, seed=21):
    """[(commune index, day, first number, count)] adding up to n: commune size × day weight, rounded fairly."""
    rng = random.Random(seed)
    days, _off = working_days(first, last)
    receipt_days = [d for d in days if first <= d <= last]
    # Saturdays: a morning session in some centres (a fifth of a weekday); Mondays busiest.
    day_weight = {d: (0.2 if d.weekday() == 5 else 1.15 if d.weekday() == 0 else 1.0) for d in receipt_days}
    # A commune's size: lognormal (a ward of Đà Lạt takes ten times a mountain commune's dossiers).
    commune_weight = [rng.lognormvariate(0, 0.7) for _ in communes]
    total = sum(commune_weight) * sum(day_weight.values())
    cells, assigned = [], 0
    for ci, _commune in enumerate(communes):
        for d in receipt_days:
            exact = n * commune_weight[ci] * day_weight[d] / total
            count = int(exact) + (1 if rng.random() < exact - int(exact) else 0)
            cells.append([ci, d, count])
            assigned += count
    # Fix the rounding so the plan holds exactly n.
    while assigned != n:
        cell = cells[rng.randrange(len(cells))]
        step = 1 if assigned < n else -1
        if cell[2] + step >= 0:
            cell[2] += step
            assigned += step
    out = []
    for ci, d, count in cells:
        if count:
            start = existing.get((communes[ci][0], d), 0) + 1
            out.append((ci, d, start, count))
    return out, days


def _esc(value):
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def copy_worker(args):
    """One process: COPY its share of the plan's cells; returns rows written."""
    import psycopg

    dbname, cells, communes, procedures, days, today_iso, seed = args
    rng = random.Random(seed)
    today = date.fromisoformat(today_iso)
    index_of = {d: i for i, d in enumerate(days)}
    now = datetime.now(UTC).isoformat()
    proc_weights = [
        1.0 / (i + 1) ** 0.9 for i in range(len(procedures))
    ]  # a few procedures take most dossiers
    cum = []
    acc = 0.0
    for w in proc_weights:
        acc += w
        cum.append(acc)
    import bisect

    written = 0
    with psycopg.connect(PG.format(name=dbname)) as conn:
        conn.execute("SET synchronous_commit = off")
        buf = []
        with conn.cursor() as cur, cur.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for ci, day, start, count in cells:
                commune_code, commune_id, province_id = communes[ci]
                di = index_of[day]
                age = (today - day).days
                prefix = f"{commune_code}-{day:%y%m%d}-"
                for k in range(start, start + count):
                    pid, pcode, pname, pdays = procedures[bisect.bisect(cum, rng.random() * acc)]
                    minute = rng.randrange(450) if day.weekday() < 5 else rng.randrange(240)
                    # Office hours 07:30–11:30 and 13:30–17:00 (Vietnam) → UTC.
                    local_minute = 450 + minute if minute < 240 else 810 + (minute - 240)
                    received = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                        minutes=local_minute - VN * 60
                    )
                    wd = pdays if pdays is not None else 5
                    due_day = days[min(len(days) - 1, di + wd)]
                    due = datetime(due_day.year, due_day.month, due_day.day, tzinfo=UTC) + timedelta(
                        minutes=local_minute - VN * 60
                    )
                    supplement = 1 if rng.random() < 0.08 else 0
                    # Working days actually taken: most within the limit, about 4 % late.
                    taken_wd = (
                        max(0, round(wd * rng.uniform(0.3, 1.0)))
                        if rng.random() > 0.04
                        else wd + rng.randint(1, 6)
                    )
                    finish_day = days[min(len(days) - 1, di + taken_wd)]
                    finished = datetime(
                        finish_day.year, finish_day.month, finish_day.day, tzinfo=UTC
                    ) + timedelta(hours=rng.uniform(1, 9))
                    r = rng.random()
                    if finish_day >= today or (age < 30 and r < 0.05):
                        status = (
                            "supplement_requested"
                            if supplement and r < 0.3
                            else rng.choice(("received", "processing", "processing", "processing"))
                        )
                        finished = returned = on_time = taken = rating = None
                    elif r < 0.015:
                        status, returned, on_time, taken, rating = "rejected", None, None, None, None
                    elif r < 0.025:
                        status, returned, on_time, taken, rating = "withdrawn", None, None, None, None
                        finished = None
                    else:
                        on_time = taken_wd <= wd
                        taken = float(taken_wd)
                        if age < 10 and r > 0.9:
                            status, returned = "done", None
                        else:
                            status = "returned"
                            returned = finished + timedelta(hours=rng.uniform(0, 6))
                        rating = (
                            rng.choice((None, None, 5, 5, 5, 4, 4, 3, 2, 1)) if status == "returned" else None
                        )
                    phone = f"0{rng.choice('3578')}{rng.randrange(10**8):08d}"
                    cccd = f"068{rng.randrange(1, 10**9):09d}"
                    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                    buf.append(
                        "\t".join(
                            (
                                prefix + f"{k:03d}",
                                str(commune_id),
                                str(province_id),
                                str(pid),
                                pcode,
                                _esc(pname),
                                name,
                                cccd,
                                phone,
                                phone[-4:],
                                CHANNELS[rng.randrange(len(CHANNELS))],
                                status,
                                received.isoformat(),
                                day.isoformat(),
                                due.isoformat(),
                                "computed",
                                "\\N" if pdays is None else str(pdays),
                                "\\N" if finished is None else finished.isoformat(),
                                "\\N" if returned is None else returned.isoformat(),
                                "\\N" if on_time is None else ("t" if on_time else "f"),
                                "\\N" if taken is None else str(taken),
                                str(supplement),
                                "\\N" if rating is None else str(rating),
                                "Thiếu xác minh liên ngành" if on_time is False else "",
                                "[]",
                                "f",
                                "",
                                now,
                            )
                        )
                    )
                    if len(buf) >= 20000:
                        copy.write("\n".join(buf) + "\n")
                        written += len(buf)
                        buf.clear()
            if buf:
                copy.write("\n".join(buf) + "\n")
                written += len(buf)
        conn.commit()
    return written


def drop_for_copy(conn):
    """Drop the dossier table's secondary indexes and its foreign keys; return the SQL to put them back."""
    restore = []
    for name, definition in conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype IN ('f', 'u')",
        [TABLE],
    ).fetchall():
        restore.append(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        conn.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [TABLE, TABLE],
    ).fetchall()
    for name, _definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    # Indexes first (unique constraints build theirs), foreign keys last.
    restore = [d for _n, d in indexes] + sorted(restore, key=lambda s: "FOREIGN KEY" in s)
    return restore


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="civicdesk_scale")
    parser.add_argument(
        "-n", "--dossiers", type=int, default=10_000_000, help="dossiers to add (besides the demo's)"
    )
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--procs", type=int, default=max(1, os.cpu_count() or 1))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--var", default=str(ROOT / "var" / "scale"))
    args = parser.parse_args()
    var_dir = Path(args.var)
    var_dir.mkdir(parents=True, exist_ok=True)
    setup_database(args.db, var_dir, args.redis_url)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    django.setup()
    import psycopg
    from django.db import connection

    from civicdesk.core.models import User
    from civicdesk.core.services import issue_api_token
    from civicdesk.geo.models import Commune
    from civicdesk.handbook.models import Procedure
    from civicdesk.kernel.actors import system
    from civicdesk.servicedesk.models import Dossier
    from civicdesk.servicedesk.services import rebuild_all_stats

    province = Commune.objects.get(code=25000).province
    communes = list(
        Commune.objects.filter(province=province).order_by("code").values_list("code", "id", "province_id")
    )
    procedures = []
    for p in Procedure.objects.exclude(status=Procedure.Status.ARCHIVED).order_by("code"):
        procedures.append((p.pk, p.code, p.name, p.processing_days("truc_tiep")))
    random.Random(3).shuffle(procedures)
    today = (datetime.now(UTC) + timedelta(hours=VN)).date()
    last = today - timedelta(days=1)
    first = (last.replace(day=1) - timedelta(days=31 * (args.months - 1))).replace(day=1)
    log(f"{len(communes)} communes, {len(procedures)} procedures, receipts {first} … {last}")

    stats = {"db": args.db, "requested": args.dossiers, "procs": args.procs}
    before = Dossier.objects.count()
    existing = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.code, d.received_date, count(*) FROM servicedesk_dossier d "
            "JOIN geo_commune c ON c.id = d.commune_id GROUP BY 1, 2"
        )
        for commune_code, day, count in cursor.fetchall():
            existing[(commune_code, day)] = count
    cells, days = plan(args.dossiers, communes, first, last, existing)
    log(f"plan: {len(cells):,} commune-days, {args.dossiers:,} dossiers; {before:,} present")

    with psycopg.connect(PG.format(name=args.db), autocommit=True) as conn:
        t0 = time.monotonic()
        restore = drop_for_copy(conn)
        # Interleave the cells so each process gets every commune and every month.
        shares = [cells[i :: args.procs] for i in range(args.procs)]
        jobs = [
            (args.db, share, communes, procedures, days, today.isoformat(), 1000 + i)
            for i, share in enumerate(shares)
        ]
        with multiprocessing.get_context("fork").Pool(args.procs) as pool:
            written = sum(pool.map(copy_worker, jobs))
        copy_s = time.monotonic() - t0
        log(f"COPY {written:,} rows in {copy_s:.0f} s: {written / copy_s:,.0f} rows/s")
        t1 = time.monotonic()
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        for statement in restore:
            log(statement[:110])
            conn.execute(statement)
        index_s = time.monotonic() - t1
        log(f"indexes and constraints back (every row checked) in {index_s:.0f} s")
    t2 = time.monotonic()
    rebuild_all_stats()
    stats_s = time.monotonic() - t2
    log(f"KPI counters rebuilt in {stats_s:.0f} s")
    t3 = time.monotonic()
    with psycopg.connect(PG.format(name=args.db), autocommit=True) as conn:
        conn.execute(f"VACUUM ANALYZE {TABLE}")
        invalid = conn.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND NOT convalidated", [TABLE]
        ).fetchone()[0]
    analyse_s = time.monotonic() - t3
    total_s = time.monotonic() - t0

    # Load-test accounts: one officer per commune (token auth), one province admin (session, the dashboard).
    accounts = {"officers": [], "admin": {"username": "load.tinh", "password": "load-test-password-21"}}
    actor = system("loadtest seed")
    admin = User.objects.filter(username="load.tinh").first()
    if admin is None:
        admin = User.objects.create_user(
            "load.tinh", role="province_admin", province=province, full_name="Tải tỉnh"
        )
    admin.set_password(accounts["admin"]["password"])
    admin.save()
    for commune_code, commune_id, _p in communes:
        user = User.objects.filter(username=f"load.{commune_code}").first() or User.objects.create_user(
            f"load.{commune_code}",
            role="commune_officer",
            commune_id=commune_id,
            full_name=f"Cán bộ tải {commune_code}",
        )
        _token, raw = issue_api_token(actor, user, name="loadtest")
        accounts["officers"].append({"username": user.username, "commune": commune_code, "token": raw})
    (var_dir / "accounts.json").write_text(json.dumps(accounts, indent=1))
    stats.update(
        dossiers_added=written,
        dossiers_total=Dossier.objects.count(),
        copy_seconds=round(copy_s, 1),
        copy_rows_per_second=round(written / copy_s),
        index_and_constraints_seconds=round(index_s, 1),
        counters_seconds=round(stats_s, 1),
        vacuum_analyze_seconds=round(analyse_s, 1),
        total_seconds=round(total_s, 1),
        overall_rows_per_second=round(written / total_s),
        constraints_not_validated=invalid,
        receipts=[first.isoformat(), last.isoformat()],
        communes=len(communes),
        procedures=len(procedures),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        stats["database_size"] = cursor.fetchone()[0]
    (var_dir / "seed.json").write_text(json.dumps(stats, indent=1))
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
