"""The handbook's menu entries and home-page card (`register()`, from apps.py)."""

from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import Role

from . import queries
from .permissions import is_editor


def handbook_panel(request):
    user = request.user
    context = {
        "counts": queries.published_counts(),
        "most_used": queries.most_used_procedures(5),
        "recent": queries.recently_updated(5),
        "is_editor": is_editor(user),
        "queue": None,
    }
    if context["is_editor"]:
        context["queue"] = {name: len(items) for name, items in queries.editor_queue(user).items()}
    return context


def register():
    registry.add_nav(_("Cẩm nang"), "handbook:index", order=20)
    registry.add_nav(
        _("Biên tập"), "handbook:queue", roles={Role.PROVINCE_ADMIN, Role.DEPARTMENT_EXPERT}, order=21
    )
    registry.add_panel("handbook/panels/handbook.html", handbook_panel, order=20)
