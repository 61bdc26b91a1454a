"""The append-only audit log: `record()` is the only way in.

Call it from services (who changed what) and from views that show personal data (who viewed it). It never raises
into the caller's flow for lack of a request; the IP comes from the current request when there is one.
"""

from .clients import client_ip
from .middleware import current_request
from .models import AuditEvent

Action = AuditEvent.Action


def _client_ip(request):
    return client_ip(request) or None


def record(actor, action, obj=None, *, changes=None, reason="", object_type="", object_id="", object_repr=""):
    """Append one event. `obj` is a model instance (type, id and repr are taken from it)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=(actor.get_full_name() if actor else "")[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:200],
        changes=changes or {},
        reason=reason[:255],
        ip=_client_ip(current_request()),
    )


def record_view(actor, obj, *, fields, reason=""):
    """Log that `actor` was shown the personal data `fields` of `obj`."""
    return record(actor, Action.VIEW, obj, changes={"fields": list(fields)}, reason=reason)


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
