"""The coordinator's pages: a week of shifts (generate, auto-roster, publish), the last roster's gaps explained, the
requests waiting, and one shift (book, take off, no-shows, its QR for check-in)."""

from datetime import date, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import exports
from civicdesk.geo.choice import commune_of_request
from civicdesk.geo.models import Commune
from civicdesk.kernel.forms import add_service_errors

from .. import permissions, services
from ..forms import BookForm, PeriodForm, TemplateFormSet
from ..messages import WEEKDAYS as WEEKDAY_NAMES
from ..messages import lock_text, reason_text
from ..models import Booking, ChangeRequest, Part, RosterRun, Shift, ShiftTemplate, Volunteer
from ..qr import qr_svg
from ..reports import certificate_pdf, month_report, month_xlsx
from ..services.roster import auto_roster


def _monday(request):
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def _week_url(commune, monday, user):
    query = f"?week={monday.isoformat()}"
    if not user.commune_id:
        query += f"&commune={commune.code}"
    return reverse("volunteers:index") + query


@login_required
def index(request):
    commune = commune_of_request(request)
    if commune is None:
        if request.user.commune_id is None:
            communes = Commune.objects.visible_to(request.user).order_by("name")[:200]
            return render(request, "volunteers/pick_commune.html", {"communes": communes})
        raise Http404
    if not permissions.can_coordinate(request.user, commune):
        return redirect("volunteers:mine")
    monday = _monday(request)
    shifts = list(
        Shift.objects.filter(commune=commune, day__range=(monday, monday + timedelta(days=6)))
        .prefetch_related("bookings__volunteer__person")
        .order_by("day", "part")
    )
    run = RosterRun.objects.filter(commune=commune).first()
    by_pk = {s.pk: s for s in Shift.objects.filter(pk__in=[g["shift"] for g in (run.gaps if run else [])])}
    gaps = [
        {"shift": by_pk.get(g["shift"]), "short": g["short"],
         "reasons": [reason_text(r["code"], r["params"]) for r in g["reasons"]]}
        for g in (run.gaps if run else [])
    ]  # fmt: skip
    locks = [lock_text(p["code"], p["params"]) for p in (run.lock_problems if run else [])]
    pending = ChangeRequest.objects.filter(
        booking__shift__commune=commune, status=ChangeRequest.Status.PENDING
    ).select_related("booking__shift", "booking__volunteer__person", "to_volunteer__person")
    period = PeriodForm(initial={"start": monday, "end": monday + timedelta(days=4)})
    return render(
        request,
        "volunteers/index.html",
        {
            "commune": commune, "monday": monday, "shifts": shifts, "run": run, "gaps": gaps, "locks": locks,
            "pending": pending, "period": period, "prev_url": _week_url(commune, monday - timedelta(days=7), request.user),
            "next_url": _week_url(commune, monday + timedelta(days=7), request.user),
            "volunteers": Volunteer.objects.active().filter(person__commune=commune).count(),
        },
    )  # fmt: skip


def _period_action(request, act, done):
    commune = commune_of_request(request)
    if commune is None:
        raise Http404
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            messages.success(request, done(act(request.user, commune, **form.cleaned_data)))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            raise exc
        return redirect(
            _week_url(
                commune,
                form.cleaned_data["start"] - timedelta(days=form.cleaned_data["start"].weekday()),
                request.user,
            )
        )
    return redirect(_week_url(commune, _monday(request), request.user))


@login_required
@require_POST
def generate(request):
    return _period_action(
        request,
        lambda user, commune, start, end: services.generate_shifts(user, commune, start=start, end=end),
        lambda made: (
            _("Đã tạo %(n)s ca mới; cập nhật số người cần của %(u)s ca.") % {"n": made[0], "u": made[1]}
        ),
    )


@login_required
@require_POST
def roster(request):
    return _period_action(
        request,
        lambda user, commune, start, end: auto_roster(user, commune, start=start, end=end),
        lambda run: (
            _("Đã xếp %(b)s lượt trực cho %(s)s ca: đủ %(c)s/%(d)s người cần.")
            % {"b": run.bookings, "s": run.shifts, "c": run.covered, "d": run.demand}
        ),
    )


@login_required
@require_POST
def publish(request):
    return _period_action(
        request,
        lambda user, commune, start, end: services.publish(user, commune, start=start, end=end),
        lambda n: _("Đã công bố %(n)s ca: tình nguyện viên thấy lịch và đăng ký được.") % {"n": n},
    )


def _shift(request, pk):
    shift = get_object_or_404(Shift.objects.visible_to(request.user).select_related("commune"), pk=pk)
    permissions.require_coordinate(request.user, shift.commune)
    return shift


