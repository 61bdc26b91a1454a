"""The staff pool and the departments' release quotas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core.models import Department

from .. import services
from ..fields import Field
from ..forms import QuotaForm, StaffMemberForm
from ..models import DepartmentQuota, StaffMember
from .capacity import _import
from .common import page, planner_province


def _pool_context(request, province, quota_form=None):
    members = (
        StaffMember.objects.visible_to(request.user)
        .filter(province=province)
        .select_related("department", "person")
        .prefetch_related("person__languages")
    )
    department = request.GET.get("department", "")
    if department:
        members = members.filter(department__code=department)
    field = request.GET.get("field", "")
    if field in Field.values:
        # JSON text match: `contains` on a JSON list is not available on SQLite.
        members = members.filter(fields__icontains=f'"{field}"')
    query = request.GET.get("q", "").strip()
    if query:
        members = members.filter(Q(full_name__icontains=query) | Q(code__iexact=query))
    departments = Department.objects.filter(province=province).annotate(
        pool=Count("staff_pool", filter=Q(staff_pool__is_active=True))
    )
    quotas = {q.department_id: q.max_release for q in DepartmentQuota.objects.visible_to(request.user)}
    return {
        "page": Paginator(members, 50).get_page(request.GET.get("page")),
        "departments": [(d, quotas.get(d.pk)) for d in departments],
        "department": department,
        "fields": Field.choices,
        "field": field,
        "query": query,
        "quota_form": quota_form or QuotaForm(province=province),
        "quota_total": sum(quotas.values()),
        "has_quotas": bool(quotas),
    }


@login_required
def pool(request):
    province = planner_province(request)
    return page(
        request, "staffing/pool.html", "staffing/includes/pool_rows.html", _pool_context(request, province)
    )


# The service names the model's fields; the form edits two of them under other names.
FORM_FIELDS = {"fields": "fields_", "languages": "languages_"}


def _add_service_error(form, exc):
    """The service's refusal on the form: beside the field it names when the form has that field, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        name = FORM_FIELDS.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


@login_required
def staff_edit(request, pk=None):
    province = planner_province(request)
    member = get_object_or_404(StaffMember.objects.visible_to(request.user), pk=pk) if pk else None
    form = StaffMemberForm(request.POST or None, instance=member, province=province)
    if request.method == "POST" and form.is_valid():
        code = member.code if member else form.cleaned_data["code"]
        if member is None and StaffMember.objects.filter(province=province, code=code).exists():
            form.add_error("code", _("Mã cán bộ này đã có."))
        else:
            try:
                saved = services.save_staff_member(request.user, province, code, form.service_data())
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("Đã lưu %(name)s.") % {"name": saved.full_name})
                return redirect("staffing:pool")
    status = 400 if request.method == "POST" else 200
    return render(request, "staffing/staff_form.html", {"form": form, "member": member}, status=status)


@login_required
def staff_import(request):
    return _import(
        request,
        title=_("Nhập nguồn cán bộ biệt phái (CSV)"),
        columns=(*services.pool.STAFF_REQUIRED, *services.pool.STAFF_OPTIONAL),
        service=services.import_staff,
        success_url="staffing:pool",
        example="staff_id,full_name,department,fields,home_lat,home_lon,languages\nTP-001,Nguyễn Văn A,tu-phap,ho_tich;mot_cua,11.94,108.44,Tiếng Việt;K'Ho",
    )


@login_required
@require_POST
def quota_save(request):
    province = planner_province(request)
    form = QuotaForm(request.POST, province=province)
    if form.is_valid():
        services.set_quota(request.user, form.cleaned_data["department"], form.cleaned_data["max_release"])
        messages.success(request, _("Đã lưu hạn mức."))
        return redirect("staffing:pool")
    return render(request, "staffing/pool.html", _pool_context(request, province, form), status=400)


@login_required
def quotas_import(request):
    return _import(
        request,
        title=_("Nhập hạn mức cử của sở, ngành (CSV)"),
        columns=("department", "max_release"),
        service=services.import_quotas,
        success_url="staffing:pool",
        example="department,max_release\ntu-phap,30",
    )
