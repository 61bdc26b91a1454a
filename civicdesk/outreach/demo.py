"""Outreach's part of the demo: Xã Di Linh's "Chủ động tiếp cận người dân" campaign, laid over the five months
before the demo's anchor day and the weeks after it (the seed ran July–December 2025; the demo replays that
shape around any anchor).

The list is imported through the real import (a CSV built here, with consent columns). Citizens who were reached
and then filed are the applicants of real demo dossiers of Di Linh (same CCCD and phone), linked through the real
services; the rest were not reached, declined, gave a wrong number, or are still to call. Two replied "TU CHOI" by
SMS. A youth-union volunteer account (dilinh.tinhnguyen) and the commune officer hold the lists; both have calls
due on the anchor day. Names, phones and CCCD numbers are invented. Idempotent: nothing is added once Di Linh has a
campaign.
"""

import random
from datetime import datetime, time, timedelta

from django.conf import settings

from civicdesk.community.models import Person
from civicdesk.community.services import save_person
from civicdesk.core.models import User
from civicdesk.core.services import create_user
from civicdesk.core.workcal import get_calendar
from civicdesk.geo.models import Commune
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.actors import DEMO
from civicdesk.kernel.phones import normalise
from civicdesk.kernel.roles import Role
from civicdesk.servicedesk.models import Dossier

from . import services
from .models import Campaign, ContactChannel, MessageTemplate, Outcome, Target

DI_LINH = 25000
VOLUNTEER = "dilinh.tinhnguyen"
PROCEDURES = ("HT-001", "HT-005", "HT-008", "HT-015", "CT-001")
FAMILY = (
    "K'",
    "Ka ",
    "Nguyễn Văn ",
    "Trần Thị ",
    "Lê Văn ",
    "Ka Nhật ",
    "K'Brơi ",
    "Phạm Thị ",
    "Hoàng Văn ",
    "Bơ Nah ",
)
GIVEN = (
    "Điệp",
    "Hòa",
    "Sương",
    "Brăng",
    "Hùng",
    "Lan",
    "Thuận",
    "Mai",
    "Tâm",
    "Dung",
    "Nhung",
    "Phúc",
    "Yên",
    "Khánh",
)
EXTRA_TARGETS = 420
MOBILE_PREFIXES = ("091", "094", "098", "097", "086", "090", "093", "038", "035", "088", "083", "070")
SMS_BODY = (
    "UBND {xa} thông báo: xã hỗ trợ anh/chị {ho_ten} làm thủ tục {thu_tuc} (nộp trực tuyến hoặc tại Trung tâm). "
    "Cần hướng dẫn, gọi lại số này. Nhắn TU CHOI để không nhận tin."
)


def _volunteer(commune):
    user = User.objects.filter(username=VOLUNTEER).first()
    if user is None:
        user = create_user(
            DEMO,
            username=VOLUNTEER,
            full_name="Lý Thị Vy",
            role=Role.VOLUNTEER,
            commune=commune,
            password=settings.DEMO_PASSWORD,
            position="Đoàn viên, Đội thanh niên tình nguyện xã",
            email=f"{VOLUNTEER}@demo.civicdesk.local",
        )
    return user


def _instant(rng, day):
    """A time on `day` within office hours (the contact hours contain them)."""
    return datetime.combine(
        day, time(rng.choice((8, 9, 10, 14, 15, 16)), rng.randrange(0, 60, 5)), tzinfo=get_calendar().tz
    )


def _working_before(day, rng, max_back):
    cal = get_calendar()
    for _ in range(30):
        candidate = day - timedelta(days=rng.randint(1, max_back))
        if cal.is_working_day(candidate):
            return candidate
    return day - timedelta(days=1)