@login_required
def shift_detail(request, pk, form=None):
    shift = _shift(request, pk)
    checkin_url = request.build_absolute_uri(
        reverse("volunteers:checkin", args=[shift.pk, shift.checkin_token])
    )
    return render(
        request,
        "volunteers/shift.html",
        {
            "shift": shift,
            "bookings": shift.bookings.select_related("volunteer__person").order_by(
                "status", "volunteer__person__full_name"
            ),
            "form": form or BookForm(commune=shift.commune),
            "checkin_url": checkin_url,
            "qr": qr_svg(checkin_url) if shift.status == Shift.Status.PUBLISHED else "",
            "ended": shift.ends_at(timezone.get_current_timezone()) <= timezone.now(),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def shift_book(request, pk):
    shift = _shift(request, pk)
    form = BookForm(request.POST, commune=shift.commune)
    if form.is_valid():
        try:
            services.book(request.user, shift, form.cleaned_data["volunteer"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã xếp %(name)s vào ca.") % {"name": form.cleaned_data["volunteer"]})
            return redirect("volunteers:shift", shift.pk)
    return shift_detail(request, pk, form=form)


@login_required
@require_POST
def booking_action(request, pk, action):
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related("shift__commune", "volunteer__person"), pk=pk
    )
    try:
        if action == "unbook":
            services.unbook(request.user, booking)
        elif action == "no_show":
            services.mark_no_show(request.user, booking)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã cập nhật lượt trực của %(name)s.") % {"name": booking.volunteer})
    return redirect("volunteers:shift", booking.shift_id)


@login_required
@require_POST
def decide(request, pk):
    change = get_object_or_404(
        ChangeRequest.objects.filter(booking__in=Booking.objects.visible_to(request.user)).select_related(
            "booking__shift__commune"
        ),
        pk=pk,
    )
    approve = request.POST.get("approve") == "1"
    try:
        services.decide_change(request.user, change, approve=approve)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã duyệt đề nghị.") if approve else _("Đã không duyệt đề nghị."))
    return redirect(
        _week_url(
            change.booking.shift.commune,
            change.booking.shift.day - timedelta(days=change.booking.shift.day.weekday()),
            request.user,
        )
    )


DEFAULT_HOURS = {"am": (time(7, 30), time(11, 30)), "pm": (time(13, 30), time(17, 0))}


@login_required
def templates(request):
    """The commune's week of shift templates: Monday–Saturday, morning and afternoon, saved together."""
    commune = commune_of_request(request)
    if commune is None:
        raise Http404
    permissions.require_coordinate(request.user, commune)
    existing = {(t.weekday, t.part): t for t in ShiftTemplate.objects.filter(commune=commune)}
    initial = []
    for weekday in range(6):
        for part in Part.values:
            t = existing.get((weekday, part))
            start, end = DEFAULT_HOURS[part]
            initial.append(
                {"weekday": weekday, "part": part, "is_active": bool(t and t.is_active),
                 "start": t.start if t else start, "end": t.end if t else end, "minimum": t.minimum if t else 2,
                 "maximum": t.maximum if t else 5, "skills": t.skills if t else []}
            )  # fmt: skip
    formset = TemplateFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            with transaction.atomic():
                for row in formset.cleaned_data:
                    if row["is_active"] or (row["weekday"], row["part"]) in existing:
                        services.save_template(request.user, commune, **row)
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("Đã lưu ca mẫu của xã."))
            query = "" if request.user.commune_id else f"?commune={commune.code}"
            return redirect(reverse("volunteers:templates") + query)
    rows = [(WEEKDAY_NAMES[f.initial["weekday"]], Part(f.initial["part"]).label, f) for f in formset.forms]
    return render(request, "volunteers/templates.html", {"commune": commune, "formset": formset, "rows": rows},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _month(request):
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def report(request):
    commune = commune_of_request(request)
    if commune is None:
        raise Http404
    permissions.require_coordinate(request.user, commune)
    month = _month(request)
    result = month_report(commune, month)
    if request.GET.get("format") == "xlsx":
        name = exports.download_name("tinh-nguyen-vien", commune.name, month.strftime("%Y-%m"), ext="xlsx")
        return exports.xlsx_response(month_xlsx(result), name)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    query = "" if request.user.commune_id else f"&commune={commune.code}"
    return render(
        request,
        "volunteers/report.html",
        {"commune": commune, "report": result, "query": query, "previous": previous, "following": following},
    )


@login_required
def certificate(request, pk):
    volunteer = get_object_or_404(
        Volunteer.objects.visible_to(request.user).select_related("person__commune"), pk=pk
    )
    permissions.require_self_or_coordinate(request.user, volunteer)
    end = timezone.localdate()
    start = volunteer.joined_on or end.replace(month=1, day=1)
    try:
        start = date.fromisoformat(request.GET["start"]) if request.GET.get("start") else start
        end = date.fromisoformat(request.GET["end"]) if request.GET.get("end") else end
    except ValueError as exc:
        raise Http404 from exc
    if end < start or (end - start).days > 3660:
        raise Http404
    pdf = certificate_pdf(volunteer, start=start, end=end, issued_by=request.user.get_full_name())
    response = HttpResponse(pdf, content_type="application/pdf")
    return exports.attachment(
        response, exports.download_name("xac-nhan-tinh-nguyen", volunteer.person.full_name, ext="pdf")
    )
