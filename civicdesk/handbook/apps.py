from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class HandbookConfig(AppConfig):
    name = "civicdesk.handbook"
    label = "handbook"
    verbose_name = _("Cẩm nang")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py, the demo
        # loader in demo.py; the models are loaded only now, so these imports stay inside ready().
        from . import demo, panels

        panels.register()
        registry.add_demo("handbook", demo.load, order=10)