def invented_phone(rng):
    """An invented mobile number with a prefix the networks use (so `phonenumbers` accepts it)."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def _csv(rng, converted, hamlets):
    lines = ["full_name,phone,id_number,hamlet,procedure,consent,consent_source,note"]
    for dossier in converted:
        channels = "phone sms" if rng.random() < 0.6 else "phone"
        lines.append(
            f"{dossier.applicant_name},{dossier.applicant_phone},{dossier.applicant_id_number},"
            f"{rng.choice(hamlets)},{dossier.procedure_code},{channels},Phiếu đồng ý tại nhà văn hóa thôn,"
        )
    for n in range(EXTRA_TARGETS):
        channels = rng.choice(("phone", "phone sms", "phone sms zalo", "phone visit"))
        name = rng.choice(FAMILY) + rng.choice(GIVEN)
        lines.append(
            f"{name},{invented_phone(rng)},068{rng.randrange(10**9):09d},{rng.choice(hamlets)},HT-001,{channels},"
            f"Phiếu đồng ý tại nhà văn hóa thôn,Trẻ dưới 1 tuổi chưa đăng ký khai sinh"
            if n % 3 == 0
            else f"{name},{invented_phone(rng)},,{rng.choice(hamlets)},{rng.choice(PROCEDURES)},{channels},"
            f"Đồng ý qua điện thoại với cán bộ thôn,"
        )
    return ("\n".join(lines) + "\n").encode()


def _work_converted(rng, target, dossier, officer, start):
    """The citizen was reached before filing; the filing is linked to the contact."""
    filed_day = dossier.received_date
    reached_day = max(start, _working_before(filed_day, rng, 10))
    at = _instant(rng, reached_day)
    if at >= dossier.received_at:  # filed the same morning: the call was the afternoon before
        at = datetime.combine(filed_day - timedelta(days=1), time(15, 0), tzinfo=get_calendar().tz)
    if rng.random() < 0.3 and (at - timedelta(days=2)).date() >= start:
        services.record_attempt(
            officer, target, channel="phone", outcome=Outcome.NO_ANSWER, at=at - timedelta(days=2)
        )
    outcome = rng.choice((Outcome.GUIDED_ONLINE, Outcome.REACHED, Outcome.APPOINTMENT))
    follow = dossier.received_at if outcome == Outcome.APPOINTMENT else None
    services.record_attempt(officer, target, channel="phone", outcome=outcome, at=at, next_action_at=follow,
                            note="Đã hướng dẫn giấy tờ và cách nộp")  # fmt: skip
    services.link_dossier(officer, target, dossier.code)


def _channel(rng, consents, n):
    """How this try is made, among the channels the citizen agreed to: mostly calls, some Zalo, some home visits."""
    if "visit" in consents and rng.random() < 0.5:
        return ContactChannel.VISIT
    if "zalo" in consents and rng.random() < 0.4:
        return ContactChannel.ZALO
    return ContactChannel.PHONE


def _work_other(rng, target, officer, first_day, last_day, sms):
    """Attempts that did not (yet) produce a dossier, spread over the campaign's past weeks; some begin with an SMS."""
    cal = get_calendar()
    day = first_day + timedelta(days=rng.randrange(max(1, (last_day - first_day).days)))
    consents = set(target.person.consents.values_list("channel", flat=True))
    if "sms" in consents and rng.random() < 0.5:
        while not cal.is_working_day(day):
            day += timedelta(days=1)
        if day > last_day:
            return
        message = services.send_message(officer, target, sms, at=_instant(rng, day))
        services.receipt(
            "sms",
            tracking_id=message.tracking_id,
            status="delivered",
            at=message.created_at + timedelta(minutes=1),
        )
        day = cal.next_working_day(cal.next_working_day(day))
    tries = rng.choice((1, 1, 2, 3))
    for n in range(tries):
        while not cal.is_working_day(day):
            day += timedelta(days=1)
        if day > last_day:
            return
        roll = rng.random()
        if n < tries - 1 or roll < 0.35:
            outcome = Outcome.NO_ANSWER
        elif roll < 0.55:
            outcome = Outcome.GUIDED_ONLINE
        elif roll < 0.7:
            outcome = Outcome.REACHED
        elif roll < 0.85:
            outcome = Outcome.REFUSED
        else:
            outcome = Outcome.WRONG_NUMBER
        target.refresh_from_db()
        if not target.is_open:
            return
        at = _instant(rng, day)
        if target.last_attempt_at and at < target.last_attempt_at + timedelta(
            hours=target.campaign.cooloff_hours
        ):
            day = cal.next_working_day(day)  # the campaign's cool-off: the next working day after
            at = _instant(rng, day)
            if day > last_day:
                return
        channel = _channel(rng, consents, n)
        if channel == ContactChannel.VISIT and outcome in (Outcome.NO_ANSWER, Outcome.WRONG_NUMBER):
            outcome = Outcome.NOT_HOME
        services.record_attempt(officer, target, channel=channel, outcome=outcome, at=at)
        day = cal.next_working_day(day)


