from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class PrivacyConfig(AppConfig):
    name = "civicdesk.privacy"
    label = "privacy"
    verbose_name = _("Bảo vệ dữ liệu cá nhân")

    def ready(self):
        from . import demo, panels, sources

        panels.register()
        # The register of requests holds personal data too: it is a kind of record like the others.
        registry.add_personal_data(sources.REQUESTS)
        # Last: a request about a citizen whom the earlier loaders created (the service desk's dossiers).
        registry.add_demo(_("Yêu cầu về dữ liệu cá nhân (Di Linh)"), demo.load, order=90)
