"""Six months of generated dossiers for Lâm Đồng's communes, so the dashboard tells a story on `make run`.

Deterministic (seeded by commune code), quick (bulk inserts through `services.bulk_load`), idempotent (skipped once
demo dossiers exist). Each commune gets a profile — volume, online share, help at the centre, mobile team, lateness,
supplements, ratings — and most communes improve month by month, as the province's support took effect.
Xã Di Linh's volunteers show as a high assisted-online share, Xã Cát Tiên 3's mobile team as the `luu_dong`
channel, and Phường Cam Ly - Đà Lạt's support team as high satisfaction. Every commune scans part of its paper
components at intake and issues part of its results electronically (Decision 766's digitisation group), more each
month; online dossiers arrive digitised. The first secondment wave (`first_wave`: 24 communes, from the fourth of
the six months) went to communes with many late dossiers (a quarter of them, as in the weakest profile) and has a
planted effect the impact estimate must recover: from its start their late rate is `FIRST_WAVE_GAIN` (8 points)
below what their profile gives, so their on-time rate is 8 points higher (docs/impact.md). Where the handbook has no
verified processing days, the generated dossier carries an officer-entered appointment (as at the real counter).
"""

import random
from datetime import datetime, time, timedelta

from civicdesk.geo.models import Commune
from civicdesk.handbook.models import Procedure

from . import services
from .due import DueDates
from .models import (
    CHANNEL_METHOD,
    ONLINE_CHANNELS,
    Channel,
    Dossier,
    DueSource,
    Status,
    SurveyReason,
    SurveyResponse,
)

PROVINCE_CODE = 68
DI_LINH, CAT_TIEN_3, CAM_LY = 25000, 25162, 24787
WEIGHTS = {
    "CT-001": 30,
    "HT-001": 18,
    "HT-008": 5,
    "HT-015": 8,
    "HT-005": 5,
    "HT-014": 6,
    "CT-002": 8,
    "BTXH-001": 4,
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "K'", "Ka", "Liêng", "Bon", "Cil"]
GIVEN = [
    "Văn An",
    "Thị Hoa",
    "Minh Tuấn",
    "Thị Lan",
    "Đức Hải",
    "Brơi",
    "Thị Nhung",
    "Sơn",
    "Thị Mai",
    "Quốc Bảo",
]
# The first secondment wave of the demo (laid by the impact app's loader as a past, approved plan): how many
# communes, the late rate of their profile (the weakest one: the wave went where dossiers were late) and the
# on-time rate (as a fraction) they gain from its start, against that profile. The three communes with a story of
# their own are left out, so their figures tell only that story.
FIRST_WAVE_SIZE = 24
FIRST_WAVE_LATE = 0.25
FIRST_WAVE_GAIN = 0.08
FIRST_WAVE_SEED = 19
LATE_REASONS = [
    "Cần xác minh thêm thông tin với cơ quan liên quan.",
    "Hệ thống kết nối cơ sở dữ liệu gián đoạn.",
    "Chờ ý kiến chuyên môn của sở, ngành.",
]


def _months(today):
    first = today.replace(day=1)
    months = [first]
    for _ in range(5):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def first_wave(codes, today):
    """(start, commune codes) of the demo's first secondment wave: from the first day of the fourth of the six
    demo months ending with `today`'s, so three whole months before it and two after it hold dossiers."""
    start = _months(today)[3]
    pool = sorted(code for code in codes if code not in (DI_LINH, CAT_TIEN_3, CAM_LY))
    chosen = random.Random(FIRST_WAVE_SEED).sample(pool, min(FIRST_WAVE_SIZE, len(pool)))
    return start, frozenset(chosen)


def last_demo_day(clock):
    """The last day with demo dossiers: the last working day before the anchor (the day `load` generates up to)."""
    calendar = DueDates().calendar
    last_day = clock.days_ago(1)
    while not calendar.is_working_day(last_day):
        last_day -= timedelta(days=1)
    return last_day


def _profile(commune):
    rng = random.Random(commune.code)
    urban = commune.division_type == "phuong"
    profile = {
        "volume": rng.uniform(38, 65) if urban else rng.uniform(15, 36),
        "online": rng.uniform(0.25, 0.5) if urban else rng.uniform(0.1, 0.35),
        "assisted": rng.uniform(0.1, 0.35),
        "mobile": 0.0,
        "late": rng.choice([0.02, 0.05, 0.08, 0.15, 0.25]),
        "supplement": rng.uniform(0.05, 0.3),
        "rated": rng.uniform(0.25, 0.6),
        "mood": rng.uniform(-0.6, 0.5),
        "improving": rng.random() < 0.7,
    }
    if commune.code == DI_LINH:  # volunteers at the centre help citizens file online
        profile.update(online=0.55, assisted=0.65, late=0.06, supplement=0.08, mood=0.6, improving=True)
    elif commune.code == CAT_TIEN_3:  # a mobile team goes to the hamlets
        profile.update(mobile=0.22, late=0.05, mood=0.4, improving=True)
    elif commune.code == CAM_LY:  # a support team, experienced staff for ethnic minorities
        profile.update(online=0.45, assisted=0.3, late=0.03, supplement=0.07, mood=0.9, rated=0.6)
    return profile


