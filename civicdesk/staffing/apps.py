from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class StaffingConfig(AppConfig):
    name = "civicdesk.staffing"
    label = "staffing"
    verbose_name = _("Nhân sự, biệt phái")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py, the demo
        # loader in demo.py; the models are loaded only now, so these imports stay inside ready().
        from . import demo, panels

        panels.register()
        registry.add_demo("staffing", demo.load, order=50)
