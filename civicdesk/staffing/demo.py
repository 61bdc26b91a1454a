"""The staffing part of the Lâm Đồng demo: commune positions, a staff pool, quotas, capacity, needs, two scenarios.

Everything is deterministic and idempotent: each step runs only when its data is missing.

Commune positions are NOT surveyed coordinates. Each commune is placed near the rough centre of the former
district (or town) it came from, recognised by a name keyword or, failing that, by its neighbours in the official
code order (units of one former district have consecutive codes), plus a small deterministic offset; every such
position is recorded with `coordinates_source = "demo-approximate"`. Only missing coordinates are filled.
"""

import csv
import io
import random
from datetime import timedelta

from django.conf import settings

from civicdesk.core.models import Department, User
from civicdesk.core.services import create_user
from civicdesk.geo.models import Commune, Province
from civicdesk.geo.services import set_coordinates
from civicdesk.kernel.actors import DEMO
from civicdesk.kernel.roles import Role

from . import services, signals_in
from .fields import Field
from .models import CapacityRecord, CommuneProfile, Need, Plan, StaffMember

PROVINCE_CODE = 68
DEMO_SECONDEE = "biepphai.chuyenvien"
SEED = 68

# Rough centres (approximate, for the demo only) of former districts and towns of the merged province.
ANCHORS = {
    "da_lat": (11.94, 108.44),
    "bao_loc": (11.55, 107.81),
    "lac_duong": (12.00, 108.43),
    "don_duong": (11.78, 108.55),
    "duc_trong": (11.73, 108.37),
    "lam_ha": (11.78, 108.22),
    "dam_rong": (12.07, 108.17),
    "di_linh": (11.58, 108.07),
    "bao_lam": (11.73, 107.72),
    "da_huoai": (11.40, 107.60),
    "da_teh": (11.53, 107.49),
    "cat_tien": (11.58, 107.36),
    "phan_thiet": (10.93, 108.10),
    "la_gi": (10.68, 107.77),
    "tuy_phong": (11.23, 108.72),
    "bac_binh": (11.15, 108.38),
    "ham_thuan_bac": (11.10, 108.10),
    "ham_thuan_nam": (10.90, 107.95),
    "ham_tan": (10.75, 107.70),
    "tanh_linh": (11.10, 107.68),
    "duc_linh": (11.20, 107.52),
    "phu_quy": (10.52, 108.93),
    "gia_nghia": (12.00, 107.69),
    "cu_jut": (12.65, 107.85),
    "dak_mil": (12.45, 107.62),
    "krong_no": (12.40, 107.85),
    "dak_song": (12.25, 107.60),
    "dak_glong": (11.95, 107.90),
    "tuy_duc": (12.20, 107.45),
    "dak_rlap": (11.95, 107.50),
}
KEYWORDS = {
    "da_lat": ["Đà Lạt"],
    "bao_loc": ["Bảo Lộc", "B'Lao"],
    "lac_duong": ["Lạc Dương"],
    "don_duong": ["Đơn Dương", "Ka Đô", "Quảng Lập", "D'Ran"],
    "duc_trong": ["Đức Trọng", "Hiệp Thạnh", "Tân Hội", "Tà Hine", "Tà Năng", "Ninh Gia"],
    "lam_ha": ["Lâm Hà"],
    "dam_rong": ["Đam Rông"],
    "di_linh": ["Di Linh", "Hòa Ninh", "Hòa Bắc", "Đinh Trang Thượng", "Bảo Thuận", "Sơn Điền", "Gia Hiệp"],
    "bao_lam": ["Bảo Lâm"],
    "da_huoai": ["Đạ Huoai"],
    "da_teh": ["Đạ Tẻh"],
    "cat_tien": ["Cát Tiên"],
    "phan_thiet": ["Hàm Thắng", "Bình Thuận", "Mũi Né", "Phú Thuỷ", "Phan Thiết", "Tiến Thành"],
    "la_gi": ["La Gi", "Phước Hội", "Tân Hải"],
    "tuy_phong": ["Tuy Phong", "Liên Hương", "Vĩnh Hảo", "Phan Rí Cửa", "Tuyên Quang"],
    "bac_binh": ["Bắc Bình", "Hồng Thái", "Hải Ninh", "Phan Sơn", "Sông Lũy", "Lương Sơn", "Hòa Thắng"],
    "ham_thuan_bac": ["Hàm Thuận Bắc", "Đông Giang", "La Dạ", "Hàm Thuận", "Hồng Sơn", "Hàm Liêm"],
    "ham_thuan_nam": ["Hàm Thuận Nam", "Hàm Thạnh", "Hàm Kiệm", "Tân Thành", "Tân Lập"],
    "ham_tan": ["Hàm Tân", "Tân Minh", "Sơn Mỹ"],
    "tanh_linh": ["Tánh Linh", "Bắc Ruộng", "Nghị Đức", "Đồng Kho", "Suối Kiết"],
    "duc_linh": ["Đức Linh", "Nam Thành", "Hoài Đức", "Trà Tân"],
    "phu_quy": ["Phú Quý"],
    "gia_nghia": ["Gia Nghĩa"],
    "cu_jut": ["Đắk Wil", "Nam Dong", "Cư Jút"],
    "dak_mil": ["Thuận An", "Đức Lập", "Đắk Mil", "Đắk Sắk"],
    "krong_no": ["Nam Đà", "Krông Nô", "Nâm Nung", "Quảng Phú"],
    "dak_song": ["Đắk song", "Đắk Song", "Đức An", "Thuận Hạnh", "Trường Xuân"],
    "dak_glong": ["Tà Đùng", "Quảng Khê", "Quảng Hòa", "Quảng Sơn"],
    "tuy_duc": ["Quảng Tân", "Tuy Đức", "Quảng Trực"],
    "dak_rlap": ["Kiến Đức", "Nhân Cơ", "Quảng Tín"],
}
# Province bounding box (approximate) for anything left over.
BBOX = ((10.5, 12.8), (107.2, 109.0))
# Areas where, in the demo, communes are weaker (remote, many ethnic-minority residents, an island).
WEAK_AREAS = {
    "dam_rong": 0.35,
    "lac_duong": 0.3,
    "tuy_duc": 0.3,
    "dak_glong": 0.3,
    "phu_quy": 0.35,
    "cat_tien": 0.2,
    "bac_binh": 0.15,
}

