"""Who may do what with volunteers. Rows a user may see are the models' `visible_to`; these decide the 403s for the
services, the views and the API alike. A system actor (kernel.actors) passes.

The commune's officers and leaders coordinate (templates, shifts, the roster, approvals, no-shows); a volunteer
manages their own bookings and logs the citizens they help; the province admin may do what a coordinator does.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.roles import Role

COORDINATOR_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER})


def _active(user):
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_coordinate(user, commune):
    if is_system(user):
        return True
    if commune is None or not _active(user):
        return False
    if user.is_superuser or (user.role == Role.PROVINCE_ADMIN and user.province_id == commune.province_id):
        return True
    return user.role in COORDINATOR_ROLES and user.commune_id == commune.pk


def is_self(user, volunteer):
    return _active(user) and volunteer.person.user_id == user.pk


def require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def require_coordinate(user, commune):
    require(
        can_coordinate(user, commune), _("Chỉ cán bộ, lãnh đạo của xã điều phối tình nguyện viên của xã.")
    )


def require_self_or_coordinate(user, volunteer):
    require(
        is_self(user, volunteer) or can_coordinate(user, volunteer.person.commune),
        _("Bạn chỉ làm việc này cho chính mình."),
    )
