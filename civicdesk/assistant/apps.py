import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


class AssistantConfig(AppConfig):
    name = "civicdesk.assistant"
    label = "assistant"
    verbose_name = _("Trợ lý AI")

    def ready(self):
        from civicdesk.core.registry import registry

        from . import demo, panels

        registry.add_nav(_("Trợ lý"), "assistant:chat", order=30)
        registry.add_panel("assistant/panel.html", panels.assistant_panel, order=15)
        registry.add_demo("assistant", demo.load, order=400)
        self._hook_publishing()

    def _hook_publishing(self):
        """Rebuild the index when the handbook publishes or archives content (its hook list, when it exists)."""
        try:
            from civicdesk.handbook import services as handbook_services
        except ImportError:
            log.info(
                "civicdesk.handbook.services not available yet: assistant index rebuilds on version checks only"
            )
            return
        hooks = getattr(handbook_services, "on_publish_hooks", None)
        if hooks is None:
            return
        from .services import on_content_published

        if on_content_published not in hooks:
            hooks.append(on_content_published)
