"""Coverage (which communes lack speakers of which language) and the monthly report with its Excel export."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit, exports
from civicdesk.kernel.languages import REGIONAL, VIETNAMESE

from .. import coverage as coverage_rules
from .. import reports
from .requests import chosen_commune, communes_for


def _scope(request):
    """The communes a page covers: the chosen one, or every visible one (a commune user: their own)."""
    if not request.user.is_authenticated or not (request.user.commune_id or request.user.province_id):
        raise PermissionDenied(_("Trang này dành cho cán bộ xã và cấp tỉnh."))
    commune = chosen_commune(request)
    if commune is not None:
        return commune, communes_for(request.user).filter(pk=commune.pk)
    return None, communes_for(request.user)


@login_required
def coverage(request):
    commune, communes = _scope(request)
    language = request.GET.get("language", "")
    rows = coverage_rules.coverage(communes.select_related("province"))
    recorded = [row for row in rows if row.languages]
    if language:
        recorded = [row for row in recorded if any(lang.code == language for lang in row.languages)]
    order = request.GET.get("order", "gap")
    if order == "name":
        recorded.sort(key=lambda row: row.commune.name)
    else:
        recorded.sort(key=lambda row: (-row.gap, -row.population, row.commune.name))
    context = {
        "commune": commune,
        "communes": communes_for(request.user) if not request.user.commune_id else [],
        "rows": recorded,
        "without_data": len(rows) - len([row for row in rows if row.languages]),
        "language": language,
        "languages": [(code, str(name)) for code, name in REGIONAL if code != VIETNAMESE],
        "order": order,
        "people_per_speaker": coverage_rules.people_per_speaker(),
        "lacking_communes": sum(1 for row in recorded if row.lacking),
    }
    return render(request, "community/coverage.html", context)


def _month(request):
    text = request.GET.get("month") or ""
    try:
        year, month = (int(x) for x in text.split("-"))
        date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return year, month


@login_required
def report(request):
    commune, communes = _scope(request)
    year, month = _month(request)
    rows = reports.monthly(communes, year, month)
    if request.GET.get("format") == "xlsx":
        content = reports.workbook(rows, year, month)
        audit.record(
            request.user,
            audit.Action.EXPORT,
            object_type="community.accompaniment",
            object_repr=_("Báo cáo hỗ trợ tiếng dân tộc %(m)02d/%(y)s") % {"m": month, "y": year},
        )
        name = exports.download_name(
            "bao-cao-tieng-dan-toc", commune.name if commune else "", f"{year}-{month:02d}", ext="xlsx"
        )
        return exports.xlsx_response(content, name)
    first = date(year, month, 1)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    context = {
        "commune": commune,
        "communes": communes_for(request.user) if not request.user.commune_id else [],
        "rows": rows,
        "month": first,
        "previous": previous,
        "next": following if following <= timezone.localdate() else None,
        "totals": {
            key: sum(getattr(row, key) for row in rows)
            for key in (
                "requests",
                "met",
                "visits",
                "filed",
                "linked",
                "open",
                "dossiers",
                "dossiers_interpreted",
                "tickets",
            )
        },
        "partial": first.year == timezone.localdate().year and first.month == timezone.localdate().month,
    }
    return render(request, "community/report.html", context)
