"""The mobile team's part of the demo (Xã Cát Tiên 3): the team's phone registered, two more hamlets on the map
beside the community demo's Thôn 1 and Thôn 4, and a trip to three hamlets planned for the first working day after
the anchor, with its route — what `cattien3.canbo` and `cattien3.luudong` (the team) find on `/mobile/` —,
announced the day before the anchor to the hamlets' residents who agreed to SMS (when an announcer is registered:
outreach's demo lists them).
Hamlet names, positions and the trip are invented. Idempotent: nothing is added once the commune has a device."""

from datetime import datetime, time, timedelta

from civicdesk.core.models import User
from civicdesk.core.workcal import get_calendar
from civicdesk.geo.models import Commune, Hamlet
from civicdesk.geo.services import add_hamlet, set_coordinates
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.actors import DEMO

from . import services
from .announce import announcer
from .models import Device

CAT_TIEN_3 = 25162
CENTRE = (11.598, 107.365)
# (name, Δlat, Δlon from the centre) — the community demo adds Thôn 1 and Thôn 4.
MORE_HAMLETS = (("Thôn 2", 0.031, -0.018), ("Thôn 6", -0.022, 0.052))
# The trip: (hamlet, people gathered from, until, minutes the team stays)
STOPS = (("Thôn 6", time(8, 0), time(10, 30), 90), ("Thôn 4", time(10, 0), time(12, 0), 60),
         ("Thôn 1", time(13, 30), time(16, 0), 90))  # fmt: skip
PROCEDURES = ("HT-001", "HT-008", "CT-001", "HT-014")


def load(stdout, clock):
    commune = Commune.objects.filter(code=CAT_TIEN_3).first()
    officer = User.objects.filter(username="cattien3.canbo").first()
    if commune is None or officer is None or Device.objects.filter(commune=commune).exists():
        return
    if commune.lat is None or commune.lon is None:
        set_coordinates(DEMO, commune, lat=CENTRE[0], lon=CENTRE[1])
    for name, dlat, dlon in MORE_HAMLETS:
        if not Hamlet.objects.filter(commune=commune, name=name).exists():
            add_hamlet(
                DEMO, commune, name=name, lat=round(commune.lat + dlat, 5), lon=round(commune.lon + dlon, 5)
            )
    services.register_device(officer, commune, label="Điện thoại tổ 1")
    hamlets = {h.name: h for h in Hamlet.objects.filter(commune=commune)}
    stops = [
        {"hamlet": hamlets[name], "window_start": start, "window_end": end, "service_minutes": minutes}
        for name, start, end, minutes in STOPS
        if name in hamlets and hamlets[name].lat is not None
    ]
    day = clock.today + timedelta(days=1)
    calendar = get_calendar()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    codes = [c for c in PROCEDURES if Procedure.objects.filter(code=c).exists()]
    trip = services.plan_trip(
        officer, commune, day=day, title="Thôn 6, Thôn 4, Thôn 1 — khai sinh, khai tử, chứng thực",
        leave_at=time(7, 30), back_by=time(17, 0), stops=stops, procedure_codes=codes, today=clock.today,
    )  # fmt: skip
    team = User.objects.filter(username="cattien3.luudong").first()
    if team is not None:
        trip.members.add(team)
    told = ""
    if announcer() is not None:
        # Announced the afternoon before the anchor, within the contact hours (the clock's `now` is midnight).
        at = datetime.combine(clock.today - timedelta(days=1), time(16, 0), tzinfo=clock.now.tzinfo)
        state = services.announce_trip(officer, trip, bring="giấy tờ của thủ tục cần làm", at=at)
        told = f", báo cho {state.reached + state.queued} người dân qua SMS"
    stdout.write(f"    mobile: 1 máy, chuyến {day:%d/%m} qua {len(stops)} thôn, {trip.route_km:.1f} km{told}")
