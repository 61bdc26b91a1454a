"""The hotline's menu entry, home-page cards and the assistant's escalation target (`register()`, from apps.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import COMMUNE_ROLES, DEPARTMENT_ROLES, PROVINCE_ROLES, Role

from .models import Team, Ticket
from .permissions import COMMUNE_ACTORS, is_province_desk

S = Ticket.Status


def _commune_card(request):
    user = request.user
    mine = Ticket.objects.visible_to(user).filter(requester=user)
    return {
        "open": mine.filter(status__in=Ticket.OPEN_STATUSES).count(),
        "to_read": mine.filter(status__in=(S.ANSWERED, S.WAITING)).count(),
        "to_rate": mine.filter(
            status__in=(S.RESOLVED, S.CLOSED), rated_at__isnull=True, merged_into__isnull=True
        ).count(),
        "can_file": user.role in (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER),
    }


def _expert_card(request):
    user = request.user
    visible = Ticket.objects.visible_to(user)
    teams = Team.objects.for_member(user)
    if not teams.exists() and not is_province_desk(user, user.province_id):
        return None
    now = timezone.now()
    return {
        "mine": visible.filter(assignee=user, status__in=Ticket.OPEN_STATUSES).count(),
        "unassigned": visible.filter(
            assignee__isnull=True, team__in=teams, status__in=Ticket.OPEN_STATUSES
        ).count(),
        "overdue": visible.filter(team__in=teams).overdue(now).count(),
        "waiting": visible.filter(assignee=user, status=S.WAITING).count(),
    }


def _province_card(request):
    user = request.user
    if not is_province_desk(user, user.province_id):
        return None
    visible = Ticket.objects.visible_to(user)
    return {
        "triage": visible.filter(team__isnull=True, status__in=Ticket.OPEN_STATUSES).count(),
        "unassigned": visible.filter(assignee__isnull=True, status__in=Ticket.OPEN_STATUSES).count(),
        "overdue": visible.overdue(timezone.now()).count(),
        "open": visible.filter(status__in=Ticket.OPEN_STATUSES).count(),
        "is_admin": user.is_province_admin,
    }


def register():
    roles = COMMUNE_ROLES | DEPARTMENT_ROLES | PROVINCE_ROLES
    registry.add_nav(_("Đường dây nóng"), "hotline:list", roles=roles, order=40)
    registry.add_panel("hotline/panels/commune.html", _commune_card, roles=COMMUNE_ROLES, order=30)
    registry.add_panel(
        "hotline/panels/expert.html",
        _expert_card,
        roles=DEPARTMENT_ROLES | {Role.HOME_AFFAIRS_PLANNER},
        order=30,
    )
    registry.add_panel(
        "hotline/panels/province.html",
        _province_card,
        roles={Role.PROVINCE_ADMIN, Role.HOTLINE_OPERATOR},
        order=30,
    )
    # The assistant sends what it could not settle here (a refusal, or an answer rated unhelpful).
    registry.set_escalation("hotline:new", lambda user: user.is_authenticated and user.role in COMMUNE_ACTORS)
