"""Trips: plan one (the day, the hamlets with their gathering windows) and see its route — the order of the
hamlets, the arrival times, the distance, and the hamlets the day cannot fit, with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.geo.choice import commune_of_request
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.forms import add_service_errors

from .. import services
from ..announce import announcement_for, announcer
from ..forms import RescheduleForm, StopFormSet, TripForm
from ..models import Trip
from ..reports import trip_report
from ..services.trips import can_plan, hamlets_for, reason_text


@login_required
def new(request):
    commune = commune_of_request(request)
    if commune is None or not can_plan(request.user, commune.pk):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được lên kế hoạch chuyến đi."))
    hamlets = {h.pk: h for h in hamlets_for(commune)}
    if request.method == "POST":
        form = TripForm(request.POST)
        stops = StopFormSet(request.POST, prefix="stops")
        if form.is_valid() and stops.is_valid():
            chosen = [
                {**row, "hamlet": hamlets[row["hamlet"]]}
                for row in stops.cleaned_data
                if row.get("include") and row.get("hamlet") in hamlets
            ]
            try:
                trip = services.plan_trip(request.user, commune, stops=chosen, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lên kế hoạch chuyến đi và tính đường đi."))
                return redirect("mobile:trip", trip.pk)
    else:
        form = TripForm()
        stops = StopFormSet(prefix="stops", initial=[{"hamlet": pk} for pk in hamlets])
    rows = [(hamlets.get(f["hamlet"].value() and int(f["hamlet"].value())), f) for f in stops]
    return render(
        request, "mobile/trip_new.html", {"commune": commune, "form": form, "stops": stops, "rows": rows}
    )


@login_required
def detail(request, pk):
    trip = get_object_or_404(Trip.objects.visible_to(request.user).select_related("commune"), pk=pk)
    stops = list(trip.stops.select_related("hamlet").order_by("position", "hamlet__name"))
    visited = [s for s in stops if s.position]
    left = [(s, reason_text(s.left_out)) for s in stops if not s.position]
    planner = can_plan(request.user, trip.commune_id)
    upcoming = trip.day >= timezone.localdate() and trip.status == Trip.Status.PLANNED
    names = dict(Procedure.objects.filter(code__in=trip.procedure_codes).values_list("code", "name"))
    return render(
        request,
        "mobile/trip.html",
        {
            "trip": trip,
            "procedures": [(code, names.get(code, "")) for code in trip.procedure_codes],
            "visited": visited,
            "left": left,
            "sketch": _sketch(trip, visited),
            "report": trip_report(trip),
            "announcement": _announcement(request.user, trip, planner, upcoming),
            "reschedule": RescheduleForm(initial={"day": trip.day}) if planner and upcoming else None,
        },
    )


def _announcement(user, trip, planner, upcoming):
    """The announcement's card: None when no app announces (outreach absent) — the page then says nothing of it."""
    found = announcer()
    if found is None or not found.can_announce(user, trip.commune_id):
        return None
    state = found.state(user, announcement_for(trip))
    return {"state": state, "can_send": planner and upcoming}


def _sketch(trip, visited):
    """Points and the route's polyline in a 300×200 box (an SVG drawn in the template; no map tiles needed)."""
    commune = trip.commune
    points = [(commune.lat, commune.lon)] + [(s.hamlet.lat, s.hamlet.lon) for s in visited]
    points = [(lat, lon) for lat, lon in points if lat is not None and lon is not None]
    if len(points) < 2:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 1e-6)

    def xy(lat, lon):
        return round(20 + (lon - min(lons)) / span * 260, 1), round(180 - (lat - min(lats)) / span * 160, 1)

    centre = xy(commune.lat, commune.lon)
    stops = [(s.position, *xy(s.hamlet.lat, s.hamlet.lon)) for s in visited]
    line = [centre, *[(x, y) for _n, x, y in stops], centre]
    # SVG numbers as text here: the template would localise them ("265,8" in Vietnamese).
    return {
        "centre": (f"{centre[0] - 6:.1f}", f"{centre[1] - 6:.1f}"),
        "stops": [(n, f"{x:.1f}", f"{y:.1f}", f"{y + 4:.1f}") for n, x, y in stops],
        "path": " ".join(f"{x:.1f},{y:.1f}" for x, y in line),
    }