# department code, pool size, quota (how many it can release), fields (first = main field). Quotas are larger
# where communes need the department's fields most (civil status, one-stop, land) and small where they rarely do
# (finance, trade): their sum (316) leaves the optimiser about 40 useful people beyond the 260 the demo sends,
# so the 260 plan fills on any anchor day (bench/demo_anchors.py measures the margin).
POOL = [
    ("noi-vu", 45, 28, ["mot_cua", "van_hoa_xa_hoi"]),
    ("tu-phap", 85, 55, ["ho_tich", "mot_cua"]),
    ("nong-nghiep-moi-truong", 110, 62, ["dat_dai", "nong_nghiep"]),
    ("tai-chinh", 50, 12, ["tai_chinh", "dang_ky_kinh_doanh"]),
    ("xay-dung", 45, 22, ["xay_dung", "dat_dai"]),
    ("khoa-hoc-cong-nghe", 45, 24, ["cntt"]),
    ("van-hoa", 40, 20, ["van_hoa_xa_hoi"]),
    ("y-te", 35, 18, ["van_hoa_xa_hoi"]),
    ("giao-duc", 30, 15, ["van_hoa_xa_hoi", "cntt"]),
    ("cong-thuong", 25, 8, ["dang_ky_kinh_doanh", "tai_chinh"]),
    ("dan-toc-ton-giao", 25, 12, ["van_hoa_xa_hoi"]),
    ("van-phong-ubnd", 60, 40, ["mot_cua", "cntt"]),
]
WEAKNESS_MEAN = 0.6
HOMES = [
    ("Đà Lạt", ANCHORS["da_lat"], 0.55),
    ("Phan Thiết", ANCHORS["phan_thiet"], 0.25),
    ("Gia Nghĩa", ANCHORS["gia_nghia"], 0.20),
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hữu", "Ngọc", "Quốc", "Thu", "Đức", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tú",
    "Tuấn",
    "Vân",
    "Yến",
]
MINORITY_LANGUAGES = ["K'Ho", "K'Ho", "Mạ", "Chu Ru", "M'Nông", "Chăm", "Ê Đê"]
# Dossiers per month a commune of average size receives in a field (demo baseline, not statistics).
FIELD_LOAD = {
    "ho_tich": 160,
    "dat_dai": 140,
    "tai_chinh": 40,
    "cntt": 60,
    "van_hoa_xa_hoi": 90,
    "xay_dung": 35,
    "nong_nghiep": 45,
    "dang_ky_kinh_doanh": 30,
    "mot_cua": 200,
}


def _anchor_of(name):
    best = None
    for key, words in KEYWORDS.items():
        for word in words:
            if word in name and (best is None or len(word) > best[1]):
                best = (key, len(word))
    return best[0] if best else None


