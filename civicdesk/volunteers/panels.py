"""The volunteers' menu entry (`register()`, from apps.py): the commune's roster for coordinators, "my shifts" for
a volunteer."""

from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import Role

COORDINATORS = {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.PROVINCE_ADMIN}


def register():
    registry.add_nav(_("Tình nguyện viên"), "volunteers:index", roles=COORDINATORS, order=43)
    registry.add_nav(_("Ca trực của tôi"), "volunteers:mine", roles={Role.VOLUNTEER}, order=43)
