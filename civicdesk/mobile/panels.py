"""The mobile team's menu entry (`register()`, from apps.py)."""

from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import Role

USERS = {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.MOBILE_TEAM, Role.PROVINCE_ADMIN}


def register():
    registry.add_nav(_("Tổ lưu động"), "mobile:index", roles=USERS, order=44)
