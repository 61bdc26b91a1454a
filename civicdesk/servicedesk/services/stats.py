"""Keeping `CommuneMonthStat` in step with the dossiers (called by the other services after each write)."""

from django.db import transaction

from .. import kpi
from ..models import CommuneMonthStat, Dossier


def refresh_stats(commune_ids, first_month, last_month):
    """Recompute the monthly counters of `commune_ids` for the months first_month..last_month (first days)."""
    commune_ids = list(commune_ids)
    if not commune_ids:
        return 0
    with transaction.atomic():
        rows = kpi.recompute_month_rows(commune_ids, first_month, last_month)
        CommuneMonthStat.objects.filter(
            commune_id__in=commune_ids, month__gte=first_month, month__lte=last_month
        ).delete()
        CommuneMonthStat.objects.bulk_create([CommuneMonthStat(**row) for row in rows], batch_size=1000)
    return len(rows)


def refresh_for(dossier):
    month = dossier.received_date.replace(day=1)
    refresh_stats([dossier.commune_id], month, month)


def rebuild_all_stats(progress=None):
    """Rebuild every counter from the dossiers (after a bulk load, or if in doubt)."""
    bounds = Dossier.objects.order_by("received_date").values_list("received_date", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None:
        CommuneMonthStat.objects.all().delete()
        return 0
    communes = list(Dossier.objects.order_by().values_list("commune_id", flat=True).distinct())
    CommuneMonthStat.objects.exclude(commune_id__in=communes).delete()
    done = 0
    for start in range(0, len(communes), 20):
        done += refresh_stats(communes[start : start + 20], first.replace(day=1), last.replace(day=1))
        if progress:
            progress(min(100, (start + 20) * 100 // len(communes)), f"{done} dòng thống kê")
    return done


def bulk_load(dossiers, surveys=(), *, batch_size=2000):
    """System only (demo, benchmarks): insert generated dossiers and their survey responses, then the counters.

    Survey responses may point at dossiers of the same call (their primary keys are set by bulk_create).
    """
    from civicdesk.core import audit

    from ..models import SurveyResponse

    with transaction.atomic():
        Dossier.objects.bulk_create(dossiers, batch_size=batch_size)
        SurveyResponse.objects.bulk_create(list(surveys), batch_size=batch_size)
        if dossiers:
            months = sorted({d.received_date.replace(day=1) for d in dossiers})
            refresh_stats({d.commune_id for d in dossiers}, months[0], months[-1])
            audit.record(
                None,
                audit.Action.IMPORT,
                object_type="servicedesk.dossier",
                object_repr=f"{len(dossiers)} hồ sơ tạo tự động",
            )
    return len(dossiers)
