from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "civicdesk.geo"
    label = "geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py, the demo
        # loader in demo.py; the models are loaded only now, so these imports stay inside ready().
        from . import panels

        panels.register()
