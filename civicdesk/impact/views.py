"""/impact/: the form, the result (sentence, estimate, chart, controls, method) and the province's past estimates."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.geo.models import Province

from . import data, plot, presets, services
from .forms import EstimateForm
from .indicators import INDICATORS
from .models import Estimate
from .permissions import can_estimate
from .presets import WORDING


def _province(user):
    if user.province_id is not None:
        return user.province
    if user.is_superuser:
        return Province.objects.filter(communes__isnull=False).order_by("code").first()
    return None


def _allowed(request):
    province = _province(request.user)
    if not can_estimate(request.user, province):
        raise PermissionDenied(
            _("Chỉ quản trị cấp tỉnh và chuyên viên Sở Nội vụ của tỉnh được đánh giá tác động.")
        )
    return province


def _form(province, params):
    return EstimateForm(params, presets=presets.presets(province), communes=data.communes_of(province))


def _run(request, province, form):
    """(result, None) or (None, form with the refusal beside its field)."""
    cleaned = form.cleaned_data
    preset = cleaned["preset_obj"]
    typed = bool(cleaned.get("communes"))
    req = services.Request(
        province=province,
        codes=cleaned["codes"],
        start=cleaned["start"],
        indicator=cleaned["indicator"],
        months_before=cleaned["months_before"],
        months_after=cleaned["months_after"],
        kind=preset.kind if preset and not typed else "manual",
        label=preset.label if preset and not typed else "",
        preset=preset.key if preset and not typed else "",
    )
    try:
        return services.estimate(request.user, req), form
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
        return None, form


def _chart(payload, kind):
    _after, treated, others = WORDING.get(kind, WORDING["manual"])
    return plot.chart(
        payload, treated_label=str(treated).capitalize(), control_label=str(others).capitalize()
    )


@login_required
def index(request):
    province = _allowed(request)
    asked = "indicator" in request.GET
    form = _form(province, request.GET if asked else None)
    result = None
    if asked and form.is_valid():
        result, form = _run(request, province, form)
    context = {
        "form": form,
        "province": province,
        "result": result,
        "payload": result.as_dict() if result else None,
        "chart": _chart(result, result.request.kind) if result else None,
        "indicator": result.indicator if result else None,
        "past": Estimate.objects.visible_to(request.user).filter(province=province)[:20],
        "query": request.GET.urlencode() if result else "",
    }
    status = 400 if asked and result is None else 200
    return render(request, "impact/index.html", context, status=status)


@login_required
@require_POST
def save(request):
    province = _allowed(request)
    form = _form(province, request.POST)
    if form.is_valid():
        result, form = _run(request, province, form)
        if result is not None:
            estimate = services.save_estimate(request.user, result)
            return redirect("impact:detail", pk=estimate.pk)
    context = {"form": form, "province": province, "result": None, "past": [], "query": ""}
    return render(request, "impact/index.html", context, status=400)


@login_required
def detail(request, pk):
    _allowed(request)
    estimate = get_object_or_404(Estimate.objects.visible_to(request.user), pk=pk)
    payload = estimate.result
    return render(
        request,
        "impact/detail.html",
        {
            "estimate": estimate,
            "payload": payload,
            "indicator": INDICATORS.get(estimate.indicator),
            "chart": _chart(payload, estimate.kind),
        },
    )
