"""Every write in the core domain: people, departments, working groups, calendar days, API tokens."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.kernel.roles import Role

from . import audit
from .models import ApiToken, CalendarDay, Department, User, WorkingGroup
from .models.tokens import hash_token
from .permissions import can_manage_token, require_admin


@transaction.atomic
def create_user(
    actor,
    *,
    username,
    full_name,
    role,
    password=None,
    commune=None,
    department=None,
    province=None,
    phone="",
    email="",
    position="",
):
    """Create an account (a province administrator, or the system: the demo loader, `civicdesk` commands)."""
    require_admin(actor)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        commune=commune,
        department=department,
        province=province,
        phone=phone,
        email=email,
        position=position,
    )
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor, audit.Action.CREATE, user, changes={"role": role, "username": username})
    return user


@transaction.atomic
def upsert_department(actor, *, province, code, name, short_name="", email="", phone=""):
    require_admin(actor)
    dept, created = Department.objects.update_or_create(
        province=province,
        code=code,
        defaults={"name": name, "short_name": short_name, "email": email, "phone": phone},
    )
    if created:
        audit.record(actor, audit.Action.CREATE, dept)
    return dept


@transaction.atomic
def upsert_working_group(actor, *, province, code, name, purpose="", departments=(), leader=None, members=()):
    require_admin(actor)
    group, created = WorkingGroup.objects.update_or_create(
        province=province, code=code, defaults={"name": name, "purpose": purpose, "leader": leader}
    )
    group.departments.set(departments)
    if members:
        group.members.set(members)
    if created:
        audit.record(actor, audit.Action.CREATE, group)
    return group


@transaction.atomic
def set_calendar_day(actor, *, day, kind, note=""):
    """Declare a working-day swap or an extra day off (replacing any earlier entry for that date)."""
    require_admin(actor)
    if kind not in CalendarDay.Kind.values:
        raise ValidationError(_("Loại ngày không hợp lệ."))
    entry, _created = CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "note": note})
    audit.record(actor, audit.Action.UPDATE, entry, changes={"kind": kind, "note": note})
    return entry


@transaction.atomic
def remove_calendar_day(actor, *, day):
    require_admin(actor)
    for entry in CalendarDay.objects.filter(date=day):
        audit.record(actor, audit.Action.DELETE, entry)
        entry.delete()


@transaction.atomic
def issue_api_token(actor, user, *, name="cli"):
    """Create a token for `user` and return (token record, clear value). The clear value is never stored."""
    if not can_manage_token(actor, user):
        raise PermissionDenied(_("Bạn chỉ được tạo mã truy cập cho chính mình."))
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw))
    audit.record(actor, audit.Action.TOKEN, token, changes={"issued_to": user.username, "name": name})
    return token, raw


@transaction.atomic
def revoke_api_token(actor, token):
    if not can_manage_token(actor, token.user):
        raise PermissionDenied(_("Bạn không được thu hồi mã này."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, audit.Action.TOKEN, token, changes={"revoked": True})
    return token


def authenticate_token(raw):
    """The active user a clear token belongs to, or None. Records the last use at most once a minute."""
    if not raw or not raw.startswith("cd_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


__all__ = [
    "Role",
    "authenticate_token",
    "create_user",
    "issue_api_token",
    "remove_calendar_day",
    "revoke_api_token",
    "set_calendar_day",
    "upsert_department",
    "upsert_working_group",
]
