"""The append-only audit log: `record()` is the only way in.

Call it from services (who changed what) and from views that show personal data (who viewed it). It never raises
into the caller's flow for lack of a request; the IP comes from the current request when there is one. geo, under
core, records through the kernel's port (`civicdesk.kernel.audit`), which `CoreConfig.ready` connects to `record`.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.actors import person
from civicdesk.kernel.audit import Action, diff

from .clients import client_ip
from .middleware import current_request
from .models import AuditEvent

__all__ = ["Action", "diff", "events_for", "record", "record_view", "transitions", "type_label"]


def _client_ip(request):
    return client_ip(request) or None


def record(actor, action, obj=None, *, changes=None, reason="", object_type="", object_id="", object_repr=""):
    """Append one event. `obj` is a model instance (type, id and repr are taken from it); `action` is an `Action`
    (a new kind of write says what it did in `changes`, not in a new action name)."""
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}: use one of {', '.join(Action.values)}.")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    # A person is linked; the system is recorded by its name ("Hệ thống (demo)"); a citizen (anonymous) by neither.
    name = actor.get_full_name() if actor is not None and getattr(actor, "is_authenticated", False) else ""
    return AuditEvent.objects.create(
        actor=person(actor) if name else None,
        actor_name=str(name)[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:200],
        changes=changes or {},
        reason=reason[:255],
        ip=_client_ip(current_request()),
    )


def record_pseudonymised(actor, object_type, ids, *, reason="", **extra):
    """One event for a batch of records whose personal fields were pseudonymised: how many and which ids (with any
    `extra` counts), never a personal value. Nothing is written for an empty batch."""
    if not ids:
        return None
    return record(
        actor,
        Action.UPDATE,
        object_type=object_type,
        object_repr=str(_("%(count)s bản ghi") % {"count": len(ids)}),
        changes={"pseudonymised": len(ids), **extra, "ids": list(ids)},
        reason=reason,
    )


def record_view(actor, obj, *, fields, reason=""):
    """Log that `actor` was shown the personal data `fields` of `obj`."""
    return record(actor, Action.VIEW, obj, changes={"fields": list(fields)}, reason=reason)


# Pseudo object types recorded by services that touch no single model.
PSEUDO_TYPES = {
    "auth.login": _("Đăng nhập"),
    "core.backup": _("Bản sao lưu toàn bộ dữ liệu"),
    "handbook.content": _("Nội dung cẩm nang"),
    "servicedesk.kpi": _("Báo cáo chỉ số phục vụ"),
    "servicedesk.scorecard": _("Bảng điểm Quyết định 766"),
}


def type_label(object_type):
    """A Vietnamese name for an object type ("hotline.ticket" → "câu hỏi đường dây nóng"), else the type itself."""
    if object_type in PSEUDO_TYPES:
        return str(PSEUDO_TYPES[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()


def _state_label(object_type, field_name, value):
    try:
        field = apps.get_model(object_type)._meta.get_field(field_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return str(value)
    return str(dict(field.flatchoices).get(value, value)) if field.choices else str(value)


def transitions(event):
    """[(field label, from, to)] of a transition's changes recorded as {"status": [old, new]}, in labels."""
    out = []
    for name, value in (event.changes or {}).items():
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, str | int | None) for v in value)
        ):
            try:
                label = str(apps.get_model(event.object_type)._meta.get_field(name).verbose_name)
            except (LookupError, ValueError, FieldDoesNotExist):
                label = name
            old, new = (
                _state_label(event.object_type, name, v) if v not in (None, "") else "—" for v in value
            )
            out.append((label, old, new))
    return out


def events_for(user, *, date_from=None, date_to=None, action="", object_type="", actor="", q=""):
    """The audit events `user` may read (`AuditEvent.objects.visible_to`), filtered, newest first."""
    events = AuditEvent.objects.visible_to(user).select_related("actor")
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor:
        events = events.filter(Q(actor_name__icontains=actor) | Q(actor__username__icontains=actor))
    if q:
        events = events.filter(Q(object_repr__icontains=q) | Q(object_id=q) | Q(reason__icontains=q))
    return events
