"""The monthly counters an estimate reads: service-desk KPI counters per commune and month, hotline questions.

Reads counters only (`CommuneMonthStat`, one row per commune and month), never dossier rows; the hotline's
questions are counted per commune and month of filing (Asia/Ho_Chi_Minh), merged duplicates left out, as the
hotline's own reports count them.
"""

import calendar
from datetime import date, timedelta

import numpy as np
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from civicdesk.geo.models import Commune
from civicdesk.hotline.models import Ticket
from civicdesk.servicedesk.models import CommuneMonthStat

from .method import Panel


def add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(month):
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_range(first, last):
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def last_whole_month(today=None):
    """The last month that has ended: the current month is partial, whatever the data hold."""
    today = today or timezone.localdate()
    return add_months(today.replace(day=1), -1)


def communes_of(province):
    return list(Commune.objects.filter(province=province).order_by("code"))


def load_panel(province, indicator, months, communes=None):
    """The `Panel` of `indicator` for the province's communes (official code order) over `months` (first days)."""
    communes = communes if communes is not None else communes_of(province)
    row = {c.pk: i for i, c in enumerate(communes)}
    col = {m: j for j, m in enumerate(months)}
    shape = (len(communes), len(months))
    num, den, volume = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    if months:
        counters = {"received", indicator.denominator}
        if indicator.numerator != "questions":
            counters.add(indicator.numerator)
        stats = CommuneMonthStat.objects.filter(
            province=province, month__gte=months[0], month__lte=months[-1]
        )
        for values in stats.values("commune_id", "month", *sorted(counters)).order_by():
            i, j = row.get(values["commune_id"]), col.get(values["month"])
            if i is None or j is None:
                continue
            volume[i, j] = values["received"]
            den[i, j] = values[indicator.denominator]
            if indicator.numerator != "questions":
                num[i, j] = values[indicator.numerator]
        if indicator.numerator == "questions":
            _count_questions(province, months, row, col, num)
    codes = np.array([c.code for c in communes], dtype=int)
    return Panel(codes=codes, num=num, den=den, volume=volume, scale=indicator.scale)


def _count_questions(province, months, row, col, into):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(timezone.datetime.combine(months[0], timezone.datetime.min.time()), tz)
    hi_day = month_end(months[-1]) + timedelta(days=1)
    hi = timezone.make_aware(timezone.datetime.combine(hi_day, timezone.datetime.min.time()), tz)
    tickets = (
        Ticket.objects.filter(
            province=province, merged_into__isnull=True, created_at__gte=lo, created_at__lt=hi
        )
        .exclude(commune__isnull=True)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("commune_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for values in tickets:
        month = values["month"]
        month = month.date() if hasattr(month, "date") else month
        i, j = row.get(values["commune_id"]), col.get(month)
        if i is not None and j is not None:
            into[i, j] = values["n"]
