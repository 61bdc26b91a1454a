from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class OutreachConfig(AppConfig):
    name = "civicdesk.outreach"
    label = "outreach"
    verbose_name = _("Chủ động tiếp cận người dân")

    def ready(self):
        from . import announcements, demo, intake, panels, privacy

        panels.register()
        # The contact history's personal data: retention, data-subject requests (the privacy app, issue 21).
        registry.add_personal_data(privacy.SOURCE)
        intake.connect()
        # The mobile team (a sibling app) announces its trips through this (kernel.registry.Announcer).
        registry.set_announcer(announcements.ANNOUNCER)
        # After language access (45), whose citizens it shares; before staffing (50).
        registry.add_demo(_("Chủ động tiếp cận người dân (Di Linh)"), demo.load, order=47)
        # After community (45), whose hamlets they live in; before the mobile team (49), which announces its trip.
        registry.add_demo(_("Người dân Cát Tiên 3 đồng ý nhận tin"), demo.load_residents, order=48)
