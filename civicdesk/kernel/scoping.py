"""Who may see what: one rule, expressed as a Q object that each app's `visible_to(user)` QuerySet method uses.

Commune roles (leader, officer, volunteer, mobile team) see their own commune's records; a department expert sees
their department's records (or, for records that belong to no department, the province's); province roles see
the whole province; a superuser sees everything; anyone else sees nothing.
"""

from django.db.models import Q

from .roles import COMMUNE_ROLES, DEPARTMENT_ROLES, PROVINCE_ROLES, Role

NOTHING = Q(pk__in=[])


def _lookup(path):
    return "pk" if path == "" else path


def scope_filter(user, *, commune=None, province=None, department=None):
    """Return a Q for the records `user` may see.

    Each argument is the lookup path from the model to its commune, province or department ("" when the model
    *is* that unit, None when it has no such link).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    role = user.role
    if role in COMMUNE_ROLES:
        if commune is None or user.commune_id is None:
            return NOTHING
        return Q(**{_lookup(commune): user.commune_id})
    if role in DEPARTMENT_ROLES:
        if department is not None:
            if user.department_id is None:
                return NOTHING
            return Q(**{_lookup(department): user.department_id})
        role_scope = "province"
    else:
        role_scope = "province" if role in PROVINCE_ROLES else None
    if role_scope == "province" and province is not None and user.province_id is not None:
        return Q(**{_lookup(province): user.province_id})
    return NOTHING


def can_manage_commune(user, commune):
    """Whether `user` may edit the workspace data (hamlets, coordinates) of `commune`."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role == Role.PROVINCE_ADMIN:
        return user.province_id == commune.province_id
    if user.role in (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER):
        return user.commune_id == commune.pk
    return False
