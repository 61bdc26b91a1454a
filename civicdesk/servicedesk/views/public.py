"""Citizens' pages (no account): status lookup, status by QR, satisfaction survey. Rate-limited by address.

The status page shows the dossier's code, procedure, status, receipt and due dates — never the applicant's data.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from civicdesk.geo.models import Commune

from .. import links, services
from ..forms import LookupForm, SurveyForm
from ..models import Dossier

LOOKUP_LIMIT = (10, 600)  # attempts per address per 10 minutes
SURVEY_LIMIT = (20, 3600)
STATUS_FIELDS = (
    "code",
    "commune__name",
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


def _client(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


def _limited(request, bucket, limit):
    """True when this address has used up `limit` = (count, seconds) for `bucket`; counts this attempt."""
    count, seconds = limit
    key = f"sd:rl:{bucket}:{_client(request)}"
    if cache.add(key, 1, seconds):
        return False
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return False
    return used > count


def _too_many(request):
    return render(request, "servicedesk/public/too_many.html", status=429)


def _status_context(dossier):
    return {"dossier": dossier, "survey_url": links.survey_url(dossier, absolute=False)}


@never_cache
def lookup(request):
    form = LookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if _limited(request, "lookup", LOOKUP_LIMIT):
            return _too_many(request)
        if form.is_valid():
            dossier = (
                Dossier.objects.select_related("commune")
                .only(*STATUS_FIELDS)
                .filter(code=form.cleaned_data["code"].strip())
                .first()
            )
            # One message for "no such code" and "wrong digits": the lookup must not confirm a code exists.
            if (
                dossier is None
                or not dossier.phone_last4
                or dossier.phone_last4 != form.cleaned_data["phone4"]
            ):
                context["not_found"] = True
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
    if _limited(request, "status", (60, 600)):
        return _too_many(request)
    dossier = _by_token(code, token)
    return render(request, "servicedesk/public/status.html", _status_context(dossier))


@never_cache
def survey(request, code, token):
    dossier = _by_token(code, token)
    if dossier.rating is not None:
        return render(request, "servicedesk/public/thanks.html", {"already": True, "dossier": dossier})
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "survey", SURVEY_LIMIT):
            return _too_many(request)
        if form.is_valid():
            try:
                services.rate_dossier(dossier, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("servicedesk_public:thanks")
    return render(
        request,
        "servicedesk/public/survey.html",
        {"form": form, "dossier": dossier, "commune": dossier.commune},
        status=400 if form.errors else 200,
    )


@never_cache
def centre_survey(request, commune_code):
    commune = get_object_or_404(Commune, code=commune_code)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "survey", SURVEY_LIMIT):
            return _too_many(request)
        if form.is_valid():
            services.rate_centre(commune, **form.cleaned_data)
            return redirect("servicedesk_public:thanks")
    return render(
        request,
        "servicedesk/public/survey.html",
        {"form": form, "dossier": None, "commune": commune},
        status=400 if form.errors else 200,
    )


def thanks(request):
    return render(request, "servicedesk/public/thanks.html", {"already": False, "dossier": None})
