"""The Lâm Đồng demo: units, provincial departments, working groups and the fixed demo accounts.

Names of departments follow the provincial apparatus after the 2025 reorganisation. Everything here is
idempotent: `civicdesk demo` can run on every `make run`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.geo.models import Commune, Province
from civicdesk.geo.services import load_units
from civicdesk.kernel.actors import DEMO
from civicdesk.kernel.roles import Role

from . import services
from .models import DemoAnchor, User
from .workcal import VN_TZ

PROVINCE_CODE = 68

DEPARTMENTS = [
    ("noi-vu", "Sở Nội vụ", "SNV"),
    ("tu-phap", "Sở Tư pháp", "STP"),
    ("nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("tai-chinh", "Sở Tài chính", "STC"),
    ("xay-dung", "Sở Xây dựng", "SXD"),
    ("khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("van-hoa", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("y-te", "Sở Y tế", "SYT"),
    ("giao-duc", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("cong-thuong", "Sở Công Thương", "SCT"),
    ("dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo", "SDTTG"),
    ("van-phong-ubnd", "Văn phòng UBND tỉnh", "VP UBND"),
    ("cong-an", "Công an tỉnh", "CA tỉnh"),
    ("quan-su", "Bộ Chỉ huy quân sự tỉnh", "BCHQS tỉnh"),
]

WORKING_GROUPS = [
    (
        "dat-dai-xay-dung",
        "Tổ công tác liên ngành Đất đai – Xây dựng",
        "Hỗ trợ cấp xã giải quyết thủ tục đất đai, cấp phép xây dựng nhà ở riêng lẻ.",
        ["nong-nghiep-moi-truong", "xay-dung"],
    ),
    (
        "chuyen-doi-so",
        "Tổ công tác Chuyển đổi số và Dịch vụ công trực tuyến",
        "Hỗ trợ VNeID, Cổng Dịch vụ công, chữ ký số, số hóa hồ sơ, hệ thống một cửa điện tử.",
        ["khoa-hoc-cong-nghe", "van-phong-ubnd", "cong-an"],
    ),
    (
        "ho-tich-cu-tru",
        "Tổ công tác Hộ tịch – Chứng thực – Cư trú",
        "Hỗ trợ nghiệp vụ hộ tịch, chứng thực và phối hợp với Công an xã về cư trú.",
        ["tu-phap", "cong-an"],
    ),
    (
        "an-sinh-xa-hoi",
        "Tổ công tác An sinh xã hội",
        "Hỗ trợ trợ cấp xã hội, người có công, hộ nghèo, trợ giúp khẩn cấp.",
        ["y-te", "noi-vu"],
    ),
]

# username, full name, role, commune code or department code, position
ACCOUNTS = [
    ("tinh.admin", "Nguyễn Văn Quản", Role.PROVINCE_ADMIN, None, "Quản trị hệ thống cấp tỉnh"),
    (
        "noivu.chuyenvien",
        "Trần Thị Nội",
        Role.HOME_AFFAIRS_PLANNER,
        "noi-vu",
        "Chuyên viên Phòng Tổ chức, biên chế",
    ),
    (
        "tuphap.chuyenvien",
        "Lê Minh Pháp",
        Role.DEPARTMENT_EXPERT,
        "tu-phap",
        "Chuyên viên Phòng Hành chính tư pháp",
    ),
    (
        "nnmt.chuyenvien",
        "Phạm Thị Lâm",
        Role.DEPARTMENT_EXPERT,
        "nong-nghiep-moi-truong",
        "Chuyên viên Phòng Quản lý đất đai",
    ),
    ("tongdai.vien", "Hoàng Thu Đài", Role.HOTLINE_OPERATOR, None, "Điều phối viên đường dây nóng"),
    ("dilinh.canbo", "K'Brơi Thị Hoa", Role.COMMUNE_OFFICER, 25000, "Công chức Văn phòng – Thống kê"),
    ("dilinh.lanhdao", "Nguyễn Đức Linh", Role.COMMUNE_LEADER, 25000, "Phó Chủ tịch UBND xã"),
    ("camly.canbo", "Ka Nhi", Role.COMMUNE_OFFICER, 24787, "Công chức Tư pháp – Hộ tịch"),
    ("cattien3.canbo", "Đỗ Văn Tiên", Role.COMMUNE_OFFICER, 25162, "Công chức Văn hóa – Xã hội"),
    ("cattien3.luudong", "Điểu Thị Mai", Role.MOBILE_TEAM, 25162, "Tổ lưu động thủ tục hành chính"),
]

DEMO_EMAIL_DOMAIN = "@demo.civicdesk.local"
ADMIN_GROUP = "Quản trị cấp tỉnh"
ADMIN_APPS = {"core", "geo"}


@dataclass(frozen=True)
class DemoClock:
    """The demo's "today" (the anchor day) and "now" (the first instant of that day, Vietnam time).

    Loaders lay every generated date relative to this clock, never to the wall clock, so the same anchor gives
    the same demo on any machine, at any hour; nothing generated is later than `now`.
    """

    today: date

    @property
    def now(self):
        return datetime.combine(self.today, time(0, 0), tzinfo=VN_TZ)

    def days_ago(self, days):
        return self.today - timedelta(days=days)


def parse_anchor(text):
    """A YYYY-MM-DD anchor from the command line or DEMO_ANCHOR; None for an empty value."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("Ngày mốc “%(value)s” không hợp lệ: dùng dạng NNNN-TT-NN, ví dụ 2027-02-08.") % {"value": text}
        ) from None