def load(stdout, clock):
    commune = Commune.objects.filter(code=DI_LINH).first()
    officer = User.objects.filter(username="dilinh.canbo").first()
    if commune is None or officer is None or Campaign.objects.filter(commune=commune).exists():
        return
    rng = random.Random(DI_LINH)
    volunteer = _volunteer(commune)
    procedures = list(Procedure.objects.filter(code__in=PROCEDURES))
    start = (clock.today.replace(day=1) - timedelta(days=120)).replace(day=1)
    campaign = services.save_campaign(
        DEMO,
        commune=commune,
        data={
            "name": "Chủ động tiếp cận người dân",
            "purpose": (
                "Chủ động liên hệ người dân (gọi điện, nhắn tin, Zalo, đến tận nhà) để hướng dẫn, hỗ trợ làm thủ "
                "tục hành chính, không chờ người dân đến: khai sinh cho trẻ chưa đăng ký, kết hôn, chứng thực, "
                "và nộp hồ sơ trực tuyến."
            ),
            "theme": "online_filing",
            "start_date": start,
            "end_date": clock.today + timedelta(days=25),
            "owner": officer,
            "max_attempts": 3,
            "cooloff_hours": 20,
        },
        procedures=procedures,
    )
    start_at = datetime.combine(start, time(7, 30), tzinfo=get_calendar().tz)
    pool = list(
        Dossier.objects.filter(
            commune=commune, procedure_code__in=PROCEDURES, received_at__gte=start_at + timedelta(days=12),
            received_at__lt=clock.now,
        ).exclude(applicant_id_number="").order_by("received_at")
    )  # fmt: skip
    seen, converted = set(), []
    for dossier in rng.sample(pool, min(len(pool), max(1, len(pool) // 2))):
        if dossier.applicant_id_number not in seen:
            seen.add(dossier.applicant_id_number)
            converted.append(dossier)
    hamlets = list(commune.hamlets.values_list("name", flat=True)) or [""]
    report = services.import_targets(
        DEMO, campaign, content=_csv(rng, converted, hamlets), filename="di-linh.csv"
    )
    if not report.ok:
        raise RuntimeError(f"outreach demo list refused: {report.errors[:3]}")
    Target.objects.filter(campaign=campaign).update(created_at=start_at)
    by_id = {t.person.id_number: t for t in campaign.targets.select_related("person") if t.person.id_number}
    for dossier in converted:
        target = by_id.get(dossier.applicant_id_number)
        if (
            target is not None and target.dossier_id is None
        ):  # two rows with one phone were merged into one person
            _work_converted(rng, target, dossier, officer, start)
    others = list(campaign.targets.filter(dossier__isnull=True).order_by("pk"))
    yesterday = clock.today - timedelta(days=1)
    worked = others[: int(len(others) * 0.7)]
    sms = _template(commune)
    for target in worked:
        _work_other(rng, target, officer, start, yesterday, sms)
    _opt_outs(campaign, clock)
    # The lists: the officer and the volunteer each hold some of what is still open, with calls due on the anchor day.
    services.reserve(DEMO, campaign, volunteer, count=40)
    services.reserve(DEMO, campaign, officer, count=60)
    due = datetime.combine(clock.today, time(7, 30), tzinfo=get_calendar().tz)
    Target.objects.filter(campaign=campaign, status=Target.Status.IN_PROGRESS, next_action_at__lt=due).update(
        next_action_at=due
    )
    stdout.write(
        f"    outreach: {campaign.targets.count()} người trong chiến dịch Di Linh, "
        f"{campaign.targets.filter(dossier__isnull=False).count()} đã nộp hồ sơ; tình nguyện viên: {VOLUNTEER}\n"
    )


def _template(commune):
    """The commune's SMS template (through the service, which checks its fields)."""
    found = MessageTemplate.objects.filter(commune=commune, channel="sms", name="Mời làm thủ tục").first()
    return found or services.save_template(
        DEMO, province=commune.province, commune=commune,
        data={"channel": "sms", "name": "Mời làm thủ tục", "body": SMS_BODY},
    )  # fmt: skip


def _opt_outs(campaign, clock):
    """Two citizens who replied TU CHOI to the SMS the campaign sent them: nobody may contact them again."""
    messaged = (
        campaign.targets.filter(status__in=Target.OPEN, messages__isnull=False)
        .select_related("person")
        .distinct()
        .order_by("pk")[:2]
    )
    for n, target in enumerate(list(messaged)):
        sent = target.messages.order_by("created_at").first().created_at
        services.reply(
            "sms",
            message_id=f"demo-reply-{n}",
            phone=target.person.phone,
            text="TU CHOI" if n == 0 else "Từ chối",
            at=min(sent + timedelta(hours=2), clock.now - timedelta(hours=1)),
        )


# Cát Tiên 3's residents who agreed, at their hamlet's meeting, to hear from the commune (the mobile team's demo
# trip is announced to them): (name, hamlet, channels agreed). Invented.
CAT_TIEN_3 = 25162
RESIDENTS = (
    ("Điểu Thị Lan", "Thôn 1", ("sms", "phone")),
    ("Điểu K'Brăng", "Thôn 1", ("sms",)),
    ("Thị Hương", "Thôn 1", ("phone",)),
    ("Điểu Văn Tâm", "Thôn 1", ()),
    ("Ka Sương", "Thôn 4", ("sms", "phone")),
    ("Điểu Thị Mai Anh", "Thôn 4", ("sms",)),
    ("Nguyễn Văn Phúc", "Thôn 4", ("sms",)),
)


def load_residents(stdout, clock):
    """Residents of Cát Tiên 3 with their consent, through the real services; idempotent (once one is listed)."""
    commune = Commune.objects.filter(code=CAT_TIEN_3).first()
    if commune is None or Person.objects.filter(commune=commune, consents__isnull=False).exists():
        return
    hamlets = {h.name: h for h in commune.hamlets.all()}
    rng = random.Random(CAT_TIEN_3)
    agreed = datetime.combine(clock.today - timedelta(days=20), time(9, 0), tzinfo=get_calendar().tz)
    for name, hamlet, channels in RESIDENTS:
        if hamlet not in hamlets:
            continue
        person = save_person(DEMO, commune=commune, data={
            "kind": Person.Kind.CITIZEN, "full_name": name, "hamlet": hamlets[hamlet],
            "phone": normalise(invented_phone(rng)),
        })  # fmt: skip
        for channel in channels:
            services.record_consent(
                DEMO, person, channel, source=f"Phiếu đồng ý tại họp {hamlet.lower()}", at=agreed
            )
    stdout.write(f"    outreach: {len(RESIDENTS)} người dân Cát Tiên 3 (đồng ý nhận tin ở họp thôn)\n")
