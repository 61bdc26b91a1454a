"""Telling the hamlets' citizens about a trip: a preview of who will be reached and how, with each hamlet's message,
then the confirmation (`services.announce_trip`, through the registry's announcer — `mobile/announce.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..announce import announcement_for, announcer
from ..forms import AnnounceForm, RescheduleForm
from ..models import Trip
from ..services.trips import can_plan


def _trip(request, pk):
    trip = get_object_or_404(Trip.objects.visible_to(request.user).select_related("commune"), pk=pk)
    if not can_plan(request.user, trip.commune_id):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được thông báo chuyến đi."))
    return trip


@login_required
def announce(request, pk):
    trip = _trip(request, pk)
    found = announcer()
    if found is None:
        raise Http404(_("Chưa có phân hệ tiếp cận người dân."))
    stops = [s for s in trip.stops.select_related("hamlet").order_by("position") if s.position is not None]
    form = AnnounceForm(request.POST or None, stops=stops)
    places, bring = (
        (form.places(), form.cleaned_data["bring"]) if form.is_bound and form.is_valid() else ({}, "")
    )
    refused = False
    if request.method == "POST" and "confirm" in request.POST and form.is_valid():
        try:
            state = services.announce_trip(request.user, trip, places=places, bring=bring)
        except ValidationError as exc:
            refused = True
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _(
                    "Đã gửi thông báo: %(sent)s tin nhắn đang gửi hoặc đã gửi, %(call)s người cần gọi điện báo."
                )
                % {"sent": state.reached + state.queued, "call": state.to_call},
            )
            return redirect("mobile:trip", trip.pk)
    preview = found.preview(request.user, announcement_for(trip, places=places, bring=bring))
    return render(
        request,
        "mobile/trip_announce.html",
        {"trip": trip, "preview": preview, "form": form},
        status=400 if refused else 200,
    )


@login_required
def reschedule(request, pk):
    trip = _trip(request, pk)
    if request.method != "POST":
        return redirect("mobile:trip", trip.pk)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            services.reschedule_trip(request.user, trip, day=form.cleaned_data["day"])
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Đã đổi ngày đi."))
    else:
        messages.error(request, _("Ghi ngày đi hợp lệ."))
    return redirect("mobile:trip", trip.pk)
