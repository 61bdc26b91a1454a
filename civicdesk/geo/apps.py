from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import COMMUNE_ROLES, PROVINCE_ROLES, Role


class GeoConfig(AppConfig):
    name = "civicdesk.geo"
    label = "geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        registry.add_nav(
            _("Đơn vị hành chính"), "commune_list", roles=PROVINCE_ROLES | {Role.DEPARTMENT_EXPERT}, order=80
        )
        registry.add_nav(_("Xã của tôi"), "commune_list", roles=COMMUNE_ROLES, order=80)
