"""Volunteers' part of the demo: Xã Di Linh's youth-union volunteers at the commune centre, their first two months
replayed before the demo's anchor day, and the coming week open for sign-up.

Everything goes through the services, as a coordinator would do it: 40 volunteers (and the outreach demo's
dilinh.tinhnguyen), templates for Monday–Friday mornings and afternoons, two months of shifts generated on the working
calendar, auto-rostered with CP-SAT and published; attendance recorded from the sign-in sheets (a few no-shows and
declines), and the citizens each volunteer helped logged on their shift — about eight per half-day, like the seed's
"more than 2,000 citizens in two months" — with the Di Linh demo dossiers filed online with help at the centre on
those days linked to them. The counts come from that activity, not from typed totals. Names and phones are invented.
Idempotent: nothing is added once Di Linh has shift templates.
"""

import random
from datetime import datetime, time, timedelta

from civicdesk.community.models import Person
from civicdesk.core.models import User
from civicdesk.core.workcal import get_calendar
from civicdesk.geo.models import Commune
from civicdesk.handbook.models import Procedure
from civicdesk.servicedesk.models import Dossier

from . import services
from .models import Booking, Shift, ShiftTemplate, Skill, Volunteer
from .services.roster import auto_roster

DI_LINH = 25000
VOLUNTEERS = 40
UNITS = (
    "Chi đoàn thôn 1",
    "Chi đoàn thôn 2",
    "Chi đoàn thôn 5",
    "Đoàn trường THPT Di Linh",
    "Chi đoàn Công an xã",
)
FAMILY = (
    "K'",
    "Ka ",
    "Nguyễn Thị ",
    "Trần Văn ",
    "Lê Thị ",
    "Ka Nhật ",
    "K'Brơi ",
    "Phạm Văn ",
    "Hoàng Thị ",
    "Bơ Nah ",
)
GIVEN = (
    "Vy",
    "Hà",
    "Sang",
    "Brăng",
    "Tuấn",
    "Linh",
    "Thảo",
    "Minh",
    "Tâm",
    "Dung",
    "Ngọc",
    "Phúc",
    "Yến",
    "Khôi",
)
# What citizens come for, most often first (handbook codes), and how often they leave having filed online.
PROCEDURES = ("HT-001", "CT-001", "HT-005", "HT-015", "HT-014", "CT-002", "HT-008")
ONLINE_SHARE = 0.7
# Citizens one volunteer helps in a half-day (the seed: ~2,000 citizens over ~240 volunteer shifts, about 8 each).
HELPED_PER_HALF_DAY = (5, 11)


def _templates(officer, commune):
    for weekday in range(5):
        services.save_template(officer, commune, weekday=weekday, part="am", start=time(7, 30), end=time(11, 30),
                               minimum=3, maximum=6, skills=["online_filing"])  # fmt: skip
        services.save_template(officer, commune, weekday=weekday, part="pm", start=time(13, 30), end=time(17, 0),
                               minimum=3, maximum=5, skills=["vneid"])  # fmt: skip


def _volunteers(rng, officer, commune, clock):
    made = []
    hamlets = list(commune.hamlets.all()) or [None]
    for n in range(VOLUNTEERS):
        name = rng.choice(FAMILY) + rng.choice(GIVEN)
        halves = rng.sample([f"{d}:{p}" for d in range(5) for p in ("am", "pm")], rng.randint(3, 7))
        skills = {"online_filing"} | {
            s for s in (Skill.VNEID, Skill.SCANNING, Skill.PAYMENT) if rng.random() < 0.45
        }
        person_data = {
            "full_name": name,
            "phone": f"09{rng.randrange(10**8):08d}",
            "hamlet": rng.choice(hamlets),
            "available_slots": sorted(halves),
        }
        data = {
            "unit": rng.choice(UNITS),
            "skills": sorted(skills),
            "max_per_week": rng.choice((2, 2, 3)),
            "contact_consent": rng.random() < 0.9,
            "joined_on": clock.days_ago(70 + n % 5),
        }
        made.append(services.save_volunteer(officer, commune, person_data=person_data, data=data))
    account = User.objects.filter(username="dilinh.tinhnguyen").first()
    if account is not None and not Person.objects.filter(user=account).exists():
        person_data = {
            "full_name": account.full_name,
            "phone": "0912000777",
            "user": account,
            "available_slots": ["0:am", "1:pm", "2:am", "3:am", "4:pm"],
        }
        data = {
            "unit": "Đội thanh niên tình nguyện xã",
            "skills": ["online_filing", "vneid"],
            "max_per_week": 3,
            "contact_consent": True,
            "joined_on": clock.days_ago(75),
        }
        made.append(services.save_volunteer(officer, commune, person_data=person_data, data=data))
    return made


