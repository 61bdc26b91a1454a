from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from civicdesk.core.exports import download_name, xlsx_response
from civicdesk.kernel.roles import COMMUNE_ROLES

from .. import queries
from ..forms import ReportFilterForm
from ..services.reports import export_xlsx


def _period(request):
    form = ReportFilterForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data.get("start"), form.cleaned_data.get("end")
    return form, None, None


@login_required
def report_page(request):
    """Province admins see the province; experts their teams'; communes their own (all through visible_to)."""
    form, start, end = _period(request)
    data = queries.report(request.user, start, end)
    context = {"form": form, "data": data, "is_commune": request.user.role in COMMUNE_ROLES}
    template = "hotline/includes/report_body.html" if request.htmx else "hotline/reports.html"
    return render(request, template, context)


@login_required
def report_export(request):
    _form, start, end = _period(request)
    content = export_xlsx(request.user, start, end)
    return xlsx_response(
        content, download_name("duong-day-nong", f"{timezone.localdate():%d-%m-%Y}", ext="xlsx")
    )
