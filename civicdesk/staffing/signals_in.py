"""What staffing reads from the other domains, in one place, only through their query functions.

`commune_workload(commune, since, until)` returns the workload and error signals of a commune over a period:

    {"dossiers_per_month", "late_rate", "supplement_rate", "hotline_questions", "sla_breaches"}

plus "by_field" ({field code: {...same keys...}} when the service desk breaks its KPIs down by field) and
"sources" (which apps answered). A value is None when no app provides it; callers then keep their manual or CSV
figures, so gap scores work with no service-desk data at all.

Sources (the agreed functions first; while they do not exist, the query functions those apps do expose):
- `civicdesk.servicedesk.queries.commune_kpis(commune_code, date_from, date_to)` → a dict with at least
  received, on_time_rate and supplement_rate (rates as fractions 0–1 or percentages 0–100);
  fallback: `civicdesk.servicedesk.kpi.rates(kpi.total(date_from, date_to, commune_ids=[commune.pk]))`;
- `civicdesk.hotline.queries.commune_ticket_stats(commune, since, until)` → a dict with the number of tickets
  (questions) and of SLA breaches over the period;
  fallback: `civicdesk.hotline.queries.questions_per_commune(province_id, since)` (questions only, no SLA
  breaches), read twice so that the count covers exactly [since, until].
A commune with no dossiers (or no tickets) in the period gives no signal rather than zeros, so a planner's
manual figures are not wiped out by an app that simply has no data for that commune yet.
"""

import datetime as dt
import importlib
import logging

log = logging.getLogger(__name__)

KEYS = ("dossiers_per_month", "late_rate", "supplement_rate", "hotline_questions", "sla_breaches")


def _query(module, name):
    """The query function `name` of another app, or None while that app does not provide it."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _first(data, *names):
    for name in names:
        value = data.get(name)
        if value is not None:
            return value
    return None


def _rate(value):
    if value is None:
        return None
    value = float(value)
    return value / 100.0 if value > 1.0 else value


def _months(since, until):
    return max((until - since).days + 1, 1) / 30.44


def _from_kpis(kpis, months):
    out = {}
    received = _first(kpis, "received", "dossiers_received", "total_received")
    if received is not None:
        out["dossiers_per_month"] = float(received) / months
    late = _rate(_first(kpis, "late_rate"))
    if late is None:
        on_time = _rate(_first(kpis, "on_time_rate"))
        late = None if on_time is None else max(0.0, 1.0 - on_time)
    if late is not None:
        out["late_rate"] = late
    supplement = _rate(_first(kpis, "supplement_rate"))
    if supplement is not None:
        out["supplement_rate"] = supplement
    return out


def _servicedesk_fallback(commune, since, until):
    total, rates = _query("civicdesk.servicedesk.kpi", "total"), _query("civicdesk.servicedesk.kpi", "rates")
    if total is None or rates is None:
        return None
    return rates(total(since, until, commune_ids=[commune.pk]))


def commune_kpis(commune, since, until):
    """The service desk's KPIs for the commune, or None (app not there yet, or no dossier in the period)."""
    fn = _query("civicdesk.servicedesk.queries", "commune_kpis")
    try:
        data = (
            fn(commune.code, since, until) if fn is not None else _servicedesk_fallback(commune, since, until)
        )
    except Exception:  # another app's failure must not break the gap page; it just gives no signal
        log.exception("servicedesk KPIs failed for %s", commune.code)
        return None
    if not data or not _first(data, "received", "dossiers_received", "total_received"):
        return None
    return data


def _aware(day):
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _hotline_fallback(commune, since, until):
    fn = _query("civicdesk.hotline.queries", "questions_per_commune")
    if fn is None or getattr(commune, "province_id", None) is None:
        return None
    after_start = fn(commune.province_id, _aware(since)).get(commune.pk, {}).get("questions", 0)
    after_end = (
        fn(commune.province_id, _aware(until + dt.timedelta(days=1))).get(commune.pk, {}).get("questions", 0)
    )
    return {"questions": after_start - after_end}


def hotline_stats(commune, since, until):
    """The hotline's ticket statistics for the commune, or None (app not there, or no ticket in the period)."""
    fn = _query("civicdesk.hotline.queries", "commune_ticket_stats")
    try:
        data = fn(commune, since, until) if fn is not None else _hotline_fallback(commune, since, until)
    except Exception:  # same as above: no signal rather than a broken page
        log.exception("hotline ticket statistics failed for %s", commune.code)
        return None
    if not data or not _first(data, "questions", "tickets", "total", "received"):
        return None
    return data


def commune_workload(commune, since, until):
    """Workload and error signals of `commune` between `since` and `until` (dates, inclusive)."""
    months = _months(since, until)
    result = dict.fromkeys(KEYS)
    result["by_field"] = {}
    result["sources"] = []
    kpis = commune_kpis(commune, since, until)
    if kpis:
        result.update(_from_kpis(kpis, months))
        for field, sub in (kpis.get("by_field") or {}).items():
            result["by_field"][field] = _from_kpis(sub, months)
        result["sources"].append("servicedesk")
    tickets = hotline_stats(commune, since, until)
    if tickets:
        questions = _first(tickets, "questions", "tickets", "total", "received")
        if questions is not None:
            result["hotline_questions"] = float(questions) / months
        breaches = _first(tickets, "sla_breaches", "breached", "overdue")
        if breaches is not None:
            result["sla_breaches"] = float(breaches) / months
        result["sources"].append("hotline")
    return result


def kpi_snapshot(commune, since, until):
    """Raw KPIs and hotline figures for the before/after view (whatever the apps return, plus the workload)."""
    return {
        "kpis": commune_kpis(commune, since, until) or {},
        "hotline": hotline_stats(commune, since, until) or {},
        "workload": commune_workload(commune, since, until),
    }
