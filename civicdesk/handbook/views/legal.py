"""Legal texts (docs/handbook.md, "Legal texts and changes of law"): the catalogue, one text with the records citing
it, marking it superseded, and the bulk "still right" confirmation of its flagged records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import legal_changes, legal_texts, permissions, services
from ..legal_forms import LegalTextForm, ReinstateForm, SupersedeForm
from ..models import LegalText
from ..text import fold
from .edit import _attach_errors, _require_editor

PAGE_SIZE = 100


def _get(request, pk):
    return get_object_or_404(
        LegalText.objects.visible_to(request.user).select_related("superseded_by"), pk=pk
    )


def _errors(exc):
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@login_required
def text_list(request):
    """The catalogue, filterable by state, kind and words; each text with its open flags."""
    _require_editor(request.user)
    qs = (
        LegalText.objects.visible_to(request.user)
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("-year", "identifier", "pk")
    )
    status = request.GET.get("status", "")
    if status in LegalText.Status.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in LegalText.Kind.values:
        qs = qs.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        words = fold(query)
        qs = [t for t in qs.select_related("superseded_by") if words in fold(f"{t.identifier} {t.title}")]
    else:
        qs = qs.select_related("superseded_by")
    context = {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "status": status,
        "kind": kind,
        "statuses": LegalText.Status.choices,
        "kinds": LegalText.Kind.choices,
        "can_manage": permissions.can_manage_legal_texts(request.user),
    }
    template = "handbook/includes/legal_text_rows.html" if request.htmx else "handbook/legal_texts.html"
    return render(request, template, context)


@login_required
@require_POST
def build(request):
    """Add the texts the handbook cites that the catalogue lacks."""
    report = services.build_legal_catalogue(request.user)
    messages.success(
        request,
        ngettext(
            "Đã đọc %(found)s văn bản được trích dẫn; thêm %(n)s văn bản mới vào danh mục.",
            "Đã đọc %(found)s văn bản được trích dẫn; thêm %(n)s văn bản mới vào danh mục.",
            len(report.created),
        )
        % {"found": len(report.found), "n": len(report.created)},
    )
    return redirect("handbook:legal_texts")


@login_required
def edit(request, pk=None):
    """Add (no `pk`) or change a catalogue entry."""
    user = request.user
    _require_editor(user)
    legal_text = _get(request, pk) if pk is not None else None
    initial = LegalTextForm.initial_from(legal_text) if legal_text else {}
    form = LegalTextForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_legal_text(user, legal_text, form.cleaned_data)
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu văn bản."))
                return redirect(saved.get_absolute_url())
        status = 400
    return render(
        request, "handbook/legal_text_edit.html", {"form": form, "legal_text": legal_text}, status=status
    )


def detail_context(request, legal_text, *, supersede_form=None, reinstate_form=None):
    user = request.user
    citing = legal_texts.citing_records(legal_text, user)
    citing.sort(key=lambda r: (r.department.name if r.department else "~", r.kind, str(r.title)))
    rows = legal_changes.flag_rows(legal_text, user)
    return {
        "legal_text": legal_text,
        "citing": citing,
        "rows": rows,
        "open_rows": [row for row in rows if row.flag.is_open],
        "confirmable": [row for row in rows if row.can_confirm],
        "supersedes": list(legal_text.supersedes.all()),
        "can_manage": permissions.can_manage_legal_texts(user),
        "supersede_form": supersede_form
        or SupersedeForm(
            initial={"successor": legal_text.superseded_by.identifier if legal_text.superseded_by else ""}
        ),
        "reinstate_form": reinstate_form or ReinstateForm(),
        "identifiers": LegalText.objects.exclude(pk=legal_text.pk).values_list("identifier", flat=True),
    }


@login_required
def detail(request, pk):
    _require_editor(request.user)
    legal_text = _get(request, pk)
    return render(request, "handbook/legal_text.html", detail_context(request, legal_text))


@login_required
@require_POST
def supersede(request, pk):
    """Mark the text superseded (naming its successor when known) and flag every record citing it."""
    user = request.user
    _require_editor(user)
    legal_text = _get(request, pk)
    form = SupersedeForm(request.POST)
    if form.is_valid():
        try:
            report = services.mark_superseded(
                user, legal_text, superseded_by=form.cleaned_data["successor"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Đã ghi nhận văn bản bị thay thế; %(n)s nội dung trích dẫn văn bản được gắn cờ cần kiểm chứng lại.",
                    "Đã ghi nhận văn bản bị thay thế; %(n)s nội dung trích dẫn văn bản được gắn cờ cần kiểm chứng lại.",
                    len(report.flagged),
                )
                % {"n": len(report.flagged)},
            )
            return redirect(legal_text.get_absolute_url())
    context = detail_context(request, legal_text, supersede_form=form)
    return render(request, "handbook/legal_text.html", context, status=400)


@login_required
@require_POST
def reinstate(request, pk):
    user = request.user
    _require_editor(user)
    legal_text = _get(request, pk)
    form = ReinstateForm(request.POST)
    if form.is_valid():
        try:
            services.reinstate(user, legal_text, form.cleaned_data["reason"])
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request, _("Văn bản được ghi nhận lại là còn hiệu lực; các cờ đang mở đã được đóng.")
            )
            return redirect(legal_text.get_absolute_url())
    context = detail_context(request, legal_text, reinstate_form=form)
    return render(request, "handbook/legal_text.html", context, status=400)


@login_required
@require_POST
def confirm(request, pk):
    """ "Vẫn đúng sau khi văn bản thay đổi": the ticked flagged records, unchanged since the flag, in one POST."""
    user = request.user
    _require_editor(user)
    legal_text = _get(request, pk)
    try:
        confirmed = services.confirm_unchanged(
            user, legal_text, request.POST.getlist("flag"), note=request.POST.get("note", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Đã xác nhận %(n)s nội dung vẫn đúng sau khi văn bản thay đổi.",
                "Đã xác nhận %(n)s nội dung vẫn đúng sau khi văn bản thay đổi.",
                len(confirmed),
            )
            % {"n": len(confirmed)},
        )
    return redirect(legal_text.get_absolute_url())
