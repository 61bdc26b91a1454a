"""The audit log's port, for the layer under core.

The log itself (`core.AuditEvent`, whose actor is a `core.User`) lives in core, which sits above geo. geo's writes
(coordinates, hamlets) still record who changed what: through `record()` here, which core plugs its own
`civicdesk.core.audit.record` into when it starts (`CoreConfig.ready`). Above core, apps use `civicdesk.core.audit`,
which offers the same `record`, `diff` and `Action` and the log's reads.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Tạo")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    VIEW = "view", _("Xem dữ liệu cá nhân")
    TRANSITION = "transition", _("Chuyển trạng thái")
    IMPORT = "import", _("Nhập dữ liệu")
    EXPORT = "export", _("Xuất dữ liệu")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    TOKEN = "token", _("Mã truy cập API")


_recorder = None


def install(recorder):
    """Core's `record(actor, action, obj=None, **details)` becomes the one this port calls."""
    global _recorder
    _recorder = recorder


def record(actor, action, obj=None, **details):
    """Append one event to the audit log (see `civicdesk.core.audit.record`)."""
    if _recorder is None:
        # A write that must be audited is refused rather than done unaudited.
        raise ImproperlyConfigured("No audit log is installed: civicdesk.core must be in INSTALLED_APPS.")
    return _recorder(actor, action, obj, **details)


def diff(instance, data, fields):
    """Apply `data` to `instance` for `fields`, returning {field: [old, new]} for what changed."""
    changes = {}
    for field in fields:
        if field not in data:
            continue
        old, new = getattr(instance, field), data[field]
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(instance, field, new)
    return changes


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
