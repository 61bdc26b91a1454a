"""The Decision 766 dashboard: province ranking of communes, monthly trends, drill-down, Excel and PDF export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.core import audit
from civicdesk.core.exports import attachment, download_name
from civicdesk.geo.models import Commune, Province

from .. import charts, exports, kpi
from ..forms import PeriodForm

SORTS = {
    "received": ("received", True),
    "on_time_rate": ("on_time_rate", True),
    "online_rate": ("online_rate", True),
    "assisted_online_share": ("assisted_online_share", True),
    "supplement_rate": ("supplement_rate", False),
    "satisfaction_rate": ("satisfaction_rate", True),
    "avg_working_days": ("avg_working_days", False),
}
LABELS = {
    "on_time_rate": gettext_lazy("Đúng hạn"),
    "online_rate": gettext_lazy("Trực tuyến"),
    "assisted_online_share": gettext_lazy("Trực tuyến có hỗ trợ"),
    "supplement_rate": gettext_lazy("Phải bổ sung"),
    "satisfaction_rate": gettext_lazy("Hài lòng"),
}


def _period(request):
    default_from, default_to = kpi.default_period(timezone.localdate())
    form = PeriodForm(request.GET or None, initial={"date_from": default_from, "date_to": default_to})
    if request.GET.get("date_from") and form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if not request.GET.get("date_from"):
        form = PeriodForm(initial={"date_from": default_from, "date_to": default_to})
    return form, default_from, default_to


def _province_for(request):
    user = request.user
    if user.province_id:
        return user.province
    if user.is_superuser:
        code = request.GET.get("province", "")
        return get_object_or_404(Province, code=int(code)) if code.isdigit() else Province.objects.first()
    raise PermissionDenied


def _charts(series):
    rate_keys = ["on_time_rate", "online_rate", "satisfaction_rate", "supplement_rate"]
    return {
        "volume": charts.volume_bars(
            series, _("Hồ sơ tiếp nhận theo tháng"), _("Trực tuyến (kể cả có hỗ trợ)"), _("Kênh khác")
        ),
        "rates": charts.rate_lines(series, rate_keys, LABELS, _("Các tỷ lệ theo tháng")),
    }


def _sorted(rows, sort):
    key, descending = SORTS.get(sort, SORTS["on_time_rate"])
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    present.sort(key=lambda r: r[key], reverse=descending)
    return present + missing


@login_required
def dashboard(request):
    user = request.user
    if user.is_commune_user:
        return redirect("servicedesk:commune_kpi", code=user.commune.code)
    province = _province_for(request)
    form, date_from, date_to = _period(request)
    report = kpi.province_report(province, date_from, date_to)
    series = kpi.monthly_series(date_from, date_to, province_id=province.pk)
    sort = request.GET.get("sort", "on_time_rate")
    context = {
        "province": province,
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "report": report,
        "rows": _sorted(report["communes"], sort),
        "sort": sort,
        "series": series,
        "charts": _charts(series),
        "formulas": exports.formulas(),
        "period_query": f"date_from={date_from.isoformat()}&date_to={date_to.isoformat()}",
    }
    context["list_base"] = reverse("servicedesk:dossiers") + "?" + context["period_query"]
    template = "servicedesk/includes/ranking.html" if request.htmx else "servicedesk/dashboard.html"
    return render(request, template, context)


def _commune_report(commune, date_from, date_to):
    counts = kpi.total(date_from, date_to, commune_ids=[commune.pk])
    row = {"commune_code": commune.code, "commune_name": commune.name, **kpi.rates(counts)}
    return {
        "province": commune.province.code,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "total": kpi.rates(counts),
        "communes": [row],
    }


@login_required
def commune_kpi(request, code):
    commune = get_object_or_404(
        Commune.objects.visible_to(request.user).select_related("province"), code=code
    )
    form, date_from, date_to = _period(request)
    report = _commune_report(commune, date_from, date_to)
    series = kpi.monthly_series(date_from, date_to, commune_ids=[commune.pk])
    context = {
        "commune": commune,
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "total": report["total"],
        "series": series,
        "charts": _charts(series),
        "formulas": exports.formulas(),
        "period_query": f"date_from={date_from.isoformat()}&date_to={date_to.isoformat()}",
        "is_own": request.user.commune_id == commune.pk,
    }
    context["list_base"] = (
        f"{reverse('servicedesk:dossiers')}?{context['period_query']}&commune={commune.code}"
    )
    return render(request, "servicedesk/commune_kpi.html", context)


@login_required
def export(request, fmt):
    """The dashboard's report as .xlsx or .pdf: the province for province roles, the commune for commune roles."""
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    user = request.user
    _form, date_from, date_to = _period(request)
    if user.is_commune_user:
        commune = get_object_or_404(
            Commune.objects.visible_to(user).select_related("province"), pk=user.commune_id
        )
        report = _commune_report(commune, date_from, date_to)
        series = kpi.monthly_series(date_from, date_to, commune_ids=[commune.pk])
        unit, issuer, place = commune.name, _("UBND %(n)s") % {"n": commune.name}, commune.name
    else:
        province = _province_for(request)
        report = kpi.province_report(province, date_from, date_to)
        series = kpi.monthly_series(date_from, date_to, province_id=province.pk)
        unit = _("Tỉnh %(n)s") % {"n": province.name}
        issuer, place = _("UBND tỉnh %(n)s") % {"n": province.name}, province.name
    title = _("Kết quả tiếp nhận, giải quyết thủ tục hành chính tại Trung tâm phục vụ hành chính công cấp xã")
    subtitle = _("Kỳ báo cáo: từ ngày %(a)s đến ngày %(b)s (theo ngày tiếp nhận)") % {
        "a": date_from.strftime("%d/%m/%Y"),
        "b": date_to.strftime("%d/%m/%Y"),
    }
    name = download_name("kpi", unit, f"{date_from:%d-%m-%Y}", f"{date_to:%d-%m-%Y}", ext=fmt)
    audit.record(
        user,
        audit.Action.EXPORT,
        object_type="servicedesk.kpi",
        object_repr=f"{unit} {date_from}..{date_to} ({fmt})",
    )
    if fmt == "xlsx":
        body = exports.workbook(title, unit, report, series)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.pdf(
            issuer=escape(issuer),
            place=escape(place),
            title=escape(title),
            subtitle=escape(subtitle),
            report=_escaped(report),
            unit_label=escape(unit),
            today=timezone.localdate(),
        )
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    return attachment(response, name)


def _escaped(report):
    """reportlab paragraphs read a little XML: escape the unit names."""
    return {
        **report,
        "communes": [{**row, "commune_name": escape(row["commune_name"])} for row in report["communes"]],
    }
