from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class ImpactConfig(AppConfig):
    name = "civicdesk.impact"
    label = "impact"
    verbose_name = _("Tác động của sáng kiến")

    def ready(self):
        from . import demo
        from .permissions import ROLES

        registry.add_nav(_("Tác động sáng kiến"), "impact:index", roles=ROLES, order=70)
        # After staffing (50), whose pool and needs the first secondment wave is drawn from.
        registry.add_demo(_("Đợt biệt phái thứ nhất (đã kết thúc)"), demo.load, order=60)
