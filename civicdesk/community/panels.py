"""Language access's menu entry and home-page cards (`register()`, from apps.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import COMMUNE_ROLES, Role

from .models import Accompaniment


def _commune_card(request):
    user = request.user
    if user.commune_id is None:
        return None
    mine = Accompaniment.objects.visible_to(user).filter(commune_id=user.commune_id)
    today = timezone.localdate()
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return {
        "open": mine.open().count(),
        "overdue": mine.active().filter(due_at__lt=timezone.now()).count(),
        "this_week": mine.active().filter(date__gte=today).count(),
        "my_visits": list(
            mine.filter(assignee=person, status__in=("assigned", "accepted")).select_related(
                "citizen", "hamlet"
            )[:5]
        )
        if person is not None
        else [],
    }


def register():
    registry.add_nav(
        _("Tiếng dân tộc"),
        "community:index",
        roles=COMMUNE_ROLES | {Role.PROVINCE_ADMIN, Role.HOME_AFFAIRS_PLANNER},
        order=40,
    )
    registry.add_nav(_("Độ phủ tiếng dân tộc"), "community:coverage", roles={Role.HOTLINE_OPERATOR}, order=45)
    registry.add_panel("community/panels/commune.html", _commune_card, roles=COMMUNE_ROLES, order=25)
