"""Who may do what in language access. Rows a user may see are `Person`/`Accompaniment.objects.visible_to`; these
decide the 403s, for the services, the views and the API alike. A system actor (kernel.actors) passes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.roles import Role

# The commune's own staff keep its register of speakers and citizens and assign the visits.
COORDINATOR_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER})
# Who may ask for a speaker: the commune's staff, and those who meet citizens for it (volunteers, mobile team).
REQUEST_ROLES = COORDINATOR_ROLES | {Role.VOLUNTEER, Role.MOBILE_TEAM}
PROVINCE_COORDINATORS = frozenset({Role.PROVINCE_ADMIN})
# The hotline's operators ask on behalf of a commune that phoned in.
PROVINCE_REQUESTERS = PROVINCE_COORDINATORS | {Role.HOTLINE_OPERATOR}


def _active(user):
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _commune_role(user, commune_id, roles):
    return (
        _active(user) and user.role in roles and user.commune_id is not None and user.commune_id == commune_id
    )


def _province_role(user, province_id, roles):
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return user.role in roles and user.province_id is not None and user.province_id == province_id


def can_manage_people(user, commune):
    """Keep the commune's register of people and their languages."""
    if is_system(user):
        return True
    if commune is None:
        return False
    return _commune_role(user, commune.pk, COORDINATOR_ROLES) or _province_role(
        user, commune.province_id, PROVINCE_COORDINATORS
    )


def can_manage_pool_person(user, province_id):
    """The provincial pool's people: the province admin and the Home Affairs planner (through staffing)."""
    return is_system(user) or _province_role(
        user, province_id, PROVINCE_COORDINATORS | {Role.HOME_AFFAIRS_PLANNER}
    )


def can_edit_person(user, person):
    if person.commune_id is None:
        return can_manage_pool_person(user, person.province_id)
    if can_manage_people(user, person.commune):
        return True
    # Everyone may keep their own languages up to date.
    return _active(user) and person.user_id is not None and person.user_id == user.pk


def can_see_personal_data(user, commune_id):
    """Citizens' phone, CCCD and address: the commune's officers and leaders only."""
    return is_system(user) or _commune_role(user, commune_id, COORDINATOR_ROLES)


def can_request(user, commune):
    if is_system(user):
        return True
    return _commune_role(user, commune.pk, REQUEST_ROLES) or _province_role(
        user, commune.province_id, PROVINCE_REQUESTERS
    )


def can_assign(user, commune):
    if is_system(user):
        return True
    return _commune_role(user, commune.pk, COORDINATOR_ROLES) or _province_role(
        user, commune.province_id, PROVINCE_COORDINATORS
    )


def can_answer_for(user, accompaniment):
    """Accept, decline or record the visit: the person assigned, or a coordinator of the commune for them."""
    if can_assign(user, accompaniment.commune):
        return True
    assignee = accompaniment.assignee
    return _active(user) and assignee is not None and assignee.user_id == user.pk


def require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def require_manage_people(user, commune):
    require(can_manage_people(user, commune), _("Chỉ cán bộ, lãnh đạo của xã được cập nhật danh sách này."))


def require_edit_person(user, person):
    require(can_edit_person(user, person), _("Bạn không được sửa thông tin của người này."))


def require_request(user, commune):
    require(can_request(user, commune), _("Bạn không được đề nghị người đi cùng cho xã này."))


def require_assign(user, commune):
    require(can_assign(user, commune), _("Chỉ cán bộ, lãnh đạo của xã được phân công người đi cùng."))


def require_answer_for(user, accompaniment):
    require(
        can_answer_for(user, accompaniment),
        _("Chỉ người được phân công hoặc cán bộ điều phối của xã được cập nhật chuyến đi này."),
    )
