"""Who may estimate an initiative's impact: the province admin and the Home Affairs planners, of their province.

The figures are commune KPIs (no personal data), but comparing communes and judging initiatives is the
province's work; commune roles, department experts and hotline operators have their own KPI pages instead.
"""

from django.db.models import Q

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.roles import Role
from civicdesk.kernel.scoping import NOTHING

ROLES = frozenset({Role.PROVINCE_ADMIN, Role.HOME_AFFAIRS_PLANNER})


def can_estimate(user, province):
    if is_system(user):  # the benchmark, a command
        return province is not None
    if not user.is_authenticated or not user.is_active or province is None:
        return False
    if user.is_superuser:
        return True
    return user.role in ROLES and user.province_id == province.pk


def estimate_scope(user):
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    if user.role in ROLES and user.province_id is not None:
        return Q(province_id=user.province_id)
    return NOTHING
