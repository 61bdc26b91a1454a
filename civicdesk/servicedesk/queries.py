"""Reads of the service desk for other apps (staffing reads the service desk only through these).

No personal data and no user scoping here: the callers are other domains' services, which apply their own access
rules to the pages that show the figures.
"""

from civicdesk.geo.models import Commune

from . import kpi


def _ratio(num, den):
    return round(num / den, 4) if den else None


def _field_breakdown(commune_id, date_from, date_to):
    """{handbook field code: {received, finished, on_time, supplemented, on_time_rate, late_rate,
    supplement_rate}} from the per-field daily counters of one commune."""
    by_field = {}
    for code, counts in kpi.field_counts(commune_id, date_from, date_to).items():
        finished, on_time = counts["finished"], counts["on_time"]
        by_field[code] = {
            **counts,
            "on_time_rate": _ratio(on_time, finished),
            "late_rate": _ratio(finished - on_time, finished),
            "supplement_rate": _ratio(counts["supplemented"], counts["received"]),
        }
    return by_field


def commune_kpis(commune_code, date_from, date_to):
    """The Decision 766 KPIs of one commune for receipt dates date_from..date_to (inclusive, local dates).

    Returns the dict the dashboard shows for a commune (`kpi.rates`: received, finished, on_time, on_time_rate,
    online_rate, assisted_online_share, supplement_rate, satisfaction_rate, rated, avg_working_days — also
    under the agreed name `avg_processing_days`), plus `by_field`: per handbook
    field code of the dossiers' procedures, {received, finished, on_time, supplemented, on_time_rate,
    late_rate, supplement_rate} (late_rate = 1 − on_time_rate: a finished dossier without a due date is not
    on time). Everything comes from the counters (`CommuneDayStat`/`CommuneMonthStat`, `CommuneDayFieldStat`).
    Dossiers whose procedure is not in the handbook count in the totals only. Rates are fractions
    (0–1) rounded to 4 decimals, None when the denominator is 0. Raises Commune.DoesNotExist for an unknown code.
    """
    commune = Commune.objects.only("pk").get(code=commune_code)
    result = kpi.rates(kpi.total(date_from, date_to, commune_ids=[commune.pk]))
    result["avg_processing_days"] = result["avg_working_days"]
    result["by_field"] = _field_breakdown(commune.pk, date_from, date_to) if result["received"] else {}
    return result
