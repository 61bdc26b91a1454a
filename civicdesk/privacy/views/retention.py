"""The province admin's retention page (months per kind of record, the answering deadline, the last passes, what
is due now) and the record of processing activities every official may read."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core.exports import XLSX, attachment, download_name, table_sheet
from civicdesk.geo.models import Province

from ..activities import activities, as_table
from ..forms import RetentionForm, add_service_errors
from ..models import PrivacySettings, RetentionRun
from ..permissions import can_read_register, can_set_retention
from ..services import retention as services


def _province(request):
    """The user's province; a superuser (who has none) names one with ?province=<code>."""
    user = request.user
    if user.province_id:
        return user.province
    if user.is_superuser:
        code = request.GET.get("province") or request.POST.get("province")
        if code and code.isdigit():
            return get_object_or_404(Province, code=int(code))
        province = Province.objects.order_by("code").first()
        if province is not None:
            return province
    raise Http404


def _admin_province(request):
    province = _province(request)
    if not can_set_retention(request.user, province.pk):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh đặt thời hạn lưu dữ liệu cá nhân."))
    return province


@login_required
def retention(request):
    province = _admin_province(request)
    settings_row = PrivacySettings.objects.filter(province=province).first()
    initial = {
        "response_days": settings_row.response_days if settings_row else None,
        "working_days": settings_row.working_days if settings_row else True,
    }
    form = RetentionForm(request.POST or None, policies=services.policies(province), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.set_retention(request.user, province, form.months())
            services.set_response_deadline(
                request.user,
                province,
                days=form.cleaned_data["response_days"],
                working_days=form.cleaned_data["working_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu (%(n)s thời hạn thay đổi).") % {"n": len(changes)})
            return redirect("privacy:retention")
    labels = {p.source.key: str(p.source.label) for p in form.policies}
    context = {
        "province": province,
        "form": form,
        "runs": [
            (run, [(labels.get(key, key), n) for key, n in run.counts.items() if n])
            for run in RetentionRun.objects.filter(province=province)[:5]
        ],
    }
    return render(request, "privacy/retention.html", context, status=422 if form.errors else 200)


@login_required
def retention_due(request):
    """What the next pass would pseudonymise, per kind (loaded after the page: it counts over the province's data)."""
    province = _admin_province(request)
    counts = services.due_counts(province)
    rows = [(p, counts.get(p.source.key, 0)) for p in services.policies(province)]
    return render(request, "privacy/includes/due.html", {"rows": rows, "total": sum(counts.values())})


@login_required
@require_POST
def retention_run(request):
    province = _admin_province(request)
    job = services.start_run(request.user, province)
    return redirect("job_detail", job_id=job.pk)


def _register_province(request):
    if not can_read_register(request.user):
        raise PermissionDenied(_("Chỉ cán bộ, công chức có tài khoản của tỉnh được xem sổ này."))
    return _province(request)


@login_required
def register(request):
    province = _register_province(request)
    context = {
        "province": province,
        "rows": activities(province),
        "can_set": can_set_retention(request.user, province.pk),
    }
    return render(request, "privacy/register.html", context)


@login_required
def register_xlsx(request):
    from openpyxl import Workbook

    province = _register_province(request)
    header, rows = as_table(activities(province))
    book = Workbook()
    book.remove(book.active)
    table_sheet(book, _("Hoạt động xử lý"), header, rows, max_width=50)
    buffer = BytesIO()
    book.save(buffer)
    name = download_name("so-ghi-nhan-xu-ly-du-lieu-ca-nhan", province.name, ext="xlsx")
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), name)
