from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class MobileConfig(AppConfig):
    name = "civicdesk.mobile"
    label = "mobile"
    verbose_name = _("Tổ lưu động thủ tục hành chính")

    def ready(self):
        from . import demo, panels, privacy

        panels.register()
        # The phone's copies of dossiers: retention, data-subject requests (the privacy app, issue 21).
        registry.add_personal_data(privacy.SOURCE)
        # After community (45), which gives Cát Tiên 3 its first hamlets; before staffing (50).
        registry.add_demo(_("Tổ lưu động (Cát Tiên 3)"), demo.load, order=49)
