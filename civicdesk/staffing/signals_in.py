"""What staffing reads from the other domains, in one place, only through their query functions.

`commune_workload(commune, since, until)` returns the workload and error signals of a commune over a period:

    {"dossiers_per_month", "late_rate", "supplement_rate", "hotline_questions", "sla_breaches"}

plus "by_field" ({staffing field code: {...the same keys, where known...}}) and "sources" (which apps answered).
A value is None when no app provides it; callers then keep their manual or CSV figures, so gap scores work with
no service-desk data at all.

Sources (the agreed interfaces, nothing else of those apps):
- `civicdesk.servicedesk.queries.commune_kpis(commune_code, date_from, date_to)` → the commune's KPIs (received,
  on_time_rate, supplement_rate, …) and `by_field` per handbook field code ({received, finished, on_time,
  supplemented, on_time_rate, late_rate, supplement_rate});
- `civicdesk.hotline.queries.commune_ticket_stats(commune, since, until)` → {"questions", "sla_breaches",
  "by_field": {handbook field code: {"questions", "sla_breaches"}}}.
Handbook field codes are folded into the broader staffing fields by `HANDBOOK_TO_STAFFING` (counts are added and
rates recomputed from the counts). A commune with no dossiers (or no tickets) in the period gives no signal rather
than zeros, so a planner's manual figures are not wiped out by an app that simply has no data for that commune yet.
"""

import logging

from .fields import FIELD_CODES

log = logging.getLogger(__name__)

KEYS = ("dossiers_per_month", "late_rate", "supplement_rate", "hotline_questions", "sla_breaches")

# Handbook (and hotline) field codes → staffing fields: a seconded person covers a line of work. Codes not listed
# (noi_vu, cu_tru — the commune police's procedures —, fields a province adds) give no per-field signal; their
# dossiers and questions still count in the commune totals.
HANDBOOK_TO_STAFFING = {
    "ho_tich": "ho_tich",
    "chung_thuc": "ho_tich",
    "nuoi_con_nuoi": "ho_tich",
    "hoa_giai": "ho_tich",  # the commune's justice–civil status officer also runs grassroots mediation
    "dat_dai": "dat_dai",
    "moi_truong": "nong_nghiep",
    "nong_nghiep": "nong_nghiep",
    "ho_kinh_doanh": "dang_ky_kinh_doanh",
    "tai_chinh": "tai_chinh",
    "xay_dung": "xay_dung",
    "bao_tro_xa_hoi": "van_hoa_xa_hoi",
    "nguoi_co_cong": "van_hoa_xa_hoi",
    "giao_duc": "van_hoa_xa_hoi",
    "van_hoa": "van_hoa_xa_hoi",
    "chuyen_doi_so": "cntt",
}
COUNTS = ("received", "finished", "on_time", "supplemented", "questions", "sla_breaches")


def staffing_field(code):
    """The staffing field a handbook field code belongs to, or None."""
    return HANDBOOK_TO_STAFFING.get(code) or (code if code in FIELD_CODES else None)


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


def _fold_fields(by_field):
    """{handbook code: figures} → {staffing field: figures}; several handbook fields are added up."""
    groups = {}
    for code, figures in (by_field or {}).items():
        target = staffing_field(code)
        if target is not None and figures:
            groups.setdefault(target, []).append(figures)
    folded = {}
    for target, parts in groups.items():
        if len(parts) == 1:
            folded[target] = dict(parts[0])
            continue
        merged = {}
        for key in COUNTS:
            values = [p.get(key) for p in parts]
            if all(v is not None for v in values):
                merged[key] = sum(values)
        if "finished" in merged and "on_time" in merged and merged["finished"]:
            merged["late_rate"] = (merged["finished"] - merged["on_time"]) / merged["finished"]
        if "supplemented" in merged and merged.get("received"):
            merged["supplement_rate"] = merged["supplemented"] / merged["received"]
        folded[target] = merged
    return folded


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


def _from_tickets(tickets, months):
    out = {}
    questions = _first(tickets, "questions", "tickets", "total", "received")
    if questions is not None:
        out["hotline_questions"] = float(questions) / months
    breaches = _first(tickets, "sla_breaches", "breached", "overdue")
    if breaches is not None:
        out["sla_breaches"] = float(breaches) / months
    return out


def commune_kpis(commune, since, until):
    """The service desk's KPIs for the commune, or None (no dossier in the period, or the app failed)."""
    from civicdesk.servicedesk import queries

    try:
        data = queries.commune_kpis(commune.code, since, until)
    except Exception:  # another app's failure must not break the gap page; it just gives no signal
        log.exception("servicedesk KPIs failed for %s", commune.code)
        return None
    if not data or not _first(data, "received", "dossiers_received", "total_received"):
        return None
    return data


def hotline_stats(commune, since, until):
    """The hotline's ticket statistics for the commune, or None (no ticket in the period, or the app failed)."""
    from civicdesk.hotline import queries

    try:
        data = queries.commune_ticket_stats(commune, since, until)
    except Exception:  # same as above: no signal rather than a broken page
        log.exception("hotline ticket statistics failed for %s", commune.code)
        return None
    if not data or not (
        _first(data, "questions", "tickets", "total", "received") or data.get("sla_breaches")
    ):
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
        for field, figures in _fold_fields(kpis.get("by_field")).items():
            result["by_field"].setdefault(field, {}).update(_from_kpis(figures, months))
        result["sources"].append("servicedesk")
    tickets = hotline_stats(commune, since, until)
    if tickets:
        result.update(_from_tickets(tickets, months))
        for field, figures in _fold_fields(tickets.get("by_field")).items():
            result["by_field"].setdefault(field, {}).update(_from_tickets(figures, months))
        result["sources"].append("hotline")
    return result


def kpi_snapshot(commune, since, until):
    """Raw KPIs and hotline figures for the before/after view (whatever the apps return, plus the workload)."""
    return {
        "kpis": commune_kpis(commune, since, until) or {},
        "hotline": hotline_stats(commune, since, until) or {},
        "workload": commune_workload(commune, since, until),
    }