def _working_instant(rng, due, month, last_day):
    cal = due.calendar
    for _ in range(20):
        day = month + timedelta(days=rng.randrange((last_day - month).days + 1))
        if cal.is_working_day(day):
            start, end = rng.choice(cal.periods)
            minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            offset = rng.randrange(minutes)
            clock = time(start.hour + (start.minute + offset) // 60, (start.minute + offset) % 60)
            return datetime.combine(day, clock, tzinfo=cal.tz)
    return None


def _channel(rng, p, online_share):
    if rng.random() < p["mobile"]:
        return Channel.LUU_DONG
    if rng.random() < online_share:
        return Channel.TRUC_TUYEN_HO_TRO if rng.random() < p["assisted"] else Channel.TRUC_TUYEN
    return Channel.BUU_CHINH if rng.random() < 0.03 else Channel.TRUC_TIEP


def _stars(rng, p, late, supplemented):
    score = 4.2 + p["mood"] - (1.6 if late else 0) - (0.6 if supplemented else 0) + rng.gauss(0, 0.8)
    return max(1, min(5, round(score)))


def _reasons(rng, stars, late):
    if stars >= 4:
        return rng.sample([SurveyReason.CLEAR_GUIDANCE, SurveyReason.ON_TIME, SurveyReason.COURTEOUS], 2)
    return [SurveyReason.LATE] if late else [rng.choice([SurveyReason.MANY_TRIPS, SurveyReason.UNCLEAR])]


def generate(communes, procedures, today, now):
    """Build (dossiers, survey responses) in memory; nothing is written here.

    Dossiers are received in the six calendar months ending with `today`'s, never after `today` nor `now`.
    """
    due = DueDates()
    months = _months(today)
    weights = [WEIGHTS.get(p.code, 1) for p in procedures]
    wave_start, wave = first_wave([c.code for c in communes], today)
    dossiers, surveys = [], []
    for commune in communes:
        p = _profile(commune)
        rng = random.Random(commune.code * 7919)
        # The planted effect draws from a generator of its own, so communes outside the wave stay as they were.
        planted = random.Random(commune.code * 104729 + FIRST_WAVE_SEED) if commune.code in wave else None
        if planted is not None:
            p["late"] = FIRST_WAVE_LATE
        # Digitisation (Decision 766's fifth group) draws from a generator of its own too: how many paper components
        # the centre scans at intake and how many results it issues electronically, both rising as the months go.
        digital = random.Random(commune.code * 15485863 + 766)
        scan_base, electronic_base = digital.uniform(0.35, 0.75), digital.uniform(0.1, 0.45)
        sequence = {}
        for index, month in enumerate(months):
            progress = index / (len(months) - 1)
            gain = progress if p["improving"] else 0.1 * progress
            last_day = min(today, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
            count = int(p["volume"] * rng.uniform(0.85, 1.15) * ((last_day - month).days + 1) / 30)
            online_share = min(0.85, p["online"] + 0.15 * gain)
            for _ in range(count):
                received_at = _working_instant(rng, due, month, last_day)
                if received_at is None or received_at > now:
                    continue
                procedure = rng.choices(procedures, weights)[0]
                channel = _channel(rng, p, online_share)
                days = procedure.processing_days(CHANNEL_METHOD[channel])
                if days is None:  # the officer writes an appointment on the slip
                    due_at = due.due_at(received_at, rng.choice([3, 5, 7, 10]))
                    due_source = DueSource.MANUAL
                else:
                    due_at, due_source = due.due_at(received_at, days), DueSource.COMPUTED
                supplemented = rng.random() < p["supplement"] * (1 - 0.5 * gain)
                late_rate = p["late"] * (1 - 0.6 * gain)
                late = rng.random() < late_rate
                if planted is not None and late and received_at.date() >= wave_start:
                    # P(late) becomes late_rate − FIRST_WAVE_GAIN exactly from the wave's start (late_rate ≥ 0.1
                    # there with the wave's profile), every other draw as it was.
                    late = planted.random() >= FIRST_WAVE_GAIN / late_rate
                if late:
                    finished_at = due.calendar.add_working_hours(due_at, rng.uniform(4, 40))
                else:
                    span = max(1.0, (due_at - received_at).total_seconds() / 3600)
                    finished_at = received_at + timedelta(hours=span * rng.uniform(0.2, 0.95))
                status, returned_at = Status.RETURNED, finished_at + timedelta(hours=rng.uniform(1, 48))
                if finished_at > now:
                    finished_at = returned_at = None
                    status = (
                        Status.SUPPLEMENT
                        if supplemented
                        else rng.choice([Status.RECEIVED, Status.PROCESSING])
                    )
                elif returned_at > now:
                    status, returned_at = Status.DONE, None
                elif rng.random() < 0.012:
                    status, finished_at, returned_at = (
                        rng.choice([Status.REJECTED, Status.WITHDRAWN]),
                        None,
                        None,
                    )
                day = received_at.date()
                sequence[day] = sequence.get(day, 0) + 1
                phone = f"0900{rng.randrange(10**6):06d}"
                rating = None
                if finished_at is not None and rng.random() < p["rated"]:
                    rating = _stars(rng, p, late, supplemented)
                if status != Status.RETURNED:
                    # A citizen rates once the result is in hand (the survey opens at "returned"); the draw above
                    # still happens, so every other dossier of the demo stays as it was.
                    rating = None
                dossier = Dossier(
                    code=f"{commune.code}-{day:%y%m%d}-{sequence[day]:03d}",
                    commune_id=commune.pk,
                    province_id=commune.province_id,
                    procedure_id=procedure.pk,
                    procedure_code=procedure.code,
                    procedure_name=procedure.name,
                    applicant_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                    applicant_id_number=f"068{rng.randrange(10**9):09d}",
                    applicant_phone=phone,
                    phone_last4=phone[-4:],
                    channel=channel,
                    status=status,
                    received_at=received_at,
                    received_date=day,
                    due_at=due_at,
                    due_source=due_source,
                    processing_days=days,
                    finished_at=finished_at,
                    returned_at=returned_at,
                    is_on_time=None if finished_at is None else finished_at <= due_at,
                    working_days_taken=None
                    if finished_at is None
                    else due.working_days(received_at, finished_at),
                    supplement_count=(1 + (rng.random() < 0.2)) if supplemented else 0,
                    rating=rating,
                    documents_digitised=channel in ONLINE_CHANNELS
                    or digital.random() < min(0.95, scan_base + 0.25 * gain),
                    result_electronic=finished_at is not None
                    and digital.random() < min(0.9, electronic_base + 0.3 * gain),
                )
                if late and finished_at is not None:
                    dossier.late_reason = rng.choice(LATE_REASONS)
                    dossier.apology_at = due_at - timedelta(hours=2)
                    dossier.new_due_at = due.calendar.add_working_hours(due_at, 48)
                dossiers.append(dossier)
                if rating is not None:
                    surveys.append(
                        SurveyResponse(
                            commune_id=commune.pk,
                            dossier=dossier,
                            stars=rating,
                            reasons=_reasons(rng, rating, late),
                            created_at=returned_at or finished_at,
                        )
                    )
    return dossiers, surveys


def load(stdout, clock):
    """Six months of dossiers up to the demo's anchor day (none on or after it), skipped once they exist."""
    write = stdout.write
    communes = list(Commune.objects.filter(province__code=PROVINCE_CODE).order_by("code"))
    if not communes:
        write("  Chưa có đơn vị hành chính tỉnh Lâm Đồng — bỏ qua hồ sơ minh họa.")
        return
    if Dossier.objects.filter(
        province_id=communes[0].province_id, received_by__isnull=True, is_imported=False
    ).exists():
        write("  Hồ sơ minh họa đã có — giữ nguyên.")
        return
    procedures = list(Procedure.objects.exclude(status=Procedure.Status.ARCHIVED).filter(police=False))
    if not procedures:
        write("  Cẩm nang chưa có thủ tục nào (cần nạp dữ liệu Cẩm nang trước) — không tạo hồ sơ minh họa.")
        return
    # The last month of the six is the one holding the last working day before the anchor, so a demo anchored
    # on 1 January (a holiday) still ends on a month with dossiers in it.
    last_day = last_demo_day(clock)
    dossiers, surveys = generate(communes, procedures, last_day, clock.now)
    services.bulk_load(dossiers, surveys)
    write(
        f"  Đã tạo {len(dossiers)} hồ sơ minh họa và {len(surveys)} phiếu đánh giá cho {len(communes)} đơn vị."
    )
