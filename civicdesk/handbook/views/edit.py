"""Editing the handbook: the editor's queue, create/edit forms, workflow buttons, history and diffs, import/export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import audit
from civicdesk.core.models import AuditEvent, User

from .. import national_codes, permissions, queries, services
from ..diffs import field_diffs
from ..forms import (
    FORMS,
    ComponentFormSet,
    ImportForm,
    ReturnForm,
    SectionFormSet,
    components_data,
    method_forms,
    methods_data,
    sections_data,
)
from ..records import get_model, record_data, revisions_of, working_data
from ..schema import KEY_FIELD


def _record(request, kind, key):
    model = get_model(kind)
    qs = model.objects.visible_to(request.user).select_related("department", "pending_revision")
    return get_object_or_404(qs, **{KEY_FIELD[kind]: key})


def _require_editor(user):
    if not permissions.is_editor(user):
        raise PermissionDenied(_("Chỉ chuyên viên sở, ngành và quản trị cấp tỉnh biên tập cẩm nang."))


@login_required
def queue(request):
    _require_editor(request.user)
    context = {
        "queue": queries.editor_queue(request.user),
        "missing_codes": national_codes.missing(request.user).count(),
    }
    return render(request, "handbook/queue.html", context)


def _bind(request, kind, data, bound):
    """The main form and the sub-forms of a kind, bound to POST or filled from `data`."""
    user = request.user
    options = {"can_choose_department": user.is_province_admin, "province_id": user.province_id}
    form_class = FORMS[kind]
    post = request.POST if bound else None
    form = form_class(post, initial=form_class.initial_from(data), **options)
    parts = {}
    if kind == "procedure":
        parts["methods"] = method_forms(post, data.get("methods") or [])
        parts["components"] = ComponentFormSet(post, prefix="c", initial=data.get("components") or None)
    elif kind == "guide":
        parts["sections"] = SectionFormSet(post, prefix="s", initial=data.get("sections") or None)
    return form, parts


def _valid(form, parts):
    valid = form.is_valid()
    for part in parts.values():
        for sub in part if isinstance(part, list) else [part]:
            valid = sub.is_valid() and valid
    return valid


def _data(kind, form, parts):
    data = form.to_data()
    if kind == "procedure":
        data["methods"] = methods_data(parts["methods"])
        data["components"] = components_data(parts["components"])
    elif kind == "guide":
        data["sections"] = sections_data(parts["sections"])
    return data


def _attach_errors(form, exc):
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        for message in errors:
            if field in form.fields:
                form.add_error(field, message)
            else:
                label = field if field == "__all__" else f"{field}: "
                form.add_error(None, message if field == "__all__" else label + message)


@login_required
def edit(request, kind, key=None):
    record = _record(request, kind, key) if key is not None else None
    user = request.user
    if record is None:
        _require_editor(user)
        data = {"kind": kind}
    else:
        if not permissions.can_edit(user, record):
            raise PermissionDenied(
                _("Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được sửa.")
            )
        data = working_data(record)
    form, parts = _bind(request, kind, data, bound=request.method == "POST")
    status = 200
    if request.method == "POST":
        if _valid(form, parts):
            try:
                saved = services.save_record(
                    user, record, _data(kind, form, parts), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                _attach_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu. Khi sẵn sàng, hãy gửi duyệt."))
                return redirect(saved.get_absolute_url())
        status = 400
    context = {"kind": kind, "record": record, "form": form, **parts}
    return render(request, "handbook/edit.html", context, status=status)


@login_required
@require_POST
def transition(request, kind, key, action):
    record = _record(request, kind, key)
    user = request.user
    try:
        if action == "submit":
            reviewer = None
            if request.POST.get("reviewer"):
                reviewer = get_object_or_404(User, pk=request.POST["reviewer"], is_active=True)
            services.submit_for_review(user, record, reviewer=reviewer)
            messages.success(request, _("Đã gửi duyệt."))
        elif action == "publish":
            services.publish(user, record)
            messages.success(request, _("Đã công bố."))
        elif action == "return":
            form = ReturnForm(request.POST)
            services.return_to_draft(user, record, form.data.get("reason", ""))
            messages.success(request, _("Đã trả về bản nháp."))
        elif action == "archive":
            services.archive(user, record)
            messages.success(request, _("Đã lưu trữ."))
        elif action == "verify":
            services.mark_verified(user, record)
            messages.success(request, _("Đã xác nhận kiểm chứng hôm nay."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(record.get_absolute_url())
    return redirect(record.get_absolute_url())


def _require_history(user, record):
    if not (permissions.can_edit(user, record) or permissions.can_review(user, record)):
        raise PermissionDenied(_("Lịch sử phiên bản dành cho người biên tập và người duyệt."))


@login_required
def history(request, kind, key):
    record = _record(request, kind, key)
    _require_history(request.user, record)
    events = AuditEvent.objects.filter(
        object_type=record._meta.label_lower, object_id=str(record.pk)
    ).exclude(action=AuditEvent.Action.VIEW)[:200]
    context = {
        "record": record,
        "kind": kind,
        "revisions": revisions_of(record).order_by("-number"),
        "events": events,
    }
    return render(request, "handbook/history.html", context)


@login_required
def revision(request, kind, key, number):
    record = _record(request, kind, key)
    _require_history(request.user, record)
    revisions = revisions_of(record)
    current = get_object_or_404(revisions, number=number)
    against = request.GET.get("against", "")
    if against == "live":
        base, base_label = record_data(record), _("bản đang hiển thị")
    else:
        base_rev = revisions.filter(number__lt=number).order_by("-number").first()
        if against.isdigit():
            base_rev = get_object_or_404(revisions, number=int(against))
        base = base_rev.data if base_rev else {}
        base_label = f"#{base_rev.number}" if base_rev else _("(trống)")
    context = {
        "record": record,
        "kind": kind,
        "revision": current,
        "base_label": base_label,
        "diffs": field_diffs(base, current.data),
        "can_restore": permissions.can_edit(request.user, record)
        and record.status != record.Status.ARCHIVED
        and current.data != working_data(record),
    }
    return render(request, "handbook/revision.html", context)


@login_required
@require_POST
def restore(request, kind, key, number):
    record = _record(request, kind, key)
    revision = get_object_or_404(revisions_of(record), number=number)
    try:
        services.restore_revision(request.user, revision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã khôi phục phiên bản #%(n)s; hãy gửi duyệt để công bố.") % {"n": number}
        )
    return redirect("handbook:history", kind=kind, key=key)


@login_required
def import_view(request):
    """Upload a file: it is checked at once (errors by line and field); if valid, a background job writes it."""
    user = request.user
    _require_editor(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        name, text = form.cleaned_data["file"]
        report, job = services.start_import(user, text, source_name=name)
        if job is not None:
            return redirect("job_detail", job_id=job.pk)
    status = 400 if report is not None and not report.ok else 200
    return render(request, "handbook/import.html", {"form": form, "report": report}, status=status)


@login_required
def export_view(request):
    """Download the published handbook (jsonl for indexes, json for a re-importable copy)."""
    _require_editor(request.user)
    fmt = request.GET.get("format", "jsonl")
    if fmt not in ("jsonl", "json"):
        raise Http404
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="handbook.content",
        object_repr=f"handbook export {fmt}",
    )
    response = StreamingHttpResponse(
        services.export_records(fmt),
        content_type="application/x-ndjson; charset=utf-8"
        if fmt == "jsonl"
        else "application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="cam-nang-{stamp}.{fmt}"'
    return response
