from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class ServicedeskConfig(AppConfig):
    name = "civicdesk.servicedesk"
    label = "servicedesk"
    verbose_name = _("Một cửa cấp xã")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py, the demo
        # loader in demo.py; the models are loaded only now, so these imports stay inside ready().
        from . import demo, panels, privacy

        panels.register()
        # Applicants' personal data: retention, data-subject requests (the privacy app, issue 21).
        registry.add_personal_data(privacy.SOURCE)
        # After the handbook's seed (order 10): the demo dossiers need its procedures.
        registry.add_demo(_("Hồ sơ một cửa (6 tháng)"), demo.load, order=40)
