"""Language access's part of the demo: Phường Cam Ly – Đà Lạt's team and two highland communes (Di Linh, K'Ho;
Cát Tiên 3, Mạ and Xtiêng), their hamlets' minority population by language, officials and volunteers with their
languages and certificates, citizens who need a speaker, and a week of accompaniment requests around the anchor.

Everything here is invented for the demo (names, hamlets' figures, certificate numbers); the languages' codes and
the certificate's legal basis (Circular 09/2023/TT-BGDĐT) are real. Dates are laid from the demo clock, on working
days of the calendar. Idempotent: nothing is added once Cam Ly has its people.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model

from civicdesk.core.workcal import get_calendar
from civicdesk.geo.models import Commune, Hamlet, HamletLanguage
from civicdesk.geo.services import add_hamlet, set_coordinates
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.actors import DEMO
from civicdesk.servicedesk.models import Dossier
from civicdesk.servicedesk.services import set_language_service

from . import services
from .matchmaking import proposals
from .models import Accompaniment, Person

CAM_LY, DI_LINH, CAT_TIEN_3 = 24787, 25000, 25162
# Rough centres, used only when the commune has no coordinates yet (staffing's demo keeps those already set).
CENTRES = {CAM_LY: (11.952, 108.418), DI_LINH: (11.583, 108.072), CAT_TIEN_3: (11.598, 107.365)}

# commune → [(hamlet name, kind, Δlat, Δlon, population, {language: speakers})]
HAMLETS = {
    CAM_LY: [
        ("Tổ dân phố 3", "to_dan_pho", 0.006, -0.004, 1450, {"kpm": 120}),
        ("Tổ dân phố 7", "to_dan_pho", -0.012, 0.010, 1620, {"kpm": 540, "cma": 60}),
        ("Tổ dân phố 9", "to_dan_pho", -0.021, -0.015, 1380, {"kpm": 860, "cje": 45}),
    ],
    DI_LINH: [
        ("Thôn 2", "thon", 0.018, 0.022, 1800, {"kpm": 1350}),
        ("Thôn 5", "thon", -0.030, 0.041, 1250, {"kpm": 980, "cje": 210}),
        ("Thôn 8", "thon", 0.052, -0.035, 900, {"kpm": 760}),
    ],
    CAT_TIEN_3: [
        ("Thôn 1", "thon", 0.015, 0.010, 1100, {"cma": 640, "sti": 120}),
        ("Thôn 4", "thon", -0.040, 0.028, 850, {"cma": 420, "sti": 260}),
    ],
}

CERT_ISSUER = "Trường Chính trị tỉnh Lâm Đồng"

# commune → [(full name, kind, username or "", hamlet index or None, capacity, [(code, dialect, L, S, R, W, cert)])]
SPEAKERS = {
    CAM_LY: [
        ("Ka Nhi", "official", "camly.canbo", 2, 4, [("kpm", "Lạch", 5, 5, 3, 3, "KHO-24-0158")]),
        ("Nguyễn Thị Lan", "official", "", None, 5, [("kpm", "Srê", 4, 3, 3, 3, "KHO-23-0412")]),
        ("Trần Văn Bình", "official", "", 0, 5, [("kpm", "", 3, 2, 2, 1, "")]),
        ("Ma Thị Sương", "official", "", 1, 3, [("cma", "", 5, 5, 2, 2, ""), ("kpm", "", 3, 3, 1, 1, "")]),
        ("K'Brăng Ha Sen", "volunteer", "", 2, 3, [("kpm", "Lạch", 5, 5, 2, 2, "")]),
        ("Lê Minh Tâm", "official", "", None, 5, [("kpm", "", 2, 1, 1, 1, "")]),
    ],
    DI_LINH: [
        ("K'Brơi Thị Hoa", "official", "dilinh.canbo", 0, 5, [("kpm", "Srê", 5, 5, 4, 4, "KHO-22-0097")]),
        ("K'Tuấn", "volunteer", "", 1, 4, [("kpm", "Srê", 5, 5, 3, 2, "")]),
    ],
    CAT_TIEN_3: [
        ("Điểu Thị Hiền", "volunteer", "", 0, 4, [("cma", "", 5, 5, 2, 1, "")]),
    ],
}

# Cam Ly's citizens who asked for a speaker: (name, hamlet index, preferred language, interpreter needed)
CITIZENS = {
    CAM_LY: [
        ("Ka Hòa", 2, "kpm", True),
        ("K'Sơn", 1, "kpm", True),
        ("Ka Thủy", 2, "kpm", False),
        ("Bố Thị Mai", 1, "cma", True),
        ("K'Lang", 0, "kpm", True),
        ("Ka Phương", 2, "kpm", True),
        ("Ya Đam", 2, "cje", True),
    ],
    DI_LINH: [("K'Nghĩa", 1, "cje", True), ("Ka Dung", 2, "kpm", False)],
    CAT_TIEN_3: [("Điểu K'Lơi", 1, "sti", True)],
}

BIRTH, MARRIAGE, DEATH = "Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử"
COPY, RESIDENCE = "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Đăng ký thường trú"

# The week of requests: (citizen index, days from the anchor in working days (negative: past), slot, the
# procedure's name in the handbook, state). State: "filed"/"guided"/"referred" (done), "accepted", "assigned", "open".
WEEK = {
    CAM_LY: [
        (0, -6, "am", BIRTH, "filed"),
        (1, -5, "pm", MARRIAGE, "guided"),
        (3, -4, "am", BIRTH, "filed"),
        (4, -3, "day", BIRTH, "referred"),
        (2, -2, "pm", BIRTH, "filed"),
        (6, -1, "am", DEATH, "guided"),
        (5, 0, "am", BIRTH, "accepted"),
        (1, 1, "pm", MARRIAGE, "assigned"),
        (0, 1, "am", COPY, "open"),
        (5, 2, "day", BIRTH, "open"),
        (2, 2, "am", RESIDENCE, "open"),
        (3, 3, "pm", BIRTH, "open"),
        (6, 3, "am", BIRTH, "open"),
        (4, 4, "day", COPY, "open"),
    ],
    DI_LINH: [(0, 1, "am", BIRTH, "open"), (1, 2, "pm", BIRTH, "open")],
    CAT_TIEN_3: [(0, 2, "day", BIRTH, "open")],
}
OUTCOMES = {"filed": "filed", "guided": "guided", "referred": "referred"}


def _working_day(calendar, today, offset):
    """The `offset`-th working day from `today` (0: today if it is one, else the next)."""
    day = today if calendar.is_working_day(today) else calendar.next_working_day(today)
    step = 1 if offset >= 0 else -1
    for _ in range(abs(offset)):
        day += timedelta(days=step)
        while not calendar.is_working_day(day):
            day += timedelta(days=step)
    return day


def _hamlets(commune):
    if commune.lat is None or commune.lon is None:
        set_coordinates(DEMO, commune, lat=CENTRES[commune.code][0], lon=CENTRES[commune.code][1])
    hamlets = []
    for name, kind, dlat, dlon, population, languages in HAMLETS[commune.code]:
        hamlet = Hamlet.objects.filter(commune=commune, name=name).first() or add_hamlet(
            DEMO,
            commune,
            name=name,
            kind=kind,
            lat=round(commune.lat + dlat, 5),
            lon=round(commune.lon + dlon, 5),
            population=population,
        )
        for code, count in languages.items():
            HamletLanguage.objects.get_or_create(hamlet=hamlet, code=code, defaults={"population": count})
        hamlets.append(hamlet)
    return hamlets


def _people(commune, hamlets, clock):
    users = {u.username: u for u in get_user_model().objects.filter(commune=commune)}
    speakers = []
    for index, (name, kind, username, hamlet, capacity, languages) in enumerate(SPEAKERS[commune.code]):
        person = services.save_person(
            DEMO,
            commune=commune,
            data={
                "kind": kind,
                "full_name": name,
                "hamlet": hamlets[hamlet] if hamlet is not None else None,
                "weekly_capacity": capacity,
                "user": users.get(username),
            },
        )
        for code, dialect, listening, speaking, reading, writing, cert in languages:
            services.save_language(
                DEMO,
                person,
                {
                    "code": code,
                    "dialect": dialect,
                    "listening": listening,
                    "speaking": speaking,
                    "reading": reading,
                    "writing": writing,
                    "certificate_number": cert,
                    "certificate_date": clock.today - timedelta(days=400 + 37 * index) if cert else None,
                    "certificate_issuer": CERT_ISSUER if cert else "",
                    "is_preferred": code == languages[0][0],
                },
            )
        services.save_language(
            DEMO, person, {"code": "vie", "listening": 5, "speaking": 5, "reading": 5, "writing": 5}
        )
        speakers.append(person)
    citizens = [
        services.save_person(
            DEMO,
            commune=commune,
            data={
                "kind": Person.Kind.CITIZEN,
                "full_name": name,
                "hamlet": hamlets[hamlet],
                "preferred_language": code,
                "interpreter_needed": interpreter,
            },
        )
        for name, hamlet, code, interpreter in CITIZENS[commune.code]
    ]
    return speakers, citizens


def _procedure(name):
    return Procedure.objects.published().filter(name=name).order_by("code").first()


def _dossier_after(commune, day, procedure):
    """A dossier of `procedure` the commune received on or after `day`, not yet linked (None when there is none:
    the visit is then recorded as guidance, never linked to a dossier of another procedure)."""
    if procedure is None:
        return None
    taken = Accompaniment.objects.exclude(dossier=None).values_list("dossier_id", flat=True)
    return (
        Dossier.objects.filter(commune=commune, procedure=procedure, received_date__gte=day)
        .exclude(pk__in=taken)
        .order_by("received_at")
        .first()
    )


def _week(commune, citizens, clock):
    calendar = get_calendar()
    requests = []
    for citizen_index, offset, slot, procedure_name, state in WEEK[commune.code]:
        citizen = citizens[citizen_index]
        day = _working_day(calendar, clock.today, offset)
        asked = min(
            clock.now, datetime.combine(day - timedelta(days=2), time(8, 15), tzinfo=clock.now.tzinfo)
        )
        procedure = _procedure(procedure_name)
        acc = services.request_accompaniment(
            DEMO,
            commune=commune,
            citizen=citizen,
            language=citizen.preferred_language,
            date=day,
            slot=slot,
            now=asked,
            hamlet=citizen.hamlet,
            procedure=procedure,
            procedure_name=procedure_name,
            origin=Accompaniment.Origin.COUNTER if citizen_index % 2 else Accompaniment.Origin.COMMUNE,
        )
        requests.append((acc, day, state, procedure))
    # Past and assigned visits take the best proposal at the time; the open ones wait for the week's matching.
    for acc, day, state, procedure in requests:
        if state == "open":
            continue
        found, _excluded = proposals(acc, limit=1)
        if not found:
            continue
        at = min(clock.now, datetime.combine(day - timedelta(days=1), time(9, 0), tzinfo=clock.now.tzinfo))
        acc = services.assign(DEMO, acc, found[0].person, now=at)
        if state == "assigned":
            continue
        acc = services.respond(DEMO, acc, accept=True, now=at + timedelta(hours=1))
        if state in OUTCOMES:
            visited = datetime.combine(day, time(9, 30) if acc.assigned_slot == "am" else time(14, 30))
            visited = min(clock.now, visited.replace(tzinfo=clock.now.tzinfo))
            dossier = _dossier_after(commune, day, procedure) if state == "filed" else None
            outcome = OUTCOMES[state] if dossier is not None or state != "filed" else "guided"
            services.record_visit(
                DEMO,
                acc,
                outcome=outcome,
                dossier_code=dossier.code if dossier else "",
                note="",
                visited_at=visited,
            )
            if dossier is not None:
                set_language_service(DEMO, dossier, served_language=acc.language, interpreter_used=True)


def _served_in_kho(commune, clock):
    """Some of the ward's dossiers of the last two months were served in K'Ho (one in twelve; every other one with
    an interpreter), so the monthly report has figures beside the visits."""
    since = clock.today.replace(day=1) - timedelta(days=31)
    rows = Dossier.objects.filter(commune=commune, received_date__gte=since, served_language="").order_by(
        "pk"
    )
    for index, dossier in enumerate(rows[::12]):
        set_language_service(DEMO, dossier, served_language="kpm", interpreter_used=index % 2 == 0)


def load(stdout, clock):
    communes = {c.code: c for c in Commune.objects.filter(code__in=[CAM_LY, DI_LINH, CAT_TIEN_3])}
    if len(communes) < 3 or Person.objects.filter(commune=communes[CAM_LY]).exists():
        return
    for code in (CAM_LY, DI_LINH, CAT_TIEN_3):
        commune = communes[code]
        hamlets = _hamlets(commune)
        _speakers, citizens = _people(commune, hamlets, clock)
        _week(commune, citizens, clock)
    _served_in_kho(communes[CAM_LY], clock)
    stdout.write(
        f"  community: {Person.objects.count()} people, {Accompaniment.objects.count()} accompaniment requests\n"
    )
