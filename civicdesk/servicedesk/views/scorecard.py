"""The Decision 766 scorecard page: five groups for the province or one commune, a ranking and a map of communes.

Scoped as the KPI dashboard: province roles (and department experts) see their province and any of its communes;
commune roles see their own commune only (no ranking, no map of the others).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import audit
from civicdesk.core.exports import attachment, download_name
from civicdesk.geo.models import Commune

from .. import scorecard, scorecard_charts, services
from ..forms import ScorecardForm
from ..models import Channel
from .dashboard import _province_for


@dataclass(frozen=True)
class Filters:
    """The scorecard's filters besides the commune: a handbook field, a handbook procedure, a channel (or None)."""

    field: object = None
    procedure: object = None
    channel: str | None = None

    def compute_kwargs(self):
        return {
            "field_id": self.field.pk if self.field else None,
            "procedure_code": self.procedure.code if self.procedure else None,
            "channel": self.channel,
        }

    @property
    def channel_label(self):
        return Channel(self.channel).label if self.channel else ""


def _filters(request):
    """(form, period, Filters, indicator code) from the query string, the defaults when absent or invalid (then
    `form.errors` says what was refused)."""
    today = timezone.localdate()
    default = scorecard.last_full_quarter(today)
    initial = {
        "date_from": default.date_from,
        "date_to": default.date_to,
        "indicator": scorecard.MEASURED[0].code,
    }
    data = request.GET.copy() if request.GET else None
    if data is not None:
        for key, value in initial.items():
            if not data.get(key):
                data[key] = value.isoformat() if hasattr(value, "isoformat") else value
    form = ScorecardForm(data, initial=initial, indicators=scorecard.MEASURED)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        period = scorecard.Period(d["date_from"], d["date_to"])
        chosen = Filters(d["field"], d["procedure"], d["channel"] or None)
        return form, period, chosen, d["indicator"] or initial["indicator"]
    return form, default, Filters(), initial["indicator"]


