from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class CommunityConfig(AppConfig):
    name = "civicdesk.community"
    label = "community"
    verbose_name = _("Hỗ trợ tiếng dân tộc")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py, the demo
        # loader in demo.py; the models are loaded only now, so these imports stay inside ready().
        from . import demo, panels, privacy

        panels.register()
        # People's personal data: retention, data-subject requests (the privacy app, issue 21).
        registry.add_personal_data(privacy.SOURCE)
        # After the service desk's dossiers (order 40), which visits link to; before staffing (50), whose gap scores
        # read the language coverage.
        registry.add_demo(_("Hỗ trợ tiếng dân tộc (Cam Ly – Đà Lạt)"), demo.load, order=45)
