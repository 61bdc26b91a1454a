from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civicdesk.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self):
        from . import dashboard, signals  # noqa: F401  (signals: login/logout audit receivers)

        dashboard.register()
