"""Staffing's menu entry and home-page cards (`register()`, from apps.py)."""

from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import Role

from .permissions import PLANNER_ROLES, is_planner


def _planner_card(request):
    from .models import Need, Plan, Secondment, StaffMember
    from .queries import province_overview

    user = request.user
    if not is_planner(user) or user.province is None:
        return None
    overview = province_overview(user, user.province)
    needs = Need.objects.visible_to(user)
    return {
        "needs": needs.count(),
        "units": sum(needs.values_list("units", flat=True)),
        "pool": StaffMember.objects.visible_to(user).filter(is_active=True).count(),
        "plans": Plan.objects.visible_to(user).count(),
        "current": len(overview["current"]),
        "overdue": len(overview["overdue"]),
        "ending": len(overview["ending"]),
        "seconded": Secondment.objects.visible_to(user).current().exists(),
    }


def _secondee_card(request):
    from .models import Secondment
    from .queries import report_status

    user = request.user
    current = Secondment.objects.filter(staff__user=user).current().select_related("commune").first()
    if current is None:
        return None
    week, due, overdue = report_status(current)
    return {"s": current, "report_week": week, "report_due": due, "report_overdue": overdue}


def _leader_card(request):
    from .models import Secondment

    user = request.user
    rows = list(
        Secondment.objects.visible_to(user)
        .filter(commune_id=user.commune_id)
        .current()
        .select_related("staff", "staff__department")
    )
    if not rows:
        return None
    return {"rows": rows}


def register():
    registry.add_nav(
        _("Biệt phái cán bộ"),
        "staffing:index",
        roles=PLANNER_ROLES | {Role.COMMUNE_LEADER, Role.DEPARTMENT_EXPERT},
        order=60,
    )
    registry.add_panel("staffing/panels/planner.html", _planner_card, roles=PLANNER_ROLES, order=40)
    registry.add_panel(
        "staffing/panels/secondee.html", _secondee_card, roles={Role.DEPARTMENT_EXPERT}, order=20
    )
    registry.add_panel("staffing/panels/leader.html", _leader_card, roles={Role.COMMUNE_LEADER}, order=40)
