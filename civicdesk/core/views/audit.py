"""The audit log for the province admin: who did what to which record, with filters and a CSV export."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit, exports
from ..models import AuditEvent

EXPORT_LIMIT = 50_000


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(label=gettext_lazy("Hành động"), required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("Loại đối tượng"), required=False)
    actor = forms.CharField(label=gettext_lazy("Người thực hiện"), required=False, max_length=100)
    q = forms.CharField(label=gettext_lazy("Đối tượng, mã hoặc lý do"), required=False, max_length=100)

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Tất cả")), *AuditEvent.Action.choices]
        self.fields["object_type"].choices = [("", _("Tất cả")), *[(t, audit.type_label(t)) for t in types]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


def _readable(user):
    if not (user.is_superuser or user.is_province_admin):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh xem nhật ký truy vết."))


def _filtered(request):
    types = sorted(
        AuditEvent.objects.visible_to(request.user)
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )
    form = AuditFilterForm(request.GET or None, types=[t for t in types if t])
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = audit.events_for(request.user, **{k: v for k, v in filters.items() if v})
    return form, events


def _rows(events):
    for event in events:
        event.type_label = audit.type_label(event.object_type)
        event.transitions = audit.transitions(event)
        yield event


@login_required
def audit_log(request):
    _readable(request.user)
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = list(_rows(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "core/includes/audit_rows.html" if request.htmx else "core/audit.html"
    return render(request, template, context)


@login_required
def audit_export(request):
    _readable(request.user)
    _form, events = _filtered(request)
    header = [_("Thời điểm"), _("Người thực hiện"), _("Hành động"), _("Loại đối tượng"), _("Mã"), _("Đối tượng"),
              _("Chuyển trạng thái"), _("Lý do"), _("Địa chỉ IP")]  # fmt: skip
    rows = [
        [
            timezone.localtime(e.at),
            e.actor_name or (e.actor.get_full_name() if e.actor else ""),
            e.get_action_display(),
            e.type_label,
            e.object_id,
            e.object_repr,
            "; ".join(f"{label}: {old} → {new}" for label, old, new in e.transitions),
            e.reason,
            e.ip or "",
        ]
        for e in _rows(events[:EXPORT_LIMIT])
    ]  # read before this export is itself recorded
    audit.record(request.user, audit.Action.EXPORT, object_type="core.auditevent", object_repr=_("Nhật ký truy vết (CSV)"),
                 changes={"filters": request.GET.urlencode()[:500]})  # fmt: skip
    return exports.csv_response(
        exports.download_name("nhat-ky-truy-vet", f"{timezone.localdate():%d-%m-%Y}", ext="csv"), header, rows
    )
