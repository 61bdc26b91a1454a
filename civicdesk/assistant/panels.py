"""The assistant's menu entry and home-page card: a question box (and, for editors, the count of unanswered
questions). `register()`, from apps.py."""

from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry

from .models import Turn
from .permissions import can_see_gaps


def assistant_panel(request):
    unanswered = 0
    if can_see_gaps(request.user):
        unanswered = Turn.objects.for_gaps(request.user).filter(answered=False).count()
    return {"unanswered": unanswered}


def register():
    registry.add_nav(_("Trợ lý"), "assistant:chat", order=30)
    registry.add_panel("assistant/panel.html", assistant_panel, order=15)
