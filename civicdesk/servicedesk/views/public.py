"""Citizens' pages (no account): status lookup, status by QR, satisfaction survey. Rate-limited by address.

The status page shows the dossier's code, procedure, status, receipt and due dates — never the applicant's data.
"""

import math

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from civicdesk.core import throttle
from civicdesk.core.clients import client_ip
from civicdesk.geo.models import Commune

from .. import links, services
from ..forms import LookupForm, SurveyForm
from ..models import Dossier, Status

LOOKUP_LIMIT = (10, 600)  # attempts per address per 10 minutes
STATUS_LIMIT = (60, 600)
SURVEY_LIMIT = (20, 3600)  # dossier surveys per address per hour (each dossier takes one response anyway)
# The anonymous centre survey is what a script could stuff with 1-star ratings. A few citizens may share one address
# (the centre's Wi-Fi, a carrier's NAT): five an hour each; a commune takes at most 40 an hour and 200 a day, far
# above what its counter sees, however many addresses a script rotates through.
CENTRE_ADDRESS_LIMIT = (5, 3600)
CENTRE_COMMUNE_LIMITS = ((40, 3600), (200, 86400))
STATUS_FIELDS = (
    "code",
    "commune__name",
    "commune__code",
    "procedure_name",
    "status",
    "received_at",
    "due_at",
    "new_due_at",
    "finished_at",
    "returned_at",
    "rating",
    "phone_last4",
)
CLOSED_WITHOUT_RESULT = (Status.REJECTED, Status.WITHDRAWN)


def _client(request):
    return client_ip(request) or "unknown"


def _limited(bucket, subject, limit):
    """True when `subject` (a client address, a commune) has used up `limit` = (count, seconds) for `bucket`.

    Counts this attempt, atomically in the database (core/throttle.py), before the guarded work is done.
    """
    count, seconds = limit
    return throttle.attempt(f"sd-{bucket}:{subject}", seconds) > count


def _within(seconds):
    """'1 giờ', '24 giờ', '10 phút': the longest a citizen waits before a window ends, for the message."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return ngettext("%(n)s phút", "%(n)s phút", minutes) % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(n)s giờ", "%(n)s giờ", hours) % {"n": hours}


def _address_throttled(limit):
    return _(
        "Thiết bị hoặc mạng này đã gửi nhiều phiếu đánh giá trong thời gian ngắn nên phiếu chưa được ghi nhận. "
        "Vui lòng thử lại sau (chậm nhất %(wait)s nữa); ý kiến ông/bà đã nhập vẫn còn bên dưới."
    ) % {"wait": _within(limit[1])}


def _centre_throttle(request, commune):
    """The refusal message when this centre rating must wait (per client address, then per commune), else ""."""
    if _limited("centre-address", _client(request), CENTRE_ADDRESS_LIMIT):
        return _address_throttled(CENTRE_ADDRESS_LIMIT)
    for limit in CENTRE_COMMUNE_LIMITS:
        if _limited(f"centre-commune-{limit[1]}", commune.code, limit):
            return _(
                "Trung tâm đang nhận quá nhiều phiếu đánh giá trong thời gian ngắn nên tạm dừng nhận, để tránh "
                "phiếu gửi hàng loạt. Vui lòng thử lại sau (chậm nhất %(wait)s nữa); ý kiến ông/bà đã nhập vẫn còn "
                "bên dưới."
            ) % {"wait": _within(limit[1])}
    return ""


def _too_many(request):
    return render(request, "servicedesk/public/too_many.html", status=429)


def _status_context(dossier):
    return {
        "dossier": dossier,
        "survey_url": links.survey_url(dossier, absolute=False),
        "centre_url": links.centre_survey_url(dossier.commune, absolute=False),
        "survey_open": dossier.status == Status.RETURNED,
        "closed_without_result": dossier.status in CLOSED_WITHOUT_RESULT,
    }


@never_cache
def lookup(request):
    # The provisional receipt's QR opens this page with its code filled in (?ma=…): the citizen adds the digits.
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")[:40]})
    context = {"form": form}
    if request.method == "POST":
        if _limited("lookup", _client(request), LOOKUP_LIMIT):
            return _too_many(request)
        if form.is_valid():
            code = form.cleaned_data["code"].strip()
            # The official code, or the provisional receipt's code a mobile team gave in the hamlet.
            dossier = (
                Dossier.objects.select_related("commune")
                .only(*STATUS_FIELDS)
                .filter(Q(code=code) | Q(provisional_code=code.upper()))
                .first()
            )
            # One message for "no such code" and "wrong digits": the lookup must not confirm a code exists.
            if (
                dossier is None
                or not dossier.phone_last4
                or dossier.phone_last4 != form.cleaned_data["phone4"]
            ):
                context["not_found"] = True
                context["provisional"] = links.looks_provisional(code)
                return render(request, "servicedesk/public/lookup.html", context, status=404)
            context.update(_status_context(dossier))
            return render(request, "servicedesk/public/status.html", context)
        return render(request, "servicedesk/public/lookup.html", context, status=400)
    return render(request, "servicedesk/public/lookup.html", context)


def _by_token(code, token):
    if not links.token_matches(code, token):
        raise Http404
    return get_object_or_404(Dossier.objects.select_related("commune").only(*STATUS_FIELDS), code=code)


@never_cache
def status(request, code, token):
    if _limited("status", _client(request), STATUS_LIMIT):
        return _too_many(request)
    dossier = _by_token(code, token)
    return render(request, "servicedesk/public/status.html", _status_context(dossier))


def _survey_page(request, form, dossier, commune, refusal=""):
    status = 200
    if refusal:
        form.add_error(None, refusal)
        status = 429
    elif form.errors:
        status = 400
    return render(
        request,
        "servicedesk/public/survey.html",
        {"form": form, "dossier": dossier, "commune": commune},
        status=status,
    )


@never_cache
def survey(request, code, token):
    """A dossier's survey: open once its result is returned; before that the page says when it will open."""
    dossier = _by_token(code, token)
    if dossier.rating is not None:
        return render(request, "servicedesk/public/thanks.html", {"already": True, "dossier": dossier})
    if dossier.status != Status.RETURNED:
        return render(
            request,
            "servicedesk/public/survey_not_open.html",
            _status_context(dossier),
            status=409 if request.method == "POST" else 200,
        )
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited("survey", _client(request), SURVEY_LIMIT):
            return _survey_page(request, form, dossier, dossier.commune, _address_throttled(SURVEY_LIMIT))
        try:
            services.rate_dossier(dossier, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("servicedesk_public:thanks")
    return _survey_page(request, form, dossier, dossier.commune)


@never_cache
def centre_survey(request, commune_code):
    """The anonymous survey behind the QR code at the counter, throttled per client address and per commune."""
    commune = get_object_or_404(Commune, code=commune_code)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = _centre_throttle(request, commune)
        if refusal:
            return _survey_page(request, form, None, commune, refusal)
        services.rate_centre(commune, **form.cleaned_data)
        return redirect("servicedesk_public:thanks")
    return _survey_page(request, form, None, commune)


def thanks(request):
    return render(request, "servicedesk/public/thanks.html", {"already": False, "dossier": None})
