"""Hotline settings pages: routing rules and SLA policies (province admin), teams, canned replies, absences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core.models import User

from .. import services
from ..forms import AbsenceForm, CannedForm, RoutingRuleForm, SlaPolicyForm, TeamForm
from ..models import Absence, CannedResponse, RoutingRule, SlaPolicy, Team
from ..models.teams import DEFAULT_SLA
from ..permissions import can_manage_team, is_province_admin_of, is_team_leader
from ..services.routing import routing_table
from .common import add_errors


def _require_admin(request):
    if not is_province_admin_of(request.user, request.user.province_id):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh cấu hình đường dây nóng."))
    return request.user.province


def _settings_page(request, province, status=200, **forms):
    policies = {p.urgency: p for p in SlaPolicy.objects.filter(province=province)}
    sla_rows = [
        {"urgency": urgency, "policy": policies.get(urgency), "default": values}
        for urgency, values in DEFAULT_SLA.items()
    ]
    context = {
        "routing": routing_table(province),
        "teams": Team.objects.filter(province=province).select_related(
            "department", "working_group", "leader"
        ),
        "sla_rows": sla_rows,
        "rule_form": forms.get("rule_form") or RoutingRuleForm(province_id=province.pk),
        "sla_form": forms.get("sla_form") or SlaPolicyForm(),
    }
    return render(request, "hotline/settings.html", context, status=status)


@login_required
def settings_page(request):
    province = _require_admin(request)
    if request.method == "POST" and "sync_teams" in request.POST:
        services.ensure_teams(request.user, province)
        messages.success(request, _("Đã cập nhật danh sách nhóm theo sở, ngành và tổ công tác."))
        return redirect("hotline:settings")
    return _settings_page(request, province)


@login_required
@require_POST
def rule_save(request):
    province = _require_admin(request)
    form = RoutingRuleForm(request.POST, province_id=province.pk)
    if form.is_valid():
        try:
            services.set_routing_rule(request.user, province=province, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc chuyển câu hỏi."))
            return redirect("hotline:settings")
    return _settings_page(request, province, status=400, rule_form=form)


@login_required
@require_POST
def rule_delete(request, rule_id):
    province = _require_admin(request)
    services.delete_routing_rule(request.user, get_object_or_404(RoutingRule, pk=rule_id, province=province))
    messages.success(request, _("Đã xóa quy tắc; lĩnh vực này về nhóm mặc định."))
    return redirect("hotline:settings")


@login_required
@require_POST
def sla_save(request):
    province = _require_admin(request)
    form = SlaPolicyForm(request.POST)
    if form.is_valid():
        try:
            services.set_sla_policy(request.user, province=province, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu thời gian."))
            return redirect("hotline:settings")
    return _settings_page(request, province, status=400, sla_form=form)


def _team_for(request, team_id):
    return get_object_or_404(
        Team.objects.visible_to(request.user).select_related("department", "working_group"), pk=team_id
    )


def _team_page(request, team, status=200, **forms):
    members = team.members().order_by("full_name")
    today = timezone.localdate()
    context = {
        "team": team,
        "members": members,
        "leader_pk": getattr(team.leader_user, "pk", None),
        "rota_pks": set(team.rota.values_list("pk", flat=True)),
        "absences": Absence.objects.filter(user__in=members, end__gte=today).select_related("user"),
        "canned": CannedResponse.objects.filter(team=team),
        "can_manage": can_manage_team(request.user, team),
        "team_form": forms.get("team_form")
        or TeamForm(
            team=team,
            initial={
                "strategy": team.strategy,
                "leader": team.leader_id,
                "is_active": team.is_active,
                "rota": list(team.rota.values_list("pk", flat=True)),
            },
        ),
        "canned_form": forms.get("canned_form") or CannedForm(),
        "absence_form": forms.get("absence_form") or AbsenceForm(users=members),
    }
    return render(request, "hotline/team.html", context, status=status)


@login_required
def team_detail(request, team_id):
    team = _team_for(request, team_id)
    if request.method == "POST":
        # Refuse before validating, so a visitor without the right never sees the form's errors either.
        if not can_manage_team(request.user, team):
            raise PermissionDenied
        form = TeamForm(request.POST, team=team)
        if form.is_valid():
            try:
                services.update_team(request.user, team, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("hotline:team", team_id=team.pk)
        return _team_page(request, team, status=400, team_form=form)
    return _team_page(request, team)


@login_required
@require_POST
def canned_save(request, team_id):
    team = _team_for(request, team_id)
    form = CannedForm(request.POST)
    if form.is_valid():
        try:
            services.save_canned_response(request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm câu trả lời mẫu."))
            return redirect("hotline:team", team_id=team.pk)
    elif not can_manage_team(request.user, team):
        raise PermissionDenied
    return _team_page(request, team, status=400, canned_form=form)


@login_required
@require_POST
def canned_delete(request, team_id, canned_id):
    team = _team_for(request, team_id)
    services.delete_canned_response(request.user, get_object_or_404(CannedResponse, pk=canned_id, team=team))
    messages.success(request, _("Đã xóa câu trả lời mẫu."))
    return redirect("hotline:team", team_id=team.pk)


def _absence_users(user):
    """Whose absences `user` may record: their own; a leader's team members; the province admin's experts."""
    if is_province_admin_of(user, user.province_id):
        return User.objects.filter(province_id=user.province_id, is_active=True, department__isnull=False)
    led = [t for t in Team.objects.for_member(user) if is_team_leader(user, t)]
    ids = {user.pk}
    for team in led:
        ids.update(team.members().values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids)


@login_required
def absences(request):
    users = _absence_users(request.user)
    if request.user.role not in ("department_expert", "home_affairs_planner") and not is_province_admin_of(
        request.user, request.user.province_id
    ):
        raise PermissionDenied(_("Lịch vắng dành cho chuyên viên trả lời câu hỏi."))
    form = AbsenceForm(request.POST or None, users=users, initial={"user": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_absence(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Đã ghi lịch vắng; trong thời gian này anh/chị không được giao câu hỏi mới.")
            )
            return redirect("hotline:absences")
    today = timezone.localdate()
    listing = Absence.objects.filter(Q(user__in=users), end__gte=today).select_related("user")
    status = 400 if request.method == "POST" else 200
    return render(request, "hotline/absences.html", {"form": form, "absences": listing}, status=status)


@login_required
@require_POST
def absence_delete(request, absence_id):
    absence = get_object_or_404(Absence, pk=absence_id, user__in=_absence_users(request.user))
    services.remove_absence(request.user, absence)
    messages.success(request, _("Đã xóa lịch vắng."))
    return redirect("hotline:absences")
