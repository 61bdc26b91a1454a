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

Counters only, never the dossier rows: whole months from `CommuneMonthStat`, the days at the edges of a period
that do not make a whole month from `CommuneDayStat`. Any period thus sums at most ~124 × (months + 60) rows per
province, whatever the number of dossiers; both tables are kept in step by `services.stats`.
"""

import calendar as pycal
from datetime import date, timedelta

from django.db.models import Count, DateField, FloatField, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from .models import ONLINE_CHANNELS, Channel, CommuneDayFieldStat, CommuneDayStat, CommuneMonthStat, Dossier

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
    "digitised",
    "result_electronic",
)
FIELDS = (*COUNTERS, "working_days_sum")


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
        "digitised": Count("id", filter=Q(documents_digitised=True)),
        "result_electronic": Count("id", filter=Q(finished_at__isnull=False, result_electronic=True)),
        "working_days_sum": Coalesce(Sum("working_days_taken"), Value(0.0), output_field=FloatField()),
    }


def stat_aggregates():
    """The counters as sums over counter rows (day or month)."""
    sums = {f: Coalesce(Sum(f), Value(0)) for f in COUNTERS}
    sums["working_days_sum"] = Coalesce(Sum("working_days_sum"), Value(0.0), output_field=FloatField())
    return sums


def empty():
    return dict.fromkeys(COUNTERS, 0) | {"working_days_sum": 0.0}


def add(into, row):
    for f in FIELDS:
        into[f] += row.get(f) or 0
    return into


def ratio(num, den):
    """num ÷ den rounded to 4 decimals, None when den is 0."""
    return round(num / den, 4) if den else None


def rates(counts):
    """Counters plus the rates and average, as the CLI, the API and the dashboard show them."""
    return {
        "received": counts["received"],
        "finished": counts["finished"],
        "on_time": counts["on_time"],
        "on_time_rate": ratio(counts["on_time"], counts["finished"]),
        "online_rate": ratio(counts["online"], counts["received"]),
        "assisted_online_share": ratio(counts["assisted"], counts["received"]),
        "supplement_rate": ratio(counts["supplemented"], counts["received"]),
        "satisfaction_rate": ratio(counts["satisfied"], counts["rated"]),
        "rated": counts["rated"],
        # The sum is rounded first: float sums in another order (days, months, rows) differ in the last bits,
        # which must not flip the second decimal of the mean.
        "avg_working_days": round(round(counts["working_days_sum"], 6) / counts["timed"], 2)
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
    """{key value: counters} with key "commune_id" or "month", for the scope and period (from counters only)."""
    whole, partial = split_period(date_from, date_to)
    result = {}
    if whole:
        stats = _scope(CommuneMonthStat.objects.filter(month__in=whole), province_id, commune_ids)
        for row in stats.values(key).annotate(**stat_aggregates()).order_by():
            add(result.setdefault(row[key], empty()), row)
    for lo, hi in partial:
        days = _scope(CommuneDayStat.objects.filter(day__gte=lo, day__lte=hi), province_id, commune_ids)
        if key == "month":
            days = days.annotate(month=Value(lo.replace(day=1), output_field=DateField()))
        for row in days.values(key).annotate(**stat_aggregates()).order_by():
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


def recompute_day_rows(commune_ids, first_day, last_day):
    """Fresh counters per (commune, day) from the dossiers, for the box communes × [first_day, last_day]."""
    rows = (
        Dossier.objects.filter(
            commune_id__in=list(commune_ids), received_date__gte=first_day, received_date__lte=last_day
        )
        .values("commune_id", "province_id", "received_date")
        .annotate(**dossier_aggregates())
        .order_by()
    )
    days = []
    for row in rows:
        row["day"] = row.pop("received_date")
        days.append(row)
    return days


FIELD_COUNTERS = ("received", "finished", "on_time", "supplemented", "digitised", "result_electronic")


def recompute_day_field_rows(commune_ids, first_day, last_day):
    """Fresh per-field counters per (commune, day, handbook field) from the dossiers of known procedures."""
    aggregates = dossier_aggregates()
    rows = (
        Dossier.objects.filter(
            commune_id__in=list(commune_ids),
            received_date__gte=first_day,
            received_date__lte=last_day,
            procedure__isnull=False,
        )
        .values("commune_id", "received_date", "procedure__field_id")
        .annotate(**{name: aggregates[name] for name in FIELD_COUNTERS})
        .order_by()
    )
    result = []
    for row in rows:
        row["day"], row["field_id"] = row.pop("received_date"), row.pop("procedure__field_id")
        result.append(row)
    return result


def field_counts(commune_id, date_from, date_to):
    """{handbook field code: {received, finished, on_time, supplemented}} of one commune, from the counters."""
    rows = (
        CommuneDayFieldStat.objects.filter(commune_id=commune_id, day__gte=date_from, day__lte=date_to)
        .values("field__code")
        .annotate(**{name: Sum(name) for name in FIELD_COUNTERS})
        .order_by()
    )
    return {row.pop("field__code"): row for row in rows}


def recompute_month_rows(commune_ids, first_month, last_month):
    """Fresh counters per (commune, month) from the day counters, for the box communes × [first, last] months."""
    rows = (
        CommuneDayStat.objects.filter(
            commune_id__in=list(commune_ids), day__gte=first_month, day__lte=month_end(last_month)
        )
        .annotate(month=TruncMonth("day"))
        .values("commune_id", "province_id", "month")
        .annotate(**stat_aggregates())
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
