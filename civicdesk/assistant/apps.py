from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "civicdesk.assistant"
    label = "assistant"
    verbose_name = _("Trợ lý AI")

    def ready(self):
        from civicdesk.kernel.registry import registry

        from . import demo, panels

        registry.add_nav(_("Trợ lý"), "assistant:chat", order=30)
        registry.add_panel("assistant/panel.html", panels.assistant_panel, order=15)
        registry.add_demo("assistant", demo.load, order=400)
        self._hook_publishing()

    def _hook_publishing(self):
        """Rebuild the index when the handbook publishes or archives content; answer the handbook's search."""
        from civicdesk.handbook import queries as handbook_queries
        from civicdesk.handbook import services as handbook_services

        from .search import handbook_search_backend
        from .services import on_content_published

        if on_content_published not in handbook_services.on_publish_hooks:
            handbook_services.on_publish_hooks.append(on_content_published)
        handbook_queries.register_search_backend(handbook_search_backend)
