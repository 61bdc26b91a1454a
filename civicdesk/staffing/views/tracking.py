"""Secondments: the province view, a secondment's page, weekly reports, the assessment, the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import audit
from civicdesk.kernel.roles import Role

from .. import services
from ..documents import decision_docx
from ..forms import AssessmentForm, TransitionForm, WeeklyReportForm
from ..models import Assessment, Secondment
from ..permissions import is_host_leader, is_planner, is_secondee
from ..queries import before_after, province_overview, report_status
from .common import validation_messages

# A commune leader follows the secondees in their commune; a department expert follows their own secondment.
TRACKING_ROLES = (Role.COMMUNE_LEADER, Role.DEPARTMENT_EXPERT)


@login_required
def index(request):
    """Planners land on the province view; others on the secondments they may see."""
    if not (is_planner(request.user) or request.user.role in TRACKING_ROLES):
        raise PermissionDenied
    return redirect("staffing:secondment_list")


@login_required
def secondment_list(request):
    user = request.user
    visible = Secondment.objects.visible_to(user)
    planner = is_planner(user)
    if not planner and user.role not in TRACKING_ROLES:
        raise PermissionDenied
    overview = province_overview(user, user.province) if planner and user.province else None
    status = request.GET.get("status", "current")
    rows = visible.select_related("staff", "staff__department", "commune", "plan")
    if status == "current":
        rows = rows.current()
    elif status in Secondment.Status.values:
        rows = rows.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(commune__name__icontains=query) | rows.filter(staff__full_name__icontains=query)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    if page.object_list and not planner:
        audit.record_view(user, page.object_list[0], fields=["staff", "commune"], reason="secondment_list")
    context = {
        "page": page,
        "overview": overview,
        "planner": planner,
        "status": status,
        "query": query,
        "statuses": Secondment.Status.choices,
    }
    template = "staffing/includes/secondment_rows.html" if request.htmx else "staffing/secondment_list.html"
    return render(request, template, context)


def _secondment(request, pk):
    return get_object_or_404(
        Secondment.objects.visible_to(request.user).select_related(
            "staff", "staff__department", "commune", "plan"
        ),
        pk=pk,
    )


def _detail_context(request, s, report_form=None, assessment_form=None):
    user = request.user
    week, due, overdue = report_status(s)
    existing = Assessment.objects.filter(secondment=s).first()
    return {
        "s": s,
        "reports": s.reports.all(),
        "assessment": existing,
        "can_report": is_secondee(user, s) and s.status == Secondment.Status.ACTIVE,
        "can_assess": is_host_leader(user, s)
        and s.status in (Secondment.Status.ACTIVE, Secondment.Status.COMPLETED),
        "can_manage": is_planner(user, s.commune.province),
        "report_form": report_form or WeeklyReportForm(),
        "assessment_form": assessment_form or AssessmentForm(instance=existing),
        "report_week": week,
        "report_due": due,
        "report_overdue": overdue,
        "before_after": before_after(s),
    }


@login_required
def secondment_detail(request, pk):
    s = _secondment(request, pk)
    audit.record_view(request.user, s, fields=["staff", "reports", "assessment"])
    return render(request, "staffing/secondment_detail.html", _detail_context(request, s))


@login_required
@require_POST
def report_submit(request, pk):
    s = _secondment(request, pk)
    if not is_secondee(request.user, s):
        raise PermissionDenied
    form = WeeklyReportForm(request.POST)
    if form.is_valid():
        try:
            services.submit_weekly_report(request.user, s, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã gửi báo cáo tuần."))
            return redirect(s)
    return render(
        request, "staffing/secondment_detail.html", _detail_context(request, s, report_form=form), status=400
    )


@login_required
@require_POST
def assessment_submit(request, pk):
    s = _secondment(request, pk)
    if not is_host_leader(request.user, s):
        raise PermissionDenied
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.submit_assessment(request.user, s, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu đánh giá cuối đợt."))
            return redirect(s)
    return render(
        request,
        "staffing/secondment_detail.html",
        _detail_context(request, s, assessment_form=form),
        status=400,
    )


@login_required
@require_POST
def secondment_transition(request, pk):
    s = _secondment(request, pk)
    if not is_planner(request.user, s.commune.province):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect(s)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == "start":
            services.start_secondment(request.user, s)
        elif action == "complete":
            services.complete_secondment(request.user, s, reason=reason)
        else:
            services.cancel_secondment(request.user, s, reason=reason)
    except ValidationError as exc:
        for message in validation_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cập nhật trạng thái biệt phái."))
    return redirect(s)


@login_required
def secondment_decision(request, pk):
    s = _secondment(request, pk)
    if not (is_planner(request.user, s.commune.province) or is_secondee(request.user, s)):
        raise PermissionDenied
    data = decision_docx(s.plan, [s])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-biet-phai-{s.plan_id}-{s.pk}.docx"'
    return response