def demo_clock(requested=None):
    """The clock of this database's demo: the stored anchor, else `requested`, else today (then stored).

    Asking for another anchor than the stored one is refused: half a demo around one day and half around
    another would tell no coherent story (load it into a fresh database instead).
    """
    stored = DemoAnchor.objects.order_by("pk").first()
    if stored is not None:
        if requested is not None and requested != stored.anchor:
            raise ValidationError(
                _(
                    "Dữ liệu minh họa của cơ sở dữ liệu này đã được nạp quanh ngày mốc %(stored)s, không đổi "
                    "sang %(requested)s được. Muốn dùng ngày mốc khác, hãy nạp vào một cơ sở dữ liệu mới "
                    "(ví dụ: make clean rồi make run)."
                )
                % {"stored": f"{stored.anchor:%d/%m/%Y}", "requested": f"{requested:%d/%m/%Y}"}
            )
        return DemoClock(stored.anchor)
    anchor = requested or timezone.localdate()
    DemoAnchor.objects.create(anchor=anchor)
    return DemoClock(anchor)


def _admin_group():
    """Province admins manage departments, groups, calendar days and units through the admin site."""
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS).exclude(
        codename__in=["add_auditevent", "change_auditevent", "delete_auditevent"]
    )
    group.permissions.add(*perms)
    return group


@transaction.atomic
def load(stdout=None, reset_passwords=False):
    """Load the core demo; return the list of (username, role label, unit) for printing."""
    if not Commune.objects.filter(province__code=PROVINCE_CODE).exists():
        load_units()
    province = Province.objects.get(code=PROVINCE_CODE)
    departments = {
        code: services.upsert_department(DEMO, province=province, code=code, name=name, short_name=short)
        for code, name, short in DEPARTMENTS
    }
    password = settings.DEMO_PASSWORD
    admin_group = _admin_group()
    for username, full_name, role, unit, position in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            kwargs = {}
            if isinstance(unit, int):
                kwargs["commune"] = Commune.objects.get(code=unit)
            elif unit:
                kwargs["department"] = departments[unit]
            else:
                kwargs["province"] = province
            user = services.create_user(
                DEMO,
                username=username,
                full_name=full_name,
                role=role,
                password=password,
                position=position,
                email=f"{username}@demo.civicdesk.local",
                **kwargs,
            )
        if role == Role.PROVINCE_ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(admin_group)
    users = {u.username: u for u in User.objects.filter(username__in=[a[0] for a in ACCOUNTS])}
    for code, name, purpose, dept_codes in WORKING_GROUPS:
        members = [u for u in users.values() if u.department_id in {departments[c].pk for c in dept_codes}]
        services.upsert_working_group(
            DEMO,
            province=province,
            code=code,
            name=name,
            purpose=purpose,
            departments=[departments[c] for c in dept_codes],
            members=members,
            leader=members[0] if members else None,
        )


def demo_logins(reset_passwords=False):
    """Every demo account (core's and those other apps' loaders add), in a stable order, for printing."""
    order = {username: i for i, (username, *_rest) in enumerate(ACCOUNTS)}
    users = sorted(
        User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).select_related(
            "commune", "department", "province"
        ),
        key=lambda u: (order.get(u.username, len(order)), u.username),
    )
    for user in users:
        if reset_passwords:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return [(u.username, u.get_role_display(), u.unit_label) for u in users]
