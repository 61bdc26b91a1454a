"""A volunteer's own page: the coming shifts (confirm, decline, ask to drop), shifts open for sign-up, the check-in
page the shift's QR code opens, the citizens helped today, their hours, and how they want their reminders."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.handbook.models import Procedure
from civicdesk.kernel.actors import system
from civicdesk.kernel.forms import add_service_errors

from .. import services
from ..forms import DropForm, HelpForm, ReminderForm, SwapForm
from ..models import Booking, ChangeRequest, Help, Shift

REMINDER = system("thư nhắc lịch trực")
COMMON_PROCEDURES = ("HT-001", "CT-001", "HT-005", "HT-015", "HT-014", "CT-002", "HT-008")


def _me(request):
    volunteer = services.volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


def _procedures():
    found = {p.code: p for p in Procedure.objects.filter(code__in=COMMON_PROCEDURES)}
    return [found[c] for c in COMMON_PROCEDURES if c in found]


def _reminder_initial(volunteer):
    return {
        "contact_consent": volunteer.contact_consent,
        "reminder_channel": volunteer.reminder_channel,
        "phone": volunteer.person.phone,
        "email": volunteer.email,
    }


@login_required
def mine(request, help_form=None, reminder_form=None):
    volunteer = services.volunteer_of(request.user)
    if volunteer is None:
        return render(request, "volunteers/not_volunteer.html", status=200)
    today = timezone.localdate()
    bookings = list(
        volunteer.bookings.filter(shift__day__gte=today, shift__status=Shift.Status.PUBLISHED)
        .exclude(status__in=(Booking.Status.DROPPED,))
        .select_related("shift")
        .prefetch_related("changes")
        .order_by("shift__day", "shift__part")[:40]
    )
    for booking in bookings:
        booking.pending_change = any(c.status == ChangeRequest.Status.PENDING for c in booking.changes.all())
    taken = {b.shift_id for b in bookings}
    open_shifts = (
        Shift.objects.filter(
            commune_id=volunteer.person.commune_id, status=Shift.Status.PUBLISHED,
            day__range=(today, today + timedelta(days=13)),
        )
        .exclude(pk__in=taken)
        .annotate(held=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING)))
        .order_by("day", "part")
    )  # fmt: skip
    on_shift = next(
        (b for b in bookings if b.shift.day == today and b.check_in_at and not b.check_out_at), None
    )
    attended = volunteer.bookings.filter(status=Booking.Status.ATTENDED).select_related("shift")
    return render(
        request,
        "volunteers/mine.html",
        {
            "volunteer": volunteer, "bookings": bookings, "open_shifts": open_shifts, "on_shift": on_shift,
            "help_form": help_form or HelpForm(procedures=_procedures()), "drop_form": DropForm(),
            "swap_form": SwapForm(commune=volunteer.person.commune, exclude=volunteer.pk),
            "shifts_done": attended.count(), "hours": round(sum(b.hours for b in attended), 1),
            "helped": Help.objects.filter(volunteer=volunteer).count(),
            "helped_today": Help.objects.filter(volunteer=volunteer, at__date=today).count(),
            "reminder_form": reminder_form or ReminderForm(initial=_reminder_initial(volunteer)),
        },
        status=400 if help_form is not None or reminder_form is not None else 200,
    )  # fmt: skip


def _back(request, exc=None, done=""):
    if exc is not None:
        messages.error(request, " ".join(exc.messages))
    elif done:
        messages.success(request, done)
    return redirect("volunteers:mine")


@login_required
@require_POST
def sign_up(request, pk):
    volunteer = _me(request)
    shift = get_object_or_404(Shift.objects.visible_to(request.user), pk=pk)
    try:
        booking = services.sign_up(request.user, shift, volunteer)
    except ValidationError as exc:
        return _back(request, exc)
    if booking.status == Booking.Status.WAITLISTED:
        return _back(request, done=_("Ca đã đủ người: bạn ở danh sách chờ, có chỗ trống sẽ được xếp ngay."))
    return _back(request, done=_("Đã đăng ký ca %(shift)s.") % {"shift": shift})


def _my_booking(request, pk):
    return get_object_or_404(
        Booking.objects.visible_to(request.user).filter(volunteer=_me(request)).select_related("shift"), pk=pk
    )


@login_required
@require_POST
def answer(request, pk):
    booking = _my_booking(request, pk)
    coming = request.POST.get("coming") == "1"
    try:
        services.answer_reminder(request.user, booking, coming=coming)
    except ValidationError as exc:
        return _back(request, exc)
    return _back(
        request,
        done=_("Cảm ơn, đã ghi bạn sẽ đến.")
        if coming
        else _("Đã ghi bạn không đến; chỗ được nhường cho người khác."),
    )


@login_required
@require_POST
def drop(request, pk):
    booking = _my_booking(request, pk)
    form = DropForm(request.POST)
    if not form.is_valid():
        return _back(request, ValidationError(next(iter(form.errors.values()))))
    try:
        services.request_change(
            request.user, booking, kind=ChangeRequest.Kind.DROP, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        return _back(request, exc)
    return _back(request, done=_("Đã gửi đề nghị rút; điều phối viên sẽ duyệt."))


@login_required
@require_POST
def swap(request, pk):
    booking = _my_booking(request, pk)
    form = SwapForm(request.POST, commune=booking.shift.commune, exclude=booking.volunteer_id)
    if not form.is_valid():
        return _back(request, ValidationError(next(iter(form.errors.values()))))
    try:
        services.request_change(
            request.user, booking, kind=ChangeRequest.Kind.SWAP, to_volunteer=form.cleaned_data["to_volunteer"],
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except ValidationError as exc:
        return _back(request, exc)
    return _back(request, done=_("Đã gửi đề nghị đổi ca; điều phối viên sẽ duyệt."))


@login_required
@require_POST
def reminder_settings(request):
    volunteer = _me(request)
    form = ReminderForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_volunteer(
                request.user, volunteer.person.commune, person_data={"phone": data.pop("phone")}, data=data,
                volunteer=volunteer,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _back(request, done=_("Đã lưu cách nhận nhắc lịch."))
    return mine(request, reminder_form=form)


def answer_link(request, signed):
    """The reminder's one-click answer: a signed link (booking, yes or no — or neither, for the SMS's single link,
    then the page offers both) valid until the shift ends, so a volunteer answers from the message without signing
    in. A GET shows the question; the answer is a POST (a link preview never answers)."""
    from ..reminders import read_answer_token

    booking, coming = read_answer_token(signed)
    if booking is None:
        raise Http404
    if request.method == "POST":
        if coming is None:  # the SMS's link: the answer is the button pressed
            if request.POST.get("coming") not in ("0", "1"):
                return render(
                    request, "volunteers/answer.html", {"booking": booking, "coming": None, "done": False}
                )
            coming = request.POST["coming"] == "1"
        try:
            services.answer_reminder(booking.volunteer.person.user or REMINDER, booking, coming=coming)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Cảm ơn, đã ghi bạn sẽ đến.")
                if coming
                else _("Đã ghi bạn không đến; chỗ được nhường cho người khác."),
            )
        return render(request, "volunteers/answer.html", {"booking": booking, "coming": coming, "done": True})
    return render(request, "volunteers/answer.html", {"booking": booking, "coming": coming, "done": False})


@login_required
def checkin(request, pk, token):
    """The page the shift's QR code opens: check in (and, once in, check out)."""
    volunteer = _me(request)
    shift = get_object_or_404(Shift.objects.visible_to(request.user), pk=pk)
    booking = Booking.objects.filter(shift=shift, volunteer=volunteer).first()
    if request.method == "POST":
        try:
            if booking is not None and booking.check_in_at and not booking.check_out_at:
                services.check_out(request.user, booking)
                messages.success(request, _("Đã điểm danh về. Cảm ơn bạn!"))
            else:
                services.check_in(request.user, shift, volunteer, token=token)
                messages.success(request, _("Đã điểm danh đến ca %(shift)s.") % {"shift": shift})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("volunteers:mine")
    return render(request, "volunteers/checkin.html", {"shift": shift, "booking": booking, "token": token})


@login_required
@require_POST
def log_help(request):
    volunteer = _me(request)
    form = HelpForm(request.POST, procedures=_procedures())
    if form.is_valid():
        try:
            services.log_help(request.user, volunteer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _back(request, done=_("Đã ghi một người dân được hỗ trợ."))
    return mine(request, help_form=form)
