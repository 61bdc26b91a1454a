from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import Role


class HandbookConfig(AppConfig):
    name = "civicdesk.handbook"
    label = "handbook"
    verbose_name = _("Cẩm nang")

    def ready(self):
        from .panels import handbook_panel, load_demo

        registry.add_nav(_("Cẩm nang"), "handbook:index", order=20)
        registry.add_nav(
            _("Biên tập"), "handbook:queue", roles={Role.PROVINCE_ADMIN, Role.DEPARTMENT_EXPERT}, order=21
        )
        registry.add_panel("handbook/panels/handbook.html", handbook_panel, order=20)
        registry.add_demo("handbook", load_demo, order=10)
