from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class VolunteersConfig(AppConfig):
    name = "civicdesk.volunteers"
    label = "volunteers"
    verbose_name = _("Tình nguyện viên tại Trung tâm")

    def ready(self):
        from . import demo, panels, privacy

        panels.register()
        # Volunteers' personal data: retention, data-subject requests (the privacy app, issue 21).
        registry.add_personal_data(privacy.SOURCE)
        # After outreach (47), whose volunteer account it gives a profile; before staffing (50).
        registry.add_demo(_("Tình nguyện viên tại Trung tâm (Di Linh)"), demo.load, order=48)
