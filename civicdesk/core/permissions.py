"""Who may change the platform's own records: people, departments, working groups, the calendar, API tokens.

Visibility of rows is in the QuerySets (`kernel.scoping`); these decide the 403s of core's services. The system
(`kernel.actors.system(name)`: the demo loader, a management command) may do all of it; None is refused.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import is_system


def can_administer(actor):
    """Province administrators (and the system) manage accounts, departments, groups and the calendar."""
    return is_system(actor) or bool(actor.is_authenticated and actor.is_active and actor.is_province_admin)


def require_admin(actor):
    if not can_administer(actor):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh được thực hiện thao tác này."))


def can_manage_token(actor, holder):
    """A token is issued or revoked by the person it belongs to, or by a province administrator."""
    return can_administer(actor) or (actor.is_authenticated and actor.pk == holder.pk)
