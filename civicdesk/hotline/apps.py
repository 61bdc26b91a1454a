from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class HotlineConfig(AppConfig):
    name = "civicdesk.hotline"
    label = "hotline"
    verbose_name = _("Đường dây nóng")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py, the demo
        # loader in demo.py; the models are loaded only now, so these imports stay inside ready().
        from . import demo, panels, privacy

        panels.register()
        # Callers' data and the numbers quoted in questions: retention, data-subject requests (privacy, issue 21).
        registry.add_personal_data(privacy.SOURCE)
        registry.add_demo("hotline", demo.load, order=30)
