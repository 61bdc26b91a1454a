from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.kernel.scoping import can_manage_commune

from .. import services
from ..forms import CoordinatesForm, HamletForm, HamletImportForm
from ..models import Commune, Hamlet


@login_required
def commune_list(request):
    user = request.user
    if user.is_commune_user:
        return redirect("commune_detail", code=user.commune.code)
    communes = Commune.objects.visible_to(user).annotate(hamlet_count=Count("hamlets")).order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        communes = communes.filter(Q(name__icontains=query) | Q(code__startswith=query))
    kind = request.GET.get("type", "")
    if kind in Commune.Type.values:
        communes = communes.filter(division_type=kind)
    page = Paginator(communes.select_related("province"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "type": kind,
        "types": Commune.Type.choices,
        "import_form": HamletImportForm() if user.is_province_admin else None,
    }
    template = "geo/includes/commune_rows.html" if request.htmx else "geo/commune_list.html"
    return render(request, template, context)


def _commune_for(request, code):
    return get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), code=code)


@login_required
def commune_detail(request, code):
    commune = _commune_for(request, code)
    return render(
        request,
        "geo/commune_detail.html",
        {
            "commune": commune,
            "hamlets": commune.hamlets.all(),
            "can_manage": can_manage_commune(request.user, commune),
            "form": HamletForm(),
            "coord_form": CoordinatesForm(initial={"lat": commune.lat, "lon": commune.lon}),
        },
    )


@login_required
@require_POST
def hamlet_add(request, code):
    commune = _commune_for(request, code)
    if not can_manage_commune(request.user, commune):
        raise PermissionDenied
    form = HamletForm(request.POST)
    if form.is_valid():
        try:
            services.add_hamlet(request.user, commune, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Đã thêm %(name)s.") % {"name": form.cleaned_data["name"]})
                return redirect("commune_detail", code=commune.code)
            form = HamletForm()
    context = {"commune": commune, "hamlets": commune.hamlets.all(), "can_manage": True, "form": form}
    if request.htmx:
        return render(request, "geo/includes/hamlets.html", context)
    context["coord_form"] = CoordinatesForm(initial={"lat": commune.lat, "lon": commune.lon})
    return render(request, "geo/commune_detail.html", context, status=400)


@login_required
@require_POST
def hamlet_delete(request, code, hamlet_id):
    commune = _commune_for(request, code)
    hamlet = get_object_or_404(Hamlet, pk=hamlet_id, commune=commune)
    if not can_manage_commune(request.user, commune):
        raise PermissionDenied
    services.delete_hamlet(request.user, hamlet)
    if request.htmx:
        return render(
            request,
            "geo/includes/hamlets.html",
            {"commune": commune, "hamlets": commune.hamlets.all(), "can_manage": True, "form": HamletForm()},
        )
    messages.success(request, _("Đã xóa."))
    return redirect("commune_detail", code=commune.code)


@login_required
@require_POST
def commune_coordinates(request, code):
    commune = _commune_for(request, code)
    if not can_manage_commune(request.user, commune):
        raise PermissionDenied
    form = CoordinatesForm(request.POST)
    if form.is_valid():
        services.set_coordinates(request.user, commune, **form.cleaned_data)
        messages.success(request, _("Đã cập nhật tọa độ."))
        return redirect("commune_detail", code=commune.code)
    return render(
        request,
        "geo/commune_detail.html",
        {
            "commune": commune,
            "hamlets": commune.hamlets.all(),
            "can_manage": True,
            "form": HamletForm(),
            "coord_form": form,
        },
        status=400,
    )


@login_required
def hamlet_import(request):
    if not request.user.is_province_admin:
        raise PermissionDenied
    form = HamletImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.import_hamlets(request.user, form.cleaned_data["file"])
        if report.ok:
            messages.success(
                request,
                _("Đã nhập: %(c)s thôn mới, %(u)s cập nhật.") % {"c": report.created, "u": report.updated},
            )
            return redirect("commune_list")
    status = 400 if report is not None and not report.ok else 200
    return render(request, "geo/hamlet_import.html", {"form": form, "report": report}, status=status)
