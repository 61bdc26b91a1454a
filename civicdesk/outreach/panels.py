"""Outreach's menu entry and home-page card (`register()`, from apps.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import Role

from .models import Target

NAV_ROLES = {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.VOLUNTEER, Role.PROVINCE_ADMIN}


def _worklist_card(request):
    user = request.user
    if user.commune_id is None:
        return None
    mine = Target.objects.visible_to(user).filter(assignee=user).open()
    if not mine.exists():
        return None
    return {
        "open": mine.count(),
        "due": mine.filter(next_action_at__lte=timezone.now()).count()
        + mine.filter(next_action_at__isnull=True).count(),
    }


def register():
    registry.add_nav(_("Tiếp cận người dân"), "outreach:index", roles=NAV_ROLES, order=42)
    registry.add_panel(
        "outreach/panels/worklist.html",
        _worklist_card,
        roles={Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.VOLUNTEER},
        order=26,
    )
