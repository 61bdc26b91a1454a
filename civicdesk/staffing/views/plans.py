"""Plans (scenarios): create, lock, run as a background job, explain, compare, approve, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core.models import Department
from civicdesk.geo.models import Commune

from .. import services
from ..documents import decision_docx
from ..forms import ApproveForm, CopyPlanForm, LockForm, PlanForm
from ..models import Need, Plan, PlanAssignment, PlanLock, StaffMember
from ..queries import comparison, explain_assignment
from ..readiness import plan_problems
from .common import csv_response, planner_province, validation_messages


@login_required
def plan_list(request):
    province = planner_province(request)
    form = PlanForm(
        request.POST or None,
        initial={
            "name": _("Phương án %(n)s người") % {"n": 260},
            "total": 260,
            "distance_weight": 0.01,
            "max_per_commune": 4,
            "time_limit": 60,
            "period_start": timezone.localdate(),
            "period_months": 3,
        },
    )
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(request.user, province, **form.cleaned_data)
        messages.success(request, _("Đã tạo phương án. Thêm khóa nếu cần rồi bấm “Giải phương án”."))
        return redirect(plan)
    plans = Plan.objects.visible_to(request.user).annotate(n=Count("assignments"))
    context = {
        "plans": plans,
        "form": form,
        "needs": Need.objects.visible_to(request.user).count(),
        "pool": StaffMember.objects.visible_to(request.user).filter(is_active=True).count(),
    }
    return render(
        request, "staffing/plan_list.html", context, status=400 if request.method == "POST" else 200
    )


def _plan(request, pk):
    planner_province(request)
    return get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)


def _plan_context(request, plan, **forms):
    assignments = plan.assignments.select_related("staff", "staff__department", "commune")
    dept_names = {d.code: d.short_name or d.name for d in Department.objects.filter(province=plan.province)}
    per_department = [
        (dept_names.get(code, code), n) for code, n in (plan.summary.get("per_department") or {}).items()
    ]
    return {
        "plan": plan,
        "problems": plan_problems(plan) if plan.is_editable else [],
        "assignments": assignments,
        "locks": plan.locks.select_related("staff", "commune"),
        "lock_form": forms.get("lock_form") or LockForm(),
        "copy_form": forms.get("copy_form")
        or CopyPlanForm(initial={"name": _("%(name)s (bản sao)") % {"name": plan.name}, "total": plan.total}),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "edit_form": forms.get("edit_form") or PlanForm(instance=plan),
        "per_department": per_department,
        "priorities": [
            (
                p,
                (plan.summary.get("covered_by_priority") or {}).get(str(p), 0),
                (plan.summary.get("needed_by_priority") or {}).get(str(p), 0),
            )
            for p in range(5, 0, -1)
        ],
        "others": Plan.objects.visible_to(request.user)
        .exclude(pk=plan.pk)
        .filter(status__in=["solved", "approved"])[:10],
    }


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    return render(request, "staffing/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_update(request, pk):
    plan = _plan(request, pk)
    form = PlanForm(request.POST, instance=Plan.objects.get(pk=plan.pk))
    if form.is_valid():
        services.update_plan(request.user, plan, **form.cleaned_data)
        messages.success(request, _("Đã lưu tham số phương án."))
        return redirect(plan)
    return render(
        request, "staffing/plan_detail.html", _plan_context(request, plan, edit_form=form), status=400
    )


@login_required
@require_POST
def plan_run(request, pk):
    plan = _plan(request, pk)
    try:
        services.run_plan(request.user, plan)
    except ValidationError as exc:
        messages.error(request, _("Chưa giải được phương án: hãy sửa các điểm dưới đây rồi giải lại."))
        for message in validation_messages(exc):
            messages.error(request, message)
    else:
        messages.info(request, _("Đang giải phương án; trang sẽ tự cập nhật khi có kết quả."))
    return redirect(plan)


@login_required
@require_POST
def plan_lock_add(request, pk):
    plan = _plan(request, pk)
    form = LockForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        staff = StaffMember.objects.filter(province=plan.province, code=data["staff_code"]).first()
        commune = None
        if data["commune_code"]:
            commune = Commune.objects.filter(province=plan.province, code=data["commune_code"]).first()
            if commune is None:
                form.add_error("commune_code", _("Không có xã mã này trong tỉnh."))
        if staff is None:
            form.add_error("staff_code", _("Không có cán bộ mã này trong nguồn."))
        if form.is_valid():
            try:
                services.add_lock(
                    request.user,
                    plan,
                    kind=data["kind"],
                    staff=staff,
                    commune=commune,
                    field=data["field"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã thêm khóa. Giải lại phương án để áp dụng."))
                return redirect(plan)
    return render(
        request, "staffing/plan_detail.html", _plan_context(request, plan, lock_form=form), status=400
    )


@login_required
@require_POST
def plan_lock_delete(request, pk, lock_id):
    plan = _plan(request, pk)
    lock = get_object_or_404(PlanLock, pk=lock_id, plan=plan)
    services.remove_lock(request.user, lock)
    messages.success(request, _("Đã bỏ khóa."))
    return redirect(plan)


@login_required
@require_POST
def plan_copy(request, pk):
    plan = _plan(request, pk)
    form = CopyPlanForm(request.POST)
    if form.is_valid():
        new = services.copy_plan(request.user, plan, **form.cleaned_data)
        messages.success(request, _("Đã tạo phương án mới để so sánh."))
        return redirect(new)
    return render(
        request, "staffing/plan_detail.html", _plan_context(request, plan, copy_form=form), status=400
    )


@login_required
@require_POST
def plan_approve(request, pk):
    plan = _plan(request, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.approve_plan(request.user, plan, decision_number=form.cleaned_data["decision_number"])
        except ValidationError as exc:
            for message in validation_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Đã phê duyệt. Các quyết định biệt phái đã được tạo."))
            return redirect("staffing:secondment_list")
    return redirect(plan)


@login_required
def assignment_explain(request, pk, assignment_id):
    plan = _plan(request, pk)
    assignment = get_object_or_404(
        PlanAssignment.objects.select_related("staff", "commune"), pk=assignment_id, plan=plan
    )
    template = "staffing/includes/explain.html" if request.htmx else "staffing/explain.html"
    return render(
        request,
        template,
        {"plan": plan, "assignment": assignment, "why": explain_assignment(plan, assignment)},
    )


@login_required
def plan_compare(request):
    planner_province(request)
    try:
        ids = [int(x) for x in request.GET.getlist("ids")][:3]
    except ValueError:
        ids = []
    plans = services.plans.plans_for_comparison(request.user, ids)
    choices = Plan.objects.visible_to(request.user).filter(status__in=["solved", "approved"])
    return render(
        request,
        "staffing/plan_compare.html",
        {"plans": plans, "rows": comparison(plans) if plans else None, "choices": choices, "ids": ids},
    )


@login_required
def plan_export(request, pk):
    plan = _plan(request, pk)
    rows = plan.assignments.select_related("staff", "commune")
    return csv_response(
        f"phuong-an-{plan.pk}.csv",
        ["staff_id", "full_name", "commune_code", "commune", "field", "km", "priority"],
        (
            [a.staff.code, a.staff.full_name, a.commune.code, a.commune.name, a.field, a.km, a.priority]
            for a in rows
        ),
    )


@login_required
def plan_decision(request, pk):
    plan = _plan(request, pk)
    if plan.status != Plan.Status.APPROVED:
        messages.error(request, _("Chỉ lập quyết định cho phương án đã phê duyệt."))
        return redirect(plan)
    data = decision_docx(plan, list(plan.secondments.select_related("staff", "staff__department", "commune")))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-biet-phai-{plan.pk}.docx"'
    return response