def _attend(rng, officer, booking, tz, procedures, assisted):
    shift = booking.shift
    roll = rng.random()
    if roll < 0.04:
        return 0  # a no-show, marked below
    arrive = datetime.combine(shift.day, shift.start, tzinfo=tz) + timedelta(minutes=rng.randint(-15, 20))
    leave = datetime.combine(shift.day, shift.end, tzinfo=tz) + timedelta(minutes=rng.randint(-30, 10))
    services.record_attendance(officer, booking, check_in_at=arrive, check_out_at=leave)
    helped = rng.randint(*HELPED_PER_HALF_DAY)
    span = (leave - arrive).total_seconds()
    for k in range(helped):
        at = arrive + timedelta(seconds=span * (k + 1) / (helped + 1))
        dossier = assisted.pop() if assisted and rng.random() < 0.5 else None
        services.log_help(
            officer, booking.volunteer, at=at,
            procedure_code="" if dossier else rng.choices(procedures, weights=range(len(procedures), 0, -1))[0],
            filed_online=rng.random() < ONLINE_SHARE, dossier_code=dossier.code if dossier else "",
        )  # fmt: skip
    return helped


def load(stdout, clock):
    commune = Commune.objects.filter(code=DI_LINH).first()
    officer = User.objects.filter(username="dilinh.canbo").first()
    if commune is None or officer is None or ShiftTemplate.objects.filter(commune=commune).exists():
        return
    rng = random.Random(DI_LINH + 17)
    cal = get_calendar()
    _templates(officer, commune)
    _volunteers(rng, officer, commune, clock)
    procedures = [c for c in PROCEDURES if Procedure.objects.filter(code=c).exists()]
    # The first two months: from the Monday eight weeks before the anchor's week to the day before the anchor.
    monday = clock.today - timedelta(days=clock.today.weekday())
    start, end = monday - timedelta(weeks=8), clock.today - timedelta(days=1)
    services.generate_shifts(officer, commune, start=start, end=end)
    auto_roster(officer, commune, start=start, end=end, time_limit=5.0)
    services.publish(officer, commune, start=start, end=end)
    helped = 0
    for shift in Shift.objects.filter(commune=commune, day__range=(start, end)).order_by("day", "part"):
        assisted = list(
            Dossier.objects.filter(commune=commune, received_date=shift.day, channel="truc_tuyen_ho_tro")
            .filter(received_at__time__gte=shift.start, received_at__time__lt=shift.end)
            .order_by("received_at")
        )
        for booking in shift.bookings.filter(status__in=Booking.HOLDING).select_related(
            "shift", "volunteer__person"
        ):
            helped += _attend(rng, officer, booking, cal.tz, procedures, assisted)
        for booking in shift.bookings.filter(status__in=(Booking.Status.ROSTERED, Booking.Status.CONFIRMED)):
            services.mark_no_show(officer, booking)
    # From the anchor day to the end of next week: generated, rostered and published, open for sign-up and swaps.
    ahead = monday + timedelta(days=11)
    services.generate_shifts(officer, commune, start=clock.today, end=ahead)
    auto_roster(officer, commune, start=clock.today, end=ahead, time_limit=5.0)
    services.publish(officer, commune, start=clock.today, end=ahead)
    attended = Booking.objects.filter(shift__commune=commune, status=Booking.Status.ATTENDED).count()
    stdout.write(
        f"    volunteers: {Volunteer.objects.filter(person__commune=commune).count()} tình nguyện viên, "
        f"{attended} lượt trực, {helped} lượt hỗ trợ người dân trong hai tháng\n"
    )