def approximate_positions(communes):
    """{commune code: (lat, lon, anchor)} for the given communes (official code order), see the module doc."""
    communes = sorted(communes, key=lambda c: c.code)
    anchors = [_anchor_of(c.name) for c in communes]
    out = {}
    for i, commune in enumerate(communes):
        key = anchors[i]
        if key is None:  # nearest recognised neighbour in code order (ties: the earlier one)
            for d in range(1, len(communes)):
                for j in (i - d, i + d):
                    if 0 <= j < len(communes) and anchors[j] is not None:
                        key = anchors[j]
                        break
                if key is not None:
                    break
        rng = random.Random(commune.code)
        if key is None:
            lat, lon = rng.uniform(*BBOX[0]), rng.uniform(*BBOX[1])
        else:
            lat, lon = ANCHORS[key]
            lat, lon = lat + rng.uniform(-0.04, 0.04), lon + rng.uniform(-0.04, 0.04)
        out[commune.code] = (round(lat, 4), round(lon, 4), key)
    return out


def _fill_coordinates(province, stdout):
    communes = list(Commune.objects.filter(province=province))
    missing = [c for c in communes if c.lat is None or c.lon is None]
    if not missing:
        return 0
    positions = approximate_positions(communes)
    for commune in missing:
        lat, lon, key = positions[commune.code]
        set_coordinates(DEMO, commune, lat=lat, lon=lon)
        services.set_coordinates_source(
            DEMO,
            commune,
            CommuneProfile.CoordinatesSource.DEMO,
            note=f"Vị trí gần đúng quanh {key or 'khung tỉnh'} (minh họa, không phải tọa độ khảo sát).",
        )
    return len(missing)


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _secondee_account(departments):
    user = User.objects.filter(username=DEMO_SECONDEE).first()
    if user is None:
        user = create_user(
            DEMO,
            username=DEMO_SECONDEE,
            full_name="Đặng Thu Phương",
            role=Role.DEPARTMENT_EXPERT,
            department=departments["tu-phap"],
            password=settings.DEMO_PASSWORD,
            position="Chuyên viên Phòng Hành chính tư pháp (trong nguồn biệt phái)",
            email=f"{DEMO_SECONDEE}@demo.civicdesk.local",
        )
    return user


POOL_COLUMNS = [
    "staff_id",
    "full_name",
    "department",
    "fields",
    "home_lat",
    "home_lon",
    "languages",
    "home_label",
    "experience_years",
    "available_from",
    "position",
]
# Ranks (ngạch, chức vụ) with how often they occur in the demo pool; drawn from a generator of their own so adding
# them left every other value of the pool as it was.
POSITIONS = [("Chuyên viên", 60), ("Chuyên viên chính", 25), ("Phó Trưởng phòng", 10), ("Trưởng phòng", 5)]


def pool_rows(departments, today):
    """The generated pool as CSV rows (POOL_COLUMNS); `today` is the demo's anchor day."""
    rng = random.Random(SEED)
    ranks = random.Random(SEED + 2)
    rows = []
    for code, size, _quota, fields in POOL:
        if code not in departments:
            continue
        for i in range(1, size + 1):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            own = [fields[0]] + ([f for f in fields[1:] if rng.random() < 0.5])
            if rng.random() < 0.1:
                own.append(rng.choice(list(Field.values)))
            label, (lat, lon), _w = rng.choices(HOMES, weights=[h[2] for h in HOMES])[0]
            languages = ["Tiếng Việt"]
            if rng.random() < 0.15:
                languages.append(rng.choice(MINORITY_LANGUAGES))
            if rng.random() < 0.05:
                languages.append("English")
            available_from = (
                (today + timedelta(days=rng.randint(120, 240))).isoformat() if rng.random() < 0.05 else ""
            )
            rows.append(
                [
                    f"{departments[code].short_name or code}-{i:03d}".replace(" ", ""),
                    name,
                    code,
                    ";".join(sorted(set(own))),
                    round(lat + rng.uniform(-0.05, 0.05), 4),
                    round(lon + rng.uniform(-0.05, 0.05), 4),
                    # Everyone speaks Vietnamese; only those who speak more have their languages recorded (each
                    # recorded member gets a pool Person in community, ~20 ms apiece through its services).
                    ";".join(languages) if len(languages) > 1 else "",
                    label,
                    rng.randint(2, 25),
                    available_from,
                    ranks.choices([p for p, _w in POSITIONS], weights=[w for _p, w in POSITIONS])[0],
                ]
            )
    return rows


def _pool(province, departments, secondee, today):
    if StaffMember.objects.filter(province=province).exists():
        return 0
    rows = pool_rows(departments, today)
    report = services.import_staff(DEMO, province, _csv(POOL_COLUMNS, rows))
    if not report.ok:
        raise RuntimeError("; ".join(report.errors[:5]))
    services.save_staff_member(
        DEMO,
        province,
        "STP-DEMO",
        {
            "full_name": secondee.full_name,
            "department": departments["tu-phap"],
            "position": "Chuyên viên",
            "fields": ["ho_tich", "mot_cua"],
            "experience_years": 8,
            "languages": ["Tiếng Việt", "K'Ho"],
            "home_label": "Đà Lạt",
            "home_lat": 11.9404,
            "home_lon": 108.4583,
            "user": secondee,
        },
    )
    quota_rows = [[code, quota] for code, _size, quota, _f in POOL if code in departments]
    services.import_quotas(DEMO, province, _csv(["department", "max_release"], quota_rows))
    return len(rows) + 1


