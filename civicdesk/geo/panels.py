"""The administrative units' menu entries (`register()`, from apps.py). geo has no home-page card."""

from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import COMMUNE_ROLES, PROVINCE_ROLES, Role


def register():
    registry.add_nav(
        _("Đơn vị hành chính"), "commune_list", roles=PROVINCE_ROLES | {Role.DEPARTMENT_EXPERT}, order=80
    )
    registry.add_nav(_("Xã của tôi"), "commune_list", roles=COMMUNE_ROLES, order=80)
