"""Plans (scenarios): create, lock, run as a background job, explain, compare, approve, export."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from civicdesk.core.models import Department
from civicdesk.geo.models import Commune

from .. import services
from ..documents import decision_docx
from ..forms import ApproveForm, ConfirmApproveForm, CopyPlanForm, LockForm, PlanForm
from ..models import Need, Plan, PlanAssignment, PlanLock, StaffMember
from ..queries import comparison, explain_assignment
from ..readiness import period_end, plan_problems
from .common import csv_response, page, planner_province, validation_messages

# htmx 2 does not swap a 4xx answer into the page, so a partial that shows a refusal in place answers 200; the
# whole page keeps its 4xx.


def _htmx_status(request, status):
    return 200 if request.htmx else status


SOLVING_TARGET = "plan-solving"  # the id of the progress block in includes/plan_solving.html


@login_required
def plan_list(request):
    province = planner_province(request)
    form = PlanForm(request.POST or None, province=province)
    total = min(260, form.pool_size) or 1
    form.initial = {
        "name": _("Phương án %(n)s người") % {"n": total},
        "total": total,
        "distance_weight": 0.01,
        "max_per_commune": 4,
        "time_limit": 60,
        "period_start": timezone.localdate(),
        "period_months": 3,
    }
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(request.user, province, **form.cleaned_data)
        messages.success(request, _("Đã tạo phương án. Thêm khóa nếu cần rồi bấm “Giải phương án”."))
        return redirect(plan)
    plans = (
        Plan.objects.visible_to(request.user).select_related("approved_by").annotate(n=Count("assignments"))
    )
    context = {
        "plans": plans,
        "form": form,
        "needs": Need.objects.visible_to(request.user).count(),
        "pool": form.pool_size,
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
        or CopyPlanForm(
            plan=plan,
            initial={
                "name": _("%(name)s (bản sao)") % {"name": plan.name},
                "total": plan.total,
                "period_start": plan.period_start,
                "period_months": plan.period_months,
            },
        ),
        # "Quay lại" from the approval's confirmation brings back the number typed
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial={"decision_number": request.GET.get("decision_number", "")[:60]}),
        "edit_form": forms.get("edit_form") or PlanForm(instance=plan, province=plan.province),
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
    """The plan page. While the plan is solved it polls itself (htmx, target `#plan-solving`): the answer is the
    job's progress, then — once the plan has left "Đang giải" — an HX-Refresh, so the page reloads with the result.
    """
    plan = _plan(request, pk)
    if request.htmx and request.htmx.target == SOLVING_TARGET:
        if plan.status != Plan.Status.RUNNING or plan.job is None:
            return HttpResponseClientRefresh()
        return render(request, "staffing/includes/plan_solving.html", {"plan": plan, "job": plan.job})
    return render(request, "staffing/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_update(request, pk):
    plan = _plan(request, pk)
    form = PlanForm(request.POST, instance=Plan.objects.get(pk=plan.pk), province=plan.province)
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
def plan_reset(request, pk):
    """Back to draft after a solve job crashed (the page shows the job's error)."""
    plan = _plan(request, pk)
    try:
        services.plans.abandon_failed_run(request.user, plan)
    except ValidationError as exc:
        for message in validation_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Phương án đã về bản nháp; có thể giải lại."))
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
    form = CopyPlanForm(request.POST, plan=plan)
    if form.is_valid():
        new = services.copy_plan(request.user, plan, **form.cleaned_data)
        messages.success(request, _("Đã tạo phương án mới để so sánh."))
        return redirect(new)
    return render(
        request, "staffing/plan_detail.html", _plan_context(request, plan, copy_form=form), status=400
    )


def _confirmation(request, plan, decision_number, *, errors=(), status=200):
    """The approval's confirmation: how many secondments, the period, how many communes, the decision number."""
    end = period_end(plan.period_start, plan.period_months)
    back = plan.get_absolute_url()
    if decision_number:
        back += "?" + urlencode({"decision_number": decision_number})
    context = {
        "plan": plan,
        "refusal": plan.approval_refusal,
        "errors": errors,
        "secondments": plan.assignments.count(),
        "communes": plan.assignments.values("commune").distinct().count(),
        "end": end,
        "starts_now": plan.period_start <= timezone.localdate(),
        "symbol": Plan(decision_number=decision_number).decision_symbol,
        "back": back,
        "form": ConfirmApproveForm(initial={"decision_number": decision_number, "result": plan.result_stamp}),
    }
    return page(
        request,
        "staffing/plan_approve.html",
        "staffing/includes/plan_approve_confirm.html",
        context,
        status=_htmx_status(request, status),
    )


@login_required
def plan_approve(request, pk):
    """Approval in two steps, because it creates a secondment for every assignment at once.

    GET (the plan page's "Phê duyệt phương án…", in place with htmx) shows what approving will create; only the
    POST of that confirmation approves. A POST without it (an old page, a script) shows the confirmation and
    approves nothing; a confirmation of a result solved again since is refused (409) with the new numbers.
    """
    plan = _plan(request, pk)
    if request.method == "POST" and plan.status == Plan.Status.APPROVED:
        # a second click on "Xác nhận phê duyệt": the first one did it
        messages.info(request, _("Phương án này đã được phê duyệt."))
        return redirect(plan)
    if request.method == "POST":
        form = ConfirmApproveForm(request.POST)
        if form.is_valid():
            try:
                services.approve_plan(
                    request.user,
                    plan,
                    decision_number=form.cleaned_data["decision_number"],
                    seen_result=form.cleaned_data["result"],
                )
            except ValidationError as exc:
                return _confirmation(
                    request,
                    plan,
                    form.cleaned_data["decision_number"],
                    errors=validation_messages(exc),
                    status=409,
                )
            messages.success(request, _("Đã phê duyệt. Các quyết định biệt phái đã được tạo."))
            return redirect("staffing:secondment_list")
        if "decision_number" not in form.errors:
            return _confirmation(request, plan, form.cleaned_data["decision_number"])
    else:
        form = ApproveForm(request.GET)
        if form.is_valid():
            return _confirmation(request, plan, form.cleaned_data["decision_number"])
    # the decision number itself is refused: back to the approval card, the error under what was typed
    approve_form = ApproveForm(form.data)
    approve_form.is_valid()
    if request.htmx:
        return render(
            request, "staffing/includes/plan_approve_card.html", {"plan": plan, "approve_form": approve_form}
        )
    return render(
        request,
        "staffing/plan_detail.html",
        _plan_context(request, plan, approve_form=approve_form),
        status=400,
    )


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
    secondments = plan.secondments.select_related("staff__department", "staff__user", "commune")
    data = decision_docx(plan, list(secondments))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-biet-phai-{plan.pk}.docx"'
    return response