def capacity_rows(communes, rates=None):
    """Baseline capacity rows (demo data, deterministic): weaker communes in remote areas, busier wards.

    `rates` ({commune code: (late_rate, supplement_rate)}) are the service desk's measured rates where it has
    dossiers; they replace the generated ones. Volumes stay generated: the demo service desk holds a sample of
    dossiers, not a commune's whole workload.
    """
    rates = rates or {}
    communes = sorted(communes, key=lambda c: c.code)
    positions = approximate_positions(communes)
    rng = random.Random(SEED + 1)
    rows = []
    for commune in communes:
        area = positions[commune.code][2]
        size = 1.6 if commune.division_type == Commune.Type.PHUONG else 1.0
        weakness = min(1.0, max(0.0, rng.gauss(WEAKNESS_MEAN, 0.2) + WEAK_AREAS.get(area, 0.0)))
        measured = rates.get(commune.code)
        for field in Field.values:
            load = FIELD_LOAD[field] * size * rng.uniform(0.6, 1.4)
            staff = max(0, round(rng.uniform(0.6, 2.6) * (1.2 - weakness)))
            late = round(min(0.9, max(0.0, rng.gauss(0.06, 0.05) + 0.35 * weakness)), 3)
            supplement = round(min(0.9, max(0.0, rng.gauss(0.08, 0.05) + 0.3 * weakness)), 3)
            if measured is not None:
                late = measured[0] if measured[0] is not None else late
                supplement = measured[1] if measured[1] is not None else supplement
            rows.append(
                [
                    commune.code,
                    field,
                    staff,
                    round(max(0.0, rng.uniform(0.5, 9) * (1.1 - weakness)), 1),
                    round(load, 1),
                    round(load * rng.uniform(0.02, 0.12) * (0.5 + weakness), 1),
                    late,
                    supplement,
                    round(max(0.0, rng.gauss(1, 1) + 7 * weakness), 1),
                ]
            )
    return rows


def _capacity(province, until):
    if CapacityRecord.objects.filter(commune__province=province).exists():
        return 0
    communes = list(Commune.objects.filter(province=province))
    rates = {}
    for commune in communes:
        signals = signals_in.commune_workload(commune, until - timedelta(days=89), until)
        if "servicedesk" in signals["sources"]:
            rates[commune.code] = (signals["late_rate"], signals["supplement_rate"])
    rows = capacity_rows(communes, rates)
    report = services.import_capacity(DEMO, province, _csv(services.capacity.CAPACITY_COLUMNS, rows))
    if not report.ok:
        raise RuntimeError("; ".join(report.errors[:5]))
    return len(rows)


def _plans(province, secondee_member, start):
    if Plan.objects.filter(province=province).exists():
        return 0
    made = 0
    for total in (260, 200):
        plan = services.create_plan(
            DEMO,
            province,
            name=f"Phương án {total} người (minh họa)",
            total=total,
            distance_weight=0.01,
            max_per_commune=4,
            time_limit=60,
            period_start=start,
            period_months=3,
            note="Tạo bởi dữ liệu minh họa; chưa phê duyệt.",
        )
        if secondee_member is not None:
            services.add_lock(
                DEMO,
                plan,
                kind="must_send",
                staff=secondee_member,
                reason="Minh họa: tài khoản biepphai.chuyenvien được cử để thử báo cáo tuần.",
            )
        services.solve_plan_now(DEMO, plan)
        made += 1
    return made


def load(stdout, clock):
    """Load (or complete) the staffing demo around the anchor day; every step is skipped when its data exists."""
    province = Province.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        return
    departments = {d.code: d for d in Department.objects.filter(province=province)}
    secondee = _secondee_account(departments) if "tu-phap" in departments else None
    filled = _fill_coordinates(province, stdout)
    people = _pool(province, departments, secondee, clock.today) if secondee else 0
    records = _capacity(province, clock.today)
    if not Need.objects.filter(commune__province=province).exists():
        services.generate_needs(DEMO, province)
    member = StaffMember.objects.filter(province=province, user__username=DEMO_SECONDEE).first()
    plans = _plans(province, member, clock.today)
    stdout.write(
        f"    staffing: {filled} tọa độ gần đúng, {people} cán bộ trong nguồn, {records} dòng năng lực, "
        f"{plans} phương án; tài khoản biệt phái minh họa: {DEMO_SECONDEE}"
    )
