"""The coordinator's pages: a week of shifts (generate, auto-roster, publish), the last roster's gaps explained, the
requests waiting, and one shift (book, take off, no-shows, its QR for check-in)."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.geo.models import Commune
from civicdesk.kernel.forms import add_service_errors

from .. import permissions, services
from ..forms import BookForm, PeriodForm
from ..messages import lock_text, reason_text
from ..models import Booking, ChangeRequest, RosterRun, Shift, Volunteer
from ..qr import qr_svg
from ..services.roster import auto_roster


def _commune(request):
    """The user's commune, or (province roles) the visible commune ?commune=code; None when none is chosen."""
    user = request.user
    if user.commune_id:
        return user.commune
    code = request.GET.get("commune") or request.POST.get("commune")
    if not code:
        return None
    try:
        return Commune.objects.visible_to(user).get(code=int(code))
    except (Commune.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


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
    commune = _commune(request)
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
    commune = _commune(request)
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
