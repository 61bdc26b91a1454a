"""National codes (docs/handbook.md, "National codes"): upload the national list, review proposals, missing codes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import national_codes, services
from ..forms import NationalListForm
from ..models import Field, NationalList
from .edit import _require_editor


@login_required
def upload(request):
    """Upload a list: checked whole at once (bad lines named, nothing kept), then its proposals."""
    user = request.user
    _require_editor(user)
    form = NationalListForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        name, data = form.cleaned_data["file"]
        try:
            national_list = services.upload_national_list(user, name, data)
        except national_codes.ListError as exc:
            errors = exc.errors
        else:
            return redirect(national_list.get_absolute_url())
    context = {
        "form": form,
        "errors": errors,
        "lists": NationalList.objects.visible_to(user)[:10],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "handbook/national_upload.html", context, status=status)


@login_required
def national_list(request, pk):
    """The proposals of one uploaded list; POST accepts one (`only`) or the ticked ones (`line`)."""
    user = request.user
    _require_editor(user)
    uploaded = get_object_or_404(NationalList.objects.visible_to(user), pk=pk)
    if request.method == "POST":
        raw = [request.POST["only"]] if request.POST.get("only") else request.POST.getlist("line")
        lines = [int(value) for value in raw if value.isdigit()]
        try:
            accepted = services.accept_national_codes(user, uploaded, lines)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                ngettext(
                    "Đã ghi mã thủ tục quốc gia cho %(n)s thủ tục.",
                    "Đã ghi mã thủ tục quốc gia cho %(n)s thủ tục.",
                    len(accepted),
                )
                % {"n": len(accepted)},
            )
        return redirect(uploaded.get_absolute_url())
    proposals, unmatched = national_codes.proposals(uploaded, user)
    context = {
        "national_list": uploaded,
        "proposals": proposals,
        "pending": [p for p in proposals if not p.done],
        "unmatched": unmatched,
        "source": national_codes.source_text(uploaded, "N"),
    }
    return render(request, "handbook/national_list.html", context)


@login_required
def missing(request):
    """Procedures without a national code, by field."""
    user = request.user
    _require_editor(user)
    field = request.GET.get("field", "")
    procedures = national_codes.missing(user, field=field or None)
    context = {
        "procedures": procedures,
        "count": procedures.count(),
        "fields": Field.objects.all(),
        "field": field,
        "title": _("Thủ tục chưa có mã quốc gia"),
    }
    return render(request, "handbook/national_missing.html", context)
