"""The verification queue by department and a record's review page (docs/handbook.md, "Verification queue")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import legal_changes, legal_texts, permissions, review, services
from ..legal_forms import ReviewForm
from ..models import Guide, Procedure
from ..records import get_model
from ..schema import KEY_FIELD
from .edit import _require_editor
from .reader import procedure_context

PAGE_SIZE = 50
KIND_CHOICES = [
    ("procedure", Procedure._meta.verbose_name_plural),
    ("guide", Guide._meta.verbose_name_plural),
    ("faq", _("hỏi đáp")),
]


@login_required
def queue(request):
    """Records needing verification, by department: an expert's own; a province admin chooses (default: all)."""
    user = request.user
    _require_editor(user)
    department = review.chosen_department(user, request.GET.get("department", ""))
    kind = request.GET.get("kind", "")
    flagged_only = request.GET.get("flagged") == "1"
    rows = review.queue(user, department=department, kind=kind, flagged_only=flagged_only)
    counts = review.counts_by_department(user)
    choosing = user.is_superuser or user.is_province_admin
    departments = [(d, counts.get(d.pk, 0)) for d in review.departments_for(user)] if choosing else []
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "department": department,
        "department_value": department if isinstance(department, str) else department.code,
        "departments": departments,
        "no_department_count": counts.get(None, 0),
        "total": sum(counts.values()),
        "choosing": choosing,
        "kind": kind if kind in review.MODELS else "",
        "kinds": KIND_CHOICES,
        "flagged_only": flagged_only,
        "ALL": review.ALL,
        "NO_DEPARTMENT": review.NO_DEPARTMENT,
    }
    template = "handbook/includes/review_rows.html" if request.htmx else "handbook/review_queue.html"
    return render(request, template, context)


def _record(request, kind, key):
    qs = get_model(kind).objects.visible_to(request.user)
    qs = qs.select_related("department", "pending_revision", "verified_by")
    return get_object_or_404(qs, **{KEY_FIELD[kind]: key})


def _next_url(request, default):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def review_context(request, record, *, form=None):
    user = request.user
    context = (
        procedure_context(record, user)
        if record.kind == "procedure"
        else {"record": record, record.kind: record}
    )
    context.update(
        {
            "cited": legal_texts.cited_texts(record),
            "legal_flags": legal_changes.open_flags(record),
            "can_review": permissions.can_review(user, record) and record.status != record.Status.ARCHIVED,
            "review_form": form or ReviewForm(),
            "next": _next_url(request, ""),
            "back": _next_url(request, _queue_url(record)),
            "pending": record.pending_revision if record.pending_revision_id else None,
        }
    )
    return context


@login_required
def record_review(request, kind, key):
    """The record beside what it cites (legal texts and their state, its source and verification note); POST
    `action` = verified ("Đã kiểm chứng") or changes ("Cần sửa"), each with a note."""
    user = request.user
    _require_editor(user)
    record = _record(request, kind, key)
    form = None
    if request.method == "POST":
        form = ReviewForm(request.POST)
        action = request.POST.get("action")
        if form.is_valid() and action in ("verified", "changes"):
            note = form.cleaned_data["note"]
            try:
                if action == "verified":
                    services.verify_reviewed(user, record, note)
                    messages.success(
                        request, _("Đã ghi nhận kiểm chứng: %(title)s.") % {"title": record.title}
                    )
                else:
                    services.request_changes(user, record, note)
                    messages.success(request, _("Đã ghi nhận cần sửa: %(title)s.") % {"title": record.title})
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                return redirect(_next_url(request, _queue_url(record)))
        elif action not in ("verified", "changes"):
            form.add_error(None, _("Hãy chọn “Đã kiểm chứng” hoặc “Cần sửa”."))
        context = review_context(request, record, form=form)
        return render(request, "handbook/review_record.html", context, status=400)
    return render(request, "handbook/review_record.html", review_context(request, record))


def _queue_url(record):
    url = reverse("handbook:review")
    return f"{url}?department={record.department.code}" if record.department_id else url
