from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "civicdesk.staffing"
    label = "staffing"
    verbose_name = _("Nhân sự, biệt phái")

    def ready(self):
        from civicdesk.kernel.registry import registry

        from . import dashboard, demo

        dashboard.register()
        registry.add_demo("staffing", demo.load, order=50)
