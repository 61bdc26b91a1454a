from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry


class AssistantConfig(AppConfig):
    name = "civicdesk.assistant"
    label = "assistant"
    verbose_name = _("Trợ lý AI")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py, the demo
        # loader in demo.py; the models are loaded only now, so these imports stay inside ready().
        from . import demo, panels

        panels.register()
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
