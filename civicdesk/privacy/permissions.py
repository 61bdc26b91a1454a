"""Who may do what with personal data protection. The requests a user may see are
`SubjectRequest.objects.visible_to`; these decide the 403s. A system actor (kernel.actors) passes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.roles import Role

# The commune's officers and leaders take citizens' requests and carry them out: they are the ones who may see the
# commune's records with the citizens' numbers (servicedesk's PERSONAL_DATA_ROLES).
HANDLER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER})


def _active(user):
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_handle(user, commune_id):
    """Record a request of the commune's citizens, search their data, export, correct, restrict, erase."""
    if is_system(user):
        return True
    return (
        _active(user)
        and user.role in HANDLER_ROLES
        and user.commune_id is not None
        and user.commune_id == commune_id
    )


def can_set_retention(user, province_id):
    """The retention periods and the answering deadline are the province's: its admin sets them."""
    if is_system(user):
        return True
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return (
        user.role == Role.PROVINCE_ADMIN and user.province_id is not None and user.province_id == province_id
    )


def can_read_register(user):
    """The record of processing activities describes the system, not people: every official may read it."""
    return _active(user) and (user.is_superuser or user.province_id is not None)


def require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def require_handle(user, commune_id):
    require(
        can_handle(user, commune_id),
        _("Chỉ công chức, lãnh đạo của xã được tiếp nhận và thực hiện yêu cầu về dữ liệu cá nhân."),
    )


def require_set_retention(user, province_id):
    require(can_set_retention(user, province_id), _("Chỉ quản trị cấp tỉnh được đặt thời hạn lưu dữ liệu."))
