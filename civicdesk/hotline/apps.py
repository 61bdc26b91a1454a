from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "civicdesk.hotline"
    label = "hotline"
    verbose_name = _("Đường dây nóng")

    def ready(self):
        from . import dashboard

        dashboard.register()
