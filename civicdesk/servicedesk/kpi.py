"""Decision 766 KPIs per commune and per province, for a period of receipt dates (Asia/Ho_Chi_Minh, inclusive).

Formulas (also in docs/servicedesk.md and on the dashboard):
- received: dossiers with received_date in the period;
- finished: of those, dossiers with a result (finished_at set);
- on_time_rate = finished with finished_at ≤ due_at ÷ finished (a finished dossier without a due date counts as
  not shown to be on time);
- online_rate = (truc_tuyen + truc_tuyen_ho_tro) ÷ received;
- assisted_online_share = truc_tuyen_ho_tro ÷ received;
- supplement_rate = dossiers with ≥ 1 supplement request ÷ received;
- satisfaction_rate = ratings ≥ 4 ÷ rated; rated = dossiers with a rating;
- avg_working_days = mean office time from receipt to result, in working days, over finished dossiers.
A rate is None when its denominator is 0.

Whole months are read from `CommuneMonthStat`; the partial months at the edges of a period from the dossiers.
"""

import calendar as pycal
from datetime import date, timedelta

from django.db.models import Count, FloatField, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from .models import ONLINE_CHANNELS, Channel, CommuneMonthStat, Dossier

COUNTERS = (
    "received",
    "finished",
    "on_time",
    "online",
    "assisted",
    "supplemented",
    "rated",
    "satisfied",
    "timed",
)
FIELDS = (*COUNTERS, "working_days_sum")
RATES = ("on_time_rate", "online_rate", "assisted_online_share", "supplement_rate", "satisfaction_rate")


def dossier_aggregates():
    """The counters as aggregate expressions over Dossier rows."""
    return {
        "received": Count("id"),
        "finished": Count("id", filter=Q(finished_at__isnull=False)),
        "on_time": Count("id", filter=Q(is_on_time=True)),
        "online": Count("id", filter=Q(channel__in=ONLINE_CHANNELS)),
        "assisted": Count("id", filter=Q(channel=Channel.TRUC_TUYEN_HO_TRO)),
        "supplemented": Count("id", filter=Q(supplement_count__gte=1)),
        "rated": Count("id", filter=Q(rating__isnull=False)),
        "satisfied": Count("id", filter=Q(rating__gte=4)),
        "timed": Count("id", filter=Q(working_days_taken__isnull=False)),
        "working_days_sum": Coalesce(Sum("working_days_taken"), Value(0.0), output_field=FloatField()),
    }


def _stat_aggregates():
    sums = {f: Coalesce(Sum(f), Value(0)) for f in COUNTERS}
    sums["working_days_sum"] = Coalesce(Sum("working_days_sum"), Value(0.0), output_field=FloatField())
    return sums


def empty():
    return dict.fromkeys(COUNTERS, 0) | {"working_days_sum": 0.0}


def add(into, row):
    for f in FIELDS:
        into[f] += row.get(f) or 0
    return into


def _ratio(num, den):
    return round(num / den, 4) if den else None


def rates(counts):
    """Counters plus the rates and average, as the CLI, the API and the dashboard show them."""
    return {
        "received": counts["received"],
        "finished": counts["finished"],
        "on_time": counts["on_time"],
        "on_time_rate": _ratio(counts["on_time"], counts["finished"]),
        "online_rate": _ratio(counts["online"], counts["received"]),
        "assisted_online_share": _ratio(counts["assisted"], counts["received"]),
        "supplement_rate": _ratio(counts["supplemented"], counts["received"]),
        "satisfaction_rate": _ratio(counts["satisfied"], counts["rated"]),
        "rated": counts["rated"],
        "avg_working_days": round(counts["working_days_sum"] / counts["timed"], 2)
        if counts["timed"]
        else None,
    }


def month_end(month):
    return month.replace(day=pycal.monthrange(month.year, month.month)[1])


def split_period(date_from, date_to):
    """([first days of whole months inside the period], [(from, to) of partial months])."""
    whole, partial = [], []
    month = date_from.replace(day=1)
    while month <= date_to:
        end = month_end(month)
        lo, hi = max(month, date_from), min(end, date_to)
        if lo == month and hi == end:
            whole.append(month)
        else:
            partial.append((lo, hi))
        month = end + timedelta(days=1)
    return whole, partial


def _scope(qs, province_id, commune_ids):
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    if commune_ids is not None:
        qs = qs.filter(commune_id__in=list(commune_ids))
    return qs


def counts_by(key, date_from, date_to, *, province_id=None, commune_ids=None):
    """{key value: counters} with key "commune_id" or "month", for the scope and period."""
    whole, partial = split_period(date_from, date_to)
    result = {}
    if whole:
        stats = _scope(CommuneMonthStat.objects.filter(month__in=whole), province_id, commune_ids)
        for row in stats.values(key).annotate(**_stat_aggregates()).order_by():
            add(result.setdefault(row[key], empty()), row)
    for lo, hi in partial:
        rows = _scope(
            Dossier.objects.filter(received_date__gte=lo, received_date__lte=hi), province_id, commune_ids
        )
        if key == "month":
            rows = rows.annotate(month=Value(lo.replace(day=1)))
        for row in rows.values(key).annotate(**dossier_aggregates()).order_by():
            add(result.setdefault(row[key], empty()), row)
    return result


def total(date_from, date_to, *, province_id=None, commune_ids=None):
    counts = empty()
    for row in counts_by(
        "commune_id", date_from, date_to, province_id=province_id, commune_ids=commune_ids
    ).values():
        add(counts, row)
    return counts


def province_report(province, date_from, date_to):
    """The `civicdesk kpi --json` shape: province, period, total and one entry per commune (all communes)."""
    by_commune = counts_by("commune_id", date_from, date_to, province_id=province.pk)
    communes, grand = [], empty()
    for commune in province.communes.order_by("code"):
        counts = by_commune.get(commune.pk, empty())
        add(grand, counts)
        communes.append({"commune_code": commune.code, "commune_name": commune.name, **rates(counts)})
    return {
        "province": province.code,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "total": rates(grand),
        "communes": communes,
    }


def monthly_series(date_from, date_to, *, province_id=None, commune_ids=None):
    """[(month, rates)] for every month touched by the period, oldest first."""
    by_month = counts_by("month", date_from, date_to, province_id=province_id, commune_ids=commune_ids)
    series, month = [], date_from.replace(day=1)
    while month <= date_to:
        series.append((month, rates(by_month.get(month, empty()))))
        month = month_end(month) + timedelta(days=1)
    return series


def recompute_month_rows(commune_ids, first_month, last_month):
    """Fresh counters per (commune, month) from the dossiers, for the box communes × [first, last] months."""
    rows = (
        Dossier.objects.filter(
            commune_id__in=list(commune_ids),
            received_date__gte=first_month,
            received_date__lte=month_end(last_month),
        )
        .annotate(month=TruncMonth("received_date"))
        .values("commune_id", "province_id", "month")
        .annotate(**dossier_aggregates())
        .order_by()
    )
    return list(rows)


def default_period(today=None):
    """The last six months, the current one included (whole months)."""
    today = today or date.today()
    month = today.replace(day=1)
    for _ in range(5):
        month = (month - timedelta(days=1)).replace(day=1)
    return month, month_end(today.replace(day=1))
