"""Who may do what in staffing.

Only the Home Affairs planner and the province admin see and change the planning data (capacity, gap weights,
needs, the staff pool, quotas, plans) of their province. A secondment is seen by the planners of its province,
by the leader of the commune it goes to, and by the seconded person themselves (when they have an account);
everybody else is refused.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.roles import Role
from civicdesk.kernel.scoping import NOTHING, scope_filter

PLANNER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.HOME_AFFAIRS_PLANNER})


def is_planner(user, province=None):
    """Whether `user` plans secondments (for `province` when given)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role not in PLANNER_ROLES or user.province_id is None:
        return False
    return province is None or getattr(province, "pk", province) == user.province_id


def require_planner(user, province=None):
    """Refuse anyone but a planner of `province`, or the system (`kernel.actors.system`: demo loader, commands)."""
    if not is_system(user) and not is_planner(user, province):
        raise PermissionDenied(
            _("Chỉ Sở Nội vụ (và quản trị cấp tỉnh) được lập, chạy và phê duyệt phương án.")
        )


def planning_scope(user, province):
    """Q over a planning model whose province is reached by the lookup path `province`."""
    if not is_planner(user):
        return NOTHING
    return scope_filter(user, province=province)


def secondment_scope(user, *, commune="commune", province="commune__province", staff_user="staff__user"):
    """Q for secondments (or records hanging off one): planners, the host commune's leader, the secondee."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if is_planner(user):
        return scope_filter(user, province=province)
    q = Q(**{staff_user: user.pk})
    if user.role == Role.COMMUNE_LEADER and user.commune_id:
        q |= Q(**{commune: user.commune_id})
    return q


def is_host_leader(user, secondment):
    return (
        user.is_authenticated
        and user.role == Role.COMMUNE_LEADER
        and user.commune_id is not None
        and user.commune_id == secondment.commune_id
    )


def is_secondee(user, secondment):
    return (
        user.is_authenticated and secondment.staff.user_id is not None and secondment.staff.user_id == user.pk
    )
