from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civicdesk.kernel.registry import registry

from .. import services
from ..forms import ApiTokenForm, CalendarDayForm, ThrottledPasswordResetForm, WorkcalCalculatorForm
from ..models import ApiToken, CalendarDay, Department, Job, WorkingGroup
from ..workcal import get_calendar


@never_cache
def healthz(request):
    """Liveness and database check for load balancers and CI smoke tests."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request):
    panels = list(registry.panels_for(request))
    return render(request, "core/home.html", {"panels": panels})


@login_required
def job_detail(request, job_id):
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=job_id)
    template = "core/includes/job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


def _upcoming_days(calendar, start, horizon=120):
    """Holidays, swaps and extra days off in the next `horizon` days, for the calendar page."""
    entries = {entry.date: entry for entry in CalendarDay.objects.filter(date__gte=start)}
    rows = []
    for offset in range(horizon):
        day = start + timedelta(days=offset)
        name = calendar.holiday_name(day)
        entry = entries.get(day)
        if name or entry:
            rows.append(
                {
                    "date": day,
                    "holiday": name,
                    "entry": entry,
                    "working": calendar.is_working_day(day),
                }
            )
    return rows


@login_required
def calendar_view(request):
    calendar = get_calendar()
    today = timezone.localdate()
    form = CalendarDayForm()
    calc_form = WorkcalCalculatorForm(
        initial={
            "start": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "amount": 3,
            "unit": "d",
        }
    )
    context = {
        "rows": _upcoming_days(calendar, today, horizon=400),
        "entries": CalendarDay.objects.filter(date__gte=today - timedelta(days=30)),
        "form": form,
        "calc_form": calc_form,
        "periods": calendar.periods,
        "can_edit": request.user.is_province_admin,
    }
    return render(request, "core/calendar.html", context)


@login_required
@require_POST
def calendar_day_add(request):
    if not request.user.is_province_admin:
        raise PermissionDenied
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        services.set_calendar_day(
            request.user,
            day=form.cleaned_data["date"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Đã lưu ngày điều chỉnh lịch làm việc."))
        return redirect("calendar")
    calendar = get_calendar()
    today = timezone.localdate()
    return render(
        request,
        "core/calendar.html",
        {
            "rows": _upcoming_days(calendar, today, horizon=400),
            "entries": CalendarDay.objects.filter(date__gte=today - timedelta(days=30)),
            "form": form,
            "calc_form": WorkcalCalculatorForm(),
            "periods": calendar.periods,
            "can_edit": True,
        },
        status=400,
    )


@login_required
@require_POST
def calendar_day_remove(request, day):
    if not request.user.is_province_admin:
        raise PermissionDenied
    services.remove_calendar_day(request.user, day=date.fromisoformat(day))
    messages.success(request, _("Đã xóa ngày điều chỉnh."))
    return redirect("calendar")


@login_required
def calendar_calculate(request):
    form = WorkcalCalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        calendar = get_calendar()
        start, amount = form.cleaned_data["start"], form.cleaned_data["amount"]
        if form.cleaned_data["unit"] == "d":
            result = calendar.add_working_days(start, amount)
        else:
            result = calendar.add_working_hours(start, amount)
    template = "core/includes/calc_result.html" if request.htmx else "core/calendar_calc.html"
    return render(request, template, {"calc_form": form, "result": result})


@login_required
def organisation(request):
    departments = Department.objects.visible_to(request.user).filter(is_active=True)
    groups = (
        WorkingGroup.objects.filter(province_id=request.user.province_id, is_active=True).prefetch_related(
            "departments"
        )
        if request.user.province_id
        else WorkingGroup.objects.none()
    )
    return render(request, "core/organisation.html", {"departments": departments, "groups": groups})


@login_required
def api_tokens(request):
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.issue_api_token(
            request.user, request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "core/api_tokens.html", {"tokens": tokens, "form": form, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(request.user, token)
    messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("api_tokens")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view with `ThrottledPasswordResetForm` (the form needs the request for the address)."""

    form_class = ThrottledPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response
