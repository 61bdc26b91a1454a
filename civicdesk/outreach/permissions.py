"""Who may do what in outreach. Rows a user may see are the models' `visible_to`; these decide the 403s for the
services, the views and the API alike. A system actor (kernel.actors) passes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.roles import Role

# The commune's staff run its campaigns: define them, import the lists, reserve them to people.
COORDINATOR_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER})
# Who may work a reserved list: the commune's staff and its volunteers.
WORKER_ROLES = COORDINATOR_ROLES | {Role.VOLUNTEER}


def _active(user):
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _province_admin(user, province_id):
    if not _active(user):
        return False
    return user.is_superuser or (user.role == Role.PROVINCE_ADMIN and user.province_id == province_id)


def can_run_commune(user, commune):
    """Create campaigns for `commune`, import its targets, reserve them, see its citizens' contact data."""
    if is_system(user):
        return True
    if commune is None or not _active(user):
        return False
    own = user.role in COORDINATOR_ROLES and user.commune_id == commune.pk
    return own or _province_admin(user, commune.province_id)


def can_manage_campaign(user, campaign):
    if is_system(user):
        return True
    if campaign.commune_id is None:
        return _province_admin(user, campaign.province_id)
    return can_run_commune(user, campaign.commune)


def can_work_target(user, target):
    """Record attempts and send messages: the person it is reserved to, or a coordinator of its commune."""
    if can_run_commune(user, target.commune):
        return True
    return (
        _active(user)
        and user.role in WORKER_ROLES
        and user.commune_id == target.commune_id
        and target.assignee_id == user.pk
    )


def require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def require_run_commune(user, commune):
    require(
        can_run_commune(user, commune), _("Chỉ cán bộ, lãnh đạo của xã được điều hành chiến dịch của xã.")
    )


def require_manage_campaign(user, campaign):
    require(can_manage_campaign(user, campaign), _("Bạn không được sửa chiến dịch này."))


def require_work_target(user, target):
    require(
        can_work_target(user, target),
        _("Người này không nằm trong danh sách được giao cho bạn."),
    )


def can_announce(user, commune):
    """Announce a visit of the commune's mobile team to its hamlets: the commune's staff who run its campaigns, and
    the team's own members (the announcement is the only outreach they start; they see counts, not names)."""
    if is_system(user):
        return True
    if can_run_commune(user, commune):
        return True
    return _active(user) and user.role == Role.MOBILE_TEAM and user.commune_id == commune.pk
