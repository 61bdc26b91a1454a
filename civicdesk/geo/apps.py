from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "civicdesk.geo"
    label = "geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from civicdesk.core.registry import registry
        from civicdesk.core.roles import COMMUNE_ROLES, PROVINCE_ROLES, Role

        registry.add_nav(
            _("Đơn vị hành chính"), "commune_list", roles=PROVINCE_ROLES | {Role.DEPARTMENT_EXPERT}, order=80
        )
        registry.add_nav(_("Xã của tôi"), "commune_list", roles=COMMUNE_ROLES, order=80)
