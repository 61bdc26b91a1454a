"""What staffing reads from the other domains, in one place, only through their query functions.

`commune_workload(commune, since, until)` returns the workload and error signals of a commune over a period:

    {"dossiers_per_month", "late_rate", "supplement_rate", "hotline_questions", "sla_breaches"}

plus "by_field" ({staffing field code: {...the same keys, where known...}}) and "sources" (which apps answered).
A value is None when no app provides it; callers then keep their manual or CSV figures, so gap scores work with
no service-desk data at all.

Sources (the agreed interfaces, typed, nothing else of those apps; import-linter holds staffing to the first two,
and staffing reads community's figures here too so that every signal comes in through one module):
- `civicdesk.servicedesk.queries.commune_kpis(commune_code, since, until)` → `CommuneKpis`: the commune's
  dossier counts and rates, and `by_field` per handbook field code (`DossierCounts`);
- `civicdesk.hotline.queries.commune_ticket_stats(commune_code, since, until)` → `CommuneTicketStats`: questions
  and SLA breaches, and `by_field` per handbook field code (`TicketCounts`);
- `civicdesk.community.queries.language_gaps(province_code)` → {commune code: `LanguageGap`}: each commune's
  language-coverage gap (0 covered … 1 nobody speaks the languages of its hamlets), read once per refresh by
  `language_gaps(province)` below; a commune absent from it has no language data (None, not 0).
Handbook field codes are folded into the broader staffing fields by `HANDBOOK_TO_STAFFING` (counts are added and
the rates follow from the added counts). A commune with no dossiers (or no tickets) in the period gives no signal
rather than zeros, so a planner's manual figures are not wiped out by an app that simply has no data for that
commune yet. An error in those apps is an error here too: a wrong figure must not pass for "no data".
"""

from civicdesk.community import queries as community_queries
from civicdesk.hotline import queries as hotline_queries
from civicdesk.servicedesk import queries as servicedesk_queries

from .fields import FIELD_CODES

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


def staffing_field(code):
    """The staffing field a handbook field code belongs to, or None."""
    return HANDBOOK_TO_STAFFING.get(code) or (code if code in FIELD_CODES else None)


def _months(since, until):
    return max((until - since).days + 1, 1) / 30.44


def _add_dossiers(a, b):
    return servicedesk_queries.DossierCounts(
        received=a.received + b.received,
        finished=a.finished + b.finished,
        on_time=a.on_time + b.on_time,
        supplemented=a.supplemented + b.supplemented,
    )


def _add_tickets(a, b):
    return hotline_queries.TicketCounts(
        questions=a.questions + b.questions, sla_breaches=a.sla_breaches + b.sla_breaches
    )


def _fold_fields(by_field, add):
    """{handbook code: counts} → {staffing field: counts}; the counts of several handbook fields are added up."""
    folded = {}
    for code, counts in by_field.items():
        target = staffing_field(code)
        if target is not None:
            folded[target] = add(folded[target], counts) if target in folded else counts
    return folded


def _from_dossiers(counts, months):
    out = {"dossiers_per_month": counts.received / months}
    if counts.late_rate is not None:
        out["late_rate"] = counts.late_rate
    if counts.supplement_rate is not None:
        out["supplement_rate"] = counts.supplement_rate
    return out


def _from_tickets(counts, months):
    return {"hotline_questions": counts.questions / months, "sla_breaches": counts.sla_breaches / months}


def commune_kpis(commune, since, until):
    """The service desk's `CommuneKpis` for the commune, or None when no dossier was received in the period."""
    kpis = servicedesk_queries.commune_kpis(commune.code, since, until)
    return kpis if kpis.received else None


def hotline_stats(commune, since, until):
    """The hotline's `CommuneTicketStats` for the commune, or None when it had no question nor breach."""
    stats = hotline_queries.commune_ticket_stats(commune.code, since, until)
    return stats if stats.questions or stats.sla_breaches else None


def commune_workload(commune, since, until):
    """Workload and error signals of `commune` between `since` and `until` (dates, inclusive)."""
    months = _months(since, until)
    result = dict.fromkeys(KEYS)
    result["by_field"] = {}
    result["sources"] = []
    kpis = commune_kpis(commune, since, until)
    if kpis:
        result.update(_from_dossiers(kpis, months))
        for field, counts in _fold_fields(kpis.by_field, _add_dossiers).items():
            result["by_field"].setdefault(field, {}).update(_from_dossiers(counts, months))
        result["sources"].append("servicedesk")
    tickets = hotline_stats(commune, since, until)
    if tickets:
        result.update(_from_tickets(tickets, months))
        for field, counts in _fold_fields(tickets.by_field, _add_tickets).items():
            result["by_field"].setdefault(field, {}).update(_from_tickets(counts, months))
        result["sources"].append("hotline")
    return result


def language_gaps(province):
    """{commune code: language-coverage gap 0–1} for the communes of `province` that have language data (hamlet
    populations by language or requests for a speaker); a commune missing from it has none, and its capacity
    records get None, which the gap score leaves out."""
    return {code: gap.gap for code, gap in community_queries.language_gaps(province.code).items()}
