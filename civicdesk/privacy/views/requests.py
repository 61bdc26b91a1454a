"""Citizens' requests about their personal data: the commune's list, a new request, one request with what CivicDesk
holds about the person and the actions that carry it out (export, correct, restrict, erase, close)."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core.exports import attachment
from civicdesk.kernel.registry import registry

from .. import export
from ..forms import CloseForm, CorrectForm, RequestForm, add_service_errors
from ..models import READER_ROLES, RequestKind, RequestStep, SubjectRequest
from ..permissions import can_handle
from ..services import requests as services

FILTERS = ("open", "closed", "all")


def require_reader(user):
    if not (user.is_superuser or user.role in READER_ROLES):
        raise PermissionDenied(_("Trang này dành cho công chức, lãnh đạo xã và quản trị cấp tỉnh."))


@login_required
def index(request):
    require_reader(request.user)
    shown = request.GET.get("show", "open")
    shown = shown if shown in FILTERS else "open"
    rows = SubjectRequest.objects.visible_to(request.user).select_related("commune")
    if shown == "open":
        rows = rows.open()
    elif shown == "closed":
        rows = rows.exclude(status__in=SubjectRequest.OPEN)
    context = {
        "rows": rows.order_by(F("due_on").asc(nulls_last=True), "received_at")[:300]
        if shown == "open"
        else rows[:300],
        "show": shown,
        "filters": [("open", _("Đang mở")), ("closed", _("Đã kết thúc")), ("all", _("Tất cả"))],
        "can_record": bool(request.user.commune_id) and can_handle(request.user, request.user.commune_id),
        "handler": bool(request.user.commune_id),
        "today": timezone.localdate(),
    }
    template = "privacy/includes/request_rows.html" if request.htmx else "privacy/requests.html"
    return render(request, template, context)


@login_required
def request_new(request):
    commune = request.user.commune
    if commune is None or not can_handle(request.user, commune.pk):
        raise PermissionDenied(_("Chỉ công chức, lãnh đạo của xã được tiếp nhận yêu cầu về dữ liệu cá nhân."))
    form = RequestForm(request.POST or None, initial={"kind": request.GET.get("kind", RequestKind.EXPORT)})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.record_request(request.user, commune, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tiếp nhận yêu cầu %(ref)s.") % {"ref": created.reference})
            return redirect("privacy:request", pk=created.pk)
    return render(request, "privacy/request_form.html", {"form": form, "commune": commune})


def _request(request, pk):
    require_reader(request.user)
    return get_object_or_404(
        SubjectRequest.objects.visible_to(request.user).select_related("commune", "created_by", "closed_by"),
        pk=pk,
    )


def _shown(value):
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    return "" if value is None else str(value)


def _describe(step):
    """The step's counts in words: which kinds of record, how many, and why some were kept."""
    labels = {key: str(source.label) for key, source in registry.personal_data.items()}
    counts = step.counts or {}
    lines = []
    if step.action == RequestStep.Action.EXPORTED:
        lines += [
            _("%(kind)s: %(n)s bản ghi") % {"kind": labels.get(k, k), "n": n} for k, n in counts.items()
        ]
    elif step.action in (
        RequestStep.Action.RESTRICTED,
        RequestStep.Action.UNRESTRICTED,
        RequestStep.Action.CORRECTED,
    ):
        for key, n in (counts.get("changed") or {}).items():
            lines.append(_("%(kind)s: %(n)s bản ghi đã thay đổi") % {"kind": labels.get(key, key), "n": n})
        for key in counts.get("not_applicable") or ():
            lines.append(_("%(kind)s: không áp dụng cho loại bản ghi này") % {"kind": labels.get(key, key)})
        if counts.get("fields"):
            names = {"full_name": _("họ tên"), "id_number": _("số CCCD"), "phone": _("số điện thoại")}
            lines.append(
                _("Đã sửa: %(fields)s")
                % {"fields": ", ".join(str(names.get(f, f)) for f in counts["fields"])}
            )
    elif step.action == RequestStep.Action.ERASED:
        for key, row in counts.items():
            line = _("%(kind)s: ẩn danh hóa %(erased)s, giữ lại %(kept)s") % {
                "kind": labels.get(key, key),
                "erased": row.get("erased", 0),
                "kept": row.get("kept", 0),
            }
            if row.get("reasons"):
                line += " — " + " ".join(row["reasons"])
            lines.append(line)
    return lines


