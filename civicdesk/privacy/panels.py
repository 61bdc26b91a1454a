"""The privacy app's link in the user menu (the main menu is full; this is not daily work) and, for the commune's
officers and leaders, a home-page card when citizens' requests are waiting (`register()`, from apps.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry

from .models import READER_ROLES, SubjectRequest
from .permissions import HANDLER_ROLES


def _requests_card(request):
    user = request.user
    if user.commune_id is None:
        return None
    waiting = SubjectRequest.objects.visible_to(user).open().filter(commune_id=user.commune_id)
    count = waiting.count()
    if not count:
        return None  # nothing to do: no card
    today = timezone.localdate()
    return {
        "open": count,
        "overdue": waiting.filter(due_on__lt=today).count(),
        "next": waiting.exclude(due_on__isnull=True).order_by("due_on").first(),
    }


def register():
    registry.add_user_link(_("Dữ liệu cá nhân"), "privacy:index", roles=READER_ROLES, order=10)
    registry.add_panel("privacy/panels/requests.html", _requests_card, roles=HANDLER_ROLES, order=60)
