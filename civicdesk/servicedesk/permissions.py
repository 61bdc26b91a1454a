"""Who may do what in the service desk: receive, process, see applicants' personal data. Visibility of rows is
`Dossier.objects.visible_to`; these decide the 403s, for the services, the views and the API alike."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import INTAKE_ROLES, PERSONAL_DATA_ROLES, PROCESSING_ROLES


def _in_commune(user, commune_id, roles):
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in roles
        and user.commune_id is not None
        and user.commune_id == commune_id
    )


def can_receive(user, commune_id):
    """Officers, leaders, volunteers and mobile-team members of the commune receive dossiers."""
    return _in_commune(user, commune_id, INTAKE_ROLES)


def can_process(user, dossier):
    """Only the commune's officers and leaders move a dossier through processing."""
    return _in_commune(user, dossier.commune_id, PROCESSING_ROLES)


def can_see_personal_data(user, dossier_or_commune_id):
    """CCCD, phone and name of applicants: the commune's own officers and leaders only."""
    commune_id = getattr(dossier_or_commune_id, "commune_id", dossier_or_commune_id)
    return _in_commune(user, commune_id, PERSONAL_DATA_ROLES)


def require_receive(user, commune_id):
    if not can_receive(user, commune_id):
        raise PermissionDenied(
            _("Chỉ cán bộ, tình nguyện viên hoặc tổ lưu động của xã được tiếp nhận hồ sơ.")
        )


def require_process(user, dossier):
    if not can_process(user, dossier):
        raise PermissionDenied(_("Chỉ công chức, lãnh đạo của xã được xử lý hồ sơ này."))
