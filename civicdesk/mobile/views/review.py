"""The commune's page for its mobile team: what came back from the hamlets (provisional receipt → official code),
what waits for an officer (likely duplicates, checklists that changed, conflicting edits), and the team's phones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.geo.choice import commune_of_request
from civicdesk.geo.models import Commune
from civicdesk.kernel.roles import Role

from .. import services
from ..models import Conflict, Device, FieldDossier, Trip
from ..services.trips import can_plan

DECIDERS = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}
RECENT = 50


def _back(commune, user):
    url = reverse("mobile:index")
    return url if user.commune_id else f"{url}?commune={commune.code}"


@login_required
def index(request):
    commune = commune_of_request(request)
    if commune is None:
        communes = Commune.objects.visible_to(request.user).order_by("name")
        return render(request, "mobile/pick_commune.html", {"communes": communes})
    scoped = FieldDossier.objects.visible_to(request.user).filter(commune=commune)
    context = {
        "commune": commune,
        "can_decide": request.user.role in DECIDERS and request.user.commune_id == commune.pk,
        "review": scoped.filter(status=FieldDossier.Status.REVIEW)
        .prefetch_related("attachments")
        .select_related("device", "hamlet")
        .order_by("taken_at"),
        "conflicts": Conflict.objects.visible_to(request.user)
        .filter(field_dossier__commune=commune)
        .open()
        .select_related("field_dossier", "received_by"),
        "recent": scoped.exclude(status=FieldDossier.Status.REVIEW)
        .prefetch_related("attachments")
        .select_related("dossier", "device", "hamlet")
        .order_by("-synced_at")[:RECENT],
        "devices": Device.objects.visible_to(request.user).filter(commune=commune),
        "trips": Trip.objects.visible_to(request.user).filter(commune=commune).order_by("-day", "-pk")[:20],
        "can_plan": can_plan(request.user, commune.pk),
        "form_label": request.POST.get("label", "") if request.method == "POST" else "",
    }
    return render(request, "mobile/index.html", context)


@login_required
@require_POST
def resolve(request, pk):
    record = get_object_or_404(FieldDossier.objects.visible_to(request.user), pk=pk)
    action = request.POST.get("action", "")
    try:
        services.resolve(
            request.user, record, action=action, dossier_code=request.POST.get("dossier_code", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        done = {
            "register": _("Đã vào sổ hồ sơ %(code)s."),
            "link": _("Đã gộp %(code)s vào hồ sơ có sẵn."),
            "dismiss": _("Đã loại %(code)s khỏi danh sách chờ."),
        }
        messages.success(request, done[action] % {"code": record.provisional_code})
    return redirect(_back(record.commune, request.user))


@login_required
@require_POST
def close_conflict(request, pk):
    conflict = get_object_or_404(
        Conflict.objects.visible_to(request.user).select_related("field_dossier"), pk=pk
    )
    try:
        services.close_conflict(request.user, conflict, resolution=request.POST.get("resolution", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Đã ghi nhận cách xử lý."))
    return redirect(_back(conflict.field_dossier.commune, request.user))


@login_required
@require_POST
def add_device(request):
    commune = commune_of_request(request)
    if commune is None:
        raise Http404
    try:
        device = services.register_device(request.user, commune, label=request.POST.get("label", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return index(request)  # the name typed stays in the box
    messages.success(
        request,
        _("Đã đăng ký máy “%(label)s”: biên nhận tạm của máy này có dạng %(example)s.")
        % {"label": device.label, "example": f"{device.code_prefix()}0001"},
    )
    return redirect(_back(commune, request.user))