def _groups(user, obj):
    """The person's records per kind, each with its checkbox value and whether it starts ticked: only a record
    that holds the person's CCCD does; one found by the phone alone is for the officer to confirm (a family may
    share a phone)."""
    groups = []
    for found in services.held_records(user, obj):
        rows = []
        for record in found.records:
            rows.append(
                {
                    "record": record,
                    "value": f"{found.source.key}|{record.id}",
                    "checked": record.matched_by == "id_number",
                    "fields": [(label, _shown(v)) for label, v in record.fields if _shown(v) != ""],
                    "when": _shown(record.when),
                }
            )
        groups.append({"source": found.source, "rows": rows})
    return groups


def _render(request, obj, *, correct_form=None, close_form=None, status=200):
    handler = can_handle(request.user, obj.commune_id)
    # The person's records are looked up (and the viewing audited) only while there is something to do with them.
    groups = _groups(request.user, obj) if handler and obj.is_open else []
    steps = list(obj.steps.select_related("actor"))
    context = {
        "req": obj,
        "handler": handler,
        "groups": groups,
        "records": sum(len(g["rows"]) for g in groups),
        "phone_only": any(not row["checked"] for g in groups for row in g["rows"]),
        "steps": [(step, _describe(step)) for step in steps],
        "correct_form": correct_form or CorrectForm(),
        "close_form": close_form or CloseForm(),
        "kinds": RequestKind,
        # What Enter in the correction's fields does; the other buttons name their own action.
        "default_action": "correct" if obj.kind == RequestKind.CORRECT else "export_xlsx",
    }
    return render(request, "privacy/request_detail.html", context, status=status)


@login_required
def request_detail(request, pk):
    return _render(request, _request(request, pk))


ACTIONS = ("export_json", "export_xlsx", "restrict", "unrestrict", "correct", "erase", "complete", "refuse")


@login_required
@require_POST
def request_action(request, pk, action):
    obj = _request(request, pk)
    if action not in ACTIONS:
        raise Http404
    if not can_handle(request.user, obj.commune_id):
        raise PermissionDenied(_("Chỉ công chức, lãnh đạo của xã được thực hiện yêu cầu này."))
    selected = request.POST.getlist("records")
    try:
        if action.startswith("export_"):
            fmt = action.removeprefix("export_")
            found = services.selected_records(request.user, obj, selected)
            content = export.as_json(obj, found) if fmt == "json" else export.as_xlsx(obj, found)
            services.record_export(request.user, obj, found, fmt)
            content_type = "application/json; charset=utf-8" if fmt == "json" else export.XLSX
            return attachment(HttpResponse(content, content_type=content_type), export.filename(obj, fmt))
        if action in ("restrict", "unrestrict"):
            counts = services.restrict(request.user, obj, selected, restricted=action == "restrict")
            messages.success(request, _("Đã cập nhật %(n)s bản ghi.") % {"n": sum(counts.values())})
        elif action == "correct":
            form = CorrectForm(request.POST)
            if not form.is_valid():
                return _render(request, obj, correct_form=form, status=422)
            try:
                counts = services.correct(
                    request.user, obj, selected, form.cleaned_data, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return _render(request, obj, correct_form=form, status=422)
            messages.success(request, _("Đã sửa %(n)s bản ghi.") % {"n": sum(counts.values())})
        elif action == "erase":
            results = services.erase(request.user, obj, selected)
            erased = sum(r.erased for r in results.values())
            kept = sum(len(r.kept) for r in results.values())
            messages.success(
                request,
                _(
                    "Đã ẩn danh hóa %(erased)s bản ghi; giữ lại %(kept)s bản ghi (xem lý do trong các bước đã làm)."
                )
                % {"erased": erased, "kept": kept},
            )
        else:
            form = CloseForm(request.POST)
            if not form.is_valid():
                return _render(request, obj, close_form=form, status=422)
            services.close(
                request.user, obj, outcome=form.cleaned_data["outcome"], refused=action == "refuse"
            )
            messages.success(request, _("Đã kết thúc yêu cầu %(ref)s.") % {"ref": obj.reference})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("privacy:request", pk=obj.pk)
