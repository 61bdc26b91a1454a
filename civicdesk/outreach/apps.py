from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class OutreachConfig(AppConfig):
    name = "civicdesk.outreach"
    label = "outreach"
    verbose_name = _("Chủ động tiếp cận người dân")

    def ready(self):
        from . import demo, intake, panels

        panels.register()
        intake.connect()
        # After language access (45), whose citizens it shares; before staffing (50).
        registry.add_demo(_("Chủ động tiếp cận người dân (Di Linh)"), demo.load, order=47)