def _query(period, filters, indicator, **extra):
    q = QueryDict(mutable=True)
    q.update({"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()})
    if filters.field is not None:
        q["field"] = filters.field.code
    if filters.procedure is not None:
        q["procedure"] = filters.procedure.code
    if filters.channel:
        q["channel"] = filters.channel
    q["indicator"] = indicator
    for key, value in extra.items():
        q[key] = value
    return q.urlencode()


def _bars(card):
    now_label, before_label = _("Kỳ này"), _("Kỳ trước")
    return {
        s.indicator.code: scorecard_charts.indicator_bar(s, now_label=now_label, before_label=before_label)
        for g in card.groups
        for s in g.indicators
        if s.indicator.measured and not s.filtered_out
    }


def _render(request, province, commune, *, province_view):
    form, period, filters, indicator = _filters(request)
    result = scorecard.compute(
        province, period, commune=commune, with_communes=province_view, **filters.compute_kwargs()
    )
    card = result.scorecard
    today = timezone.localdate()
    query = _query(period, filters, indicator)
    context = {
        "province": province,
        "commune": commune,
        "province_view": province_view,
        "form": form,
        "card": card,
        "bars": _bars(card),
        "period": period,
        "previous": card.previous_period,
        "partial_months": [scorecard.month_label(lo, hi) for lo, hi in period.partial_months()],
        "previous_partial": [
            scorecard.month_label(lo, hi) for lo, hi in card.previous_period.partial_months()
        ],
        "unfinished": period.unfinished(today),
        "field": filters.field,
        "procedure": filters.procedure,
        "channel": filters.channel,
        "channel_label": filters.channel_label,
        "indicator": scorecard.INDICATOR_BY_CODE[indicator],
        "measured": scorecard.MEASURED,
        "field_indicators": [i for i in scorecard.MEASURED if scorecard.FILTER_FIELD in i.filters],
        "channel_meaningless": [
            (i, i.meaningless[scorecard.FILTER_CHANNEL])
            for i in scorecard.MEASURED
            if scorecard.FILTER_CHANNEL in i.meaningless
        ],
        "query": query,
        "pdf_url": (
            reverse("servicedesk:commune_scorecard_pdf", kwargs={"code": commune.code})
            if commune
            else reverse("servicedesk:scorecard_pdf")
        )
        + "?"
        + query,
        "source": scorecard.SOURCE,
        "can_set_targets": province_view and services.can_set_targets(request.user, province),
    }
    if province_view:

        def link(unit):
            return reverse("servicedesk:commune_scorecard", kwargs={"code": unit.code}) + "?" + query

        ranking = scorecard.ranking(result.communes, indicator)
        context["ranking"] = [(unit, scores, link(unit)) for unit, scores in ranking]
        entries = [(unit, scores[indicator], link(unit)) for unit, scores in result.communes]
        context["map"] = scorecard_charts.province_map(
            entries,
            title=_("Bản đồ các đơn vị cấp xã theo “%(name)s”") % {"name": context["indicator"].name},
            selected=commune.pk if commune else None,
        )
        context["legend"] = scorecard_charts.legend()
        context["unplaced"] = [unit for unit, _s, _u in entries if unit.lat is None or unit.lon is None]
        context["communes"] = [unit for unit, _s in result.communes]
    # A refused filter (unknown procedure, channel, field, a bad date) is said above the default scorecard.
    return render(request, "servicedesk/scorecard.html", context, status=400 if form.errors else 200)


@login_required
def scorecard_page(request):
    """The province's scorecard (commune roles go to their commune's)."""
    user = request.user
    if user.is_commune_user:
        url = reverse("servicedesk:commune_scorecard", kwargs={"code": user.commune.code})
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    province = _province_for(request)
    code = request.GET.get("commune", "")
    if code.isdigit():
        url = reverse("servicedesk:commune_scorecard", kwargs={"code": int(code)})
        params = request.GET.copy()
        params.pop("commune")
        return redirect(f"{url}?{params.urlencode()}")
    return _render(request, province, None, province_view=True)


@login_required
def commune_scorecard(request, code):
    """One commune's scorecard; for province roles with the province's ranking and map beside it."""
    commune = get_object_or_404(
        Commune.objects.visible_to(request.user).select_related("province"), code=code
    )
    return _render(request, commune.province, commune, province_view=not request.user.is_commune_user)


def _pdf(request, province, commune, *, province_view):
    """The page's content for the same scope, filters and period as an A4 PDF (audited as an export)."""
    from .. import scorecard_pdf

    form, period, filters, indicator = _filters(request)
    if form.errors:
        # No PDF of a scorecard nobody asked for: say which filter was refused.
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
            for name, errors in form.errors.items()
        )
        return HttpResponseBadRequest(
            _("Bộ lọc không hợp lệ: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    body = scorecard_pdf.build(
        province,
        period,
        commune=commune,
        field=filters.field,
        procedure=filters.procedure,
        channel=filters.channel,
        indicator_code=indicator,
        province_view=province_view,
        today=timezone.localdate(),
        generated_at=timezone.localtime(),
    )
    unit = commune.name if commune else province.name
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="servicedesk.scorecard",
        object_repr=f"{unit} {period.date_from}..{period.date_to} (pdf)",
    )
    name = download_name(
        "bang-diem-766", unit, f"{period.date_from:%d-%m-%Y}", f"{period.date_to:%d-%m-%Y}", ext="pdf"
    )
    return attachment(HttpResponse(body, content_type="application/pdf"), name)


@login_required
def scorecard_pdf(request):
    """The province's scorecard as PDF (commune roles go to their commune's), as `scorecard_page`."""
    user = request.user
    if user.is_commune_user:
        url = reverse("servicedesk:commune_scorecard_pdf", kwargs={"code": user.commune.code})
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    return _pdf(request, _province_for(request), None, province_view=True)


@login_required
def commune_scorecard_pdf(request, code):
    """One commune's scorecard as PDF, scoped as `commune_scorecard` (others 404)."""
    commune = get_object_or_404(
        Commune.objects.visible_to(request.user).select_related("province"), code=code
    )
    return _pdf(request, commune.province, commune, province_view=not request.user.is_commune_user)


@login_required
@require_POST
def save_targets(request):
    """The province admin sets the target line of each measured indicator (percent; empty removes it)."""
    province = _province_for(request)
    if not services.can_set_targets(request.user, province):
        raise PermissionDenied
    values = {i.code: request.POST.get(f"target_{i.code}", "").strip() for i in scorecard.MEASURED}
    try:
        services.set_targets(request.user, province, values)
    except ValidationError as exc:
        for code, errors in exc.message_dict.items():
            name = scorecard.INDICATOR_BY_CODE[code].name if code in scorecard.INDICATOR_BY_CODE else code
            messages.error(request, f"{name}: {' '.join(errors)}")
    else:
        messages.success(request, _("Đã lưu mục tiêu của tỉnh."))
    back = request.POST.get("next", "")
    url = reverse("servicedesk:scorecard")
    return redirect(f"{url}?{back}" if back and "//" not in back else url)
