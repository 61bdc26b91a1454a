"""Keeping the KPI counters in step with the dossiers (called by the other services after each write).

A write recomputes the affected commune-day rows from the dossiers (a handful of rows on the (commune,
received_date) index), then the affected commune-month rows from the day rows. Recomputing instead of adding
deltas means a counter can never drift from the dossiers, whatever the write did.
"""

from django.db import connection, transaction

from civicdesk.core import audit
from civicdesk.kernel.actors import system

from .. import kpi
from ..models import CommuneDayFieldStat, CommuneDayStat, CommuneMonthStat, Dossier, SurveyResponse

# Namespace of the PostgreSQL advisory locks taken per commune while its counters are recomputed.
LOCK_NAMESPACE = 766


def _lock_communes(commune_ids):
    """Serialise counter refreshes per commune until the transaction ends.

    Without it two registrations in the same commune could each count the dossiers without seeing the other's
    (uncommitted) one, and the last to write would leave a counter one short. Locks are taken in id order so
    two refreshes cannot deadlock. SQLite needs nothing: a write transaction there already excludes the others.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for commune_id in sorted(commune_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, commune_id])


def refresh_stats(commune_ids, first_day, last_day):
    """Recompute the counters of `commune_ids` for the receipt days first_day..last_day (inclusive).

    Day rows (and per-field day rows) of the box are rebuilt from the dossiers; month rows of every month the box
    touches are rebuilt from the day rows. Returns the number of day rows written.
    """
    commune_ids = sorted(set(commune_ids))
    if not commune_ids:
        return 0
    first_month, last_month = first_day.replace(day=1), last_day.replace(day=1)
    with transaction.atomic():
        _lock_communes(commune_ids)
        days = kpi.recompute_day_rows(commune_ids, first_day, last_day)
        CommuneDayStat.objects.filter(
            commune_id__in=commune_ids, day__gte=first_day, day__lte=last_day
        ).delete()
        CommuneDayStat.objects.bulk_create([CommuneDayStat(**row) for row in days], batch_size=2000)
        per_field = kpi.recompute_day_field_rows(commune_ids, first_day, last_day)
        CommuneDayFieldStat.objects.filter(
            commune_id__in=commune_ids, day__gte=first_day, day__lte=last_day
        ).delete()
        CommuneDayFieldStat.objects.bulk_create(
            [CommuneDayFieldStat(**row) for row in per_field], batch_size=2000
        )
        months = kpi.recompute_month_rows(commune_ids, first_month, last_month)
        CommuneMonthStat.objects.filter(
            commune_id__in=commune_ids, month__gte=first_month, month__lte=last_month
        ).delete()
        CommuneMonthStat.objects.bulk_create([CommuneMonthStat(**row) for row in months], batch_size=1000)
    return len(days)


def refresh_for(dossier):
    """After one dossier changed: its commune's counters for its day of receipt (and that month)."""
    refresh_stats([dossier.commune_id], dossier.received_date, dossier.received_date)


def rebuild_all_stats(progress=None):
    """Rebuild every counter from the dossiers (after a bulk load, or if in doubt)."""
    bounds = Dossier.objects.order_by("received_date").values_list("received_date", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None:
        for model in (CommuneDayStat, CommuneDayFieldStat, CommuneMonthStat):
            model.objects.all().delete()
        return 0
    communes = list(Dossier.objects.order_by().values_list("commune_id", flat=True).distinct())
    # Whole months, so that no month row is left built from a partial set of days.
    first, last = first.replace(day=1), kpi.month_end(last)
    for model in (CommuneDayStat, CommuneDayFieldStat):
        model.objects.exclude(commune_id__in=communes).delete()
        model.objects.exclude(day__gte=first, day__lte=last).delete()
    CommuneMonthStat.objects.exclude(commune_id__in=communes).delete()
    CommuneMonthStat.objects.exclude(month__gte=first, month__lte=last).delete()
    done = 0
    for start in range(0, len(communes), 20):
        done += refresh_stats(communes[start : start + 20], first, last)
        if progress:
            progress(min(100, (start + 20) * 100 // len(communes)), f"{done} dòng thống kê theo ngày")
    return done


def bulk_load(dossiers, surveys=(), *, batch_size=2000):
    """System only (demo, benchmarks): insert generated dossiers and their survey responses, then the counters.

    Survey responses may point at dossiers of the same call (their primary keys are set by bulk_create).
    """
    with transaction.atomic():
        Dossier.objects.bulk_create(dossiers, batch_size=batch_size)
        SurveyResponse.objects.bulk_create(list(surveys), batch_size=batch_size)
        if dossiers:
            days = sorted({d.received_date for d in dossiers})
            refresh_stats({d.commune_id for d in dossiers}, days[0], days[-1])
            audit.record(
                system("servicedesk bulk_load"),
                audit.Action.IMPORT,
                object_type="servicedesk.dossier",
                object_repr=f"{len(dossiers)} hồ sơ tạo tự động",
            )
    return len(dossiers)
