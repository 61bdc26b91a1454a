"""Hotline benchmark: filing through the service (routing, due times, assignment), the SLA check and the report over N
tickets. Prints one JSON object.

    .venv/bin/python bench/hotline.py            # SQLite, 5,000 tickets
    .venv/bin/python bench/hotline.py -n 20000

Uses its own database (var/bench_hotline.sqlite3, recreated each run) and the locmem mail backend.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench_hotline.sqlite3"


def configure():
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DEBUG", "0")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["HUEY_IMMEDIATE"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    import django

    django.setup()


def world():
    from django.core.management import call_command

    from civicdesk.core import services as core_services
    from civicdesk.core.models import Department
    from civicdesk.geo.models import Commune, Province
    from civicdesk.geo.services import load_units
    from civicdesk.handbook.fields import ensure_fields
    from civicdesk.hotline import services
    from civicdesk.kernel.actors import system

    call_command("migrate", verbosity=0)
    load_units(provinces=[68])
    province = Province.objects.get(code=68)
    fields = ensure_fields()
    dept = Department.objects.create(province=province, code="tu-phap", name="Sở Tư pháp")
    experts = [
        core_services.create_user(
            system("bench"),
            username=f"cv{i}",
            full_name=f"Chuyên viên {i}",
            role="department_expert",
            department=dept,
        )
        for i in range(5)
    ]
    communes = list(Commune.objects.filter(province=province)[:40])
    officers = [
        core_services.create_user(
            system("bench"), username=f"cb{i}", full_name=f"Cán bộ {i}", role="commune_officer", commune=c
        )
        for i, c in enumerate(communes)
    ]
    services.ensure_teams(system("bench"), province)
    admin = core_services.create_user(
        system("bench"), username="tinh", full_name="Quản trị", role="province_admin", province=province
    )
    return fields, experts, officers, admin


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5000, help="tickets for the SLA check and the report")
    parser.add_argument("--filed", type=int, default=300, help="tickets filed one by one through the service")
    args = parser.parse_args()
    configure()
    from django.utils import timezone

    from civicdesk.hotline import queries, services
    from civicdesk.hotline.models import Ticket
    from civicdesk.hotline.services.sla import compute_dues

    fields, experts, officers, admin = world()
    rng = random.Random(7)
    now = timezone.now()

    timings = []
    for i in range(args.filed):
        started = time.perf_counter()
        services.create_ticket(
            rng.choice(officers), title=f"Câu hỏi hộ tịch số {i}", body="Nội dung", field=fields["ho_tich"],
            now=now - timedelta(hours=rng.randint(1, 400)),
        )  # fmt: skip
        timings.append((time.perf_counter() - started) * 1000)

    # The rest in bulk (same shape as filed ones), spread over the last 60 days.
    team = Ticket.objects.first().team
    bulk = []
    for i in range(args.n - args.filed):
        created = now - timedelta(hours=rng.randint(1, 1440))
        first_due, resolution_due = compute_dues(team.province_id, "normal", created)
        officer = rng.choice(officers)
        bulk.append(Ticket(
            province_id=team.province_id, commune_id=officer.commune_id, requester=officer, created_by=officer,
            title=f"Câu hỏi số {i}", body="Nội dung", field=fields["ho_tich"], team=team,
            assignee=rng.choice(experts), status=rng.choice(["assigned", "answered", "resolved"]), created_at=created,
            first_response_due=first_due, resolution_due=resolution_due,
        ))  # fmt: skip
    Ticket.objects.bulk_create(bulk, batch_size=1000)
    Ticket.objects.filter(status="answered").update(first_responded_at=now - timedelta(hours=1))
    Ticket.objects.filter(status="resolved").update(
        resolved_at=now - timedelta(hours=2), first_responded_at=now - timedelta(hours=3)
    )

    started = time.perf_counter()
    first = services.check_sla(now)
    check_first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = services.check_sla(now)
    check_again_s = time.perf_counter() - started

    started = time.perf_counter()
    report = queries.report(admin, now=now)
    report_s = time.perf_counter() - started
    from civicdesk.hotline.services.reports import export_xlsx

    started = time.perf_counter()
    size = len(export_xlsx(admin))
    export_s = time.perf_counter() - started

    print(json.dumps({
        "tickets": Ticket.objects.count(),
        "file_ticket_ms": {"p50": round(statistics.median(timings), 1), "p95": round(sorted(timings)[int(len(timings) * 0.95)], 1)},
        "check_sla_first_run_s": round(check_first_s, 2), "check_sla_first_run": first,
        "check_sla_idle_run_s": round(check_again_s, 2), "check_sla_idle_run": second,
        "report_s": round(report_s, 2), "report_tickets": report["summary"]["count"],
        "excel_export_s": round(export_s, 2), "excel_bytes": size,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
