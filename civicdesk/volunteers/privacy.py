"""Volunteers as a kind of record holding personal data (issue 21): registered with the privacy app through
`kernel.registry.add_personal_data` in `apps.py`. Reads here; writes in `services/privacy.py`.

A volunteer is a `community.Person` (found through `community.privacy.matching_people`) with a profile here; the
retention clock starts when they stop volunteering.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.community.privacy import matching_people
from civicdesk.kernel.personal_data import Erasure, HeldRecord, PersonalDataSource, record_ids

from .models import Booking, Skill, Volunteer
from .services import privacy as services

KEY = "volunteers.volunteer"


def _past_retention(province_id, cutoff):
    return (
        Volunteer.objects.filter(person__province_id=province_id, person__pseudonymised_at__isnull=True)
        .filter(Q(is_active=False) | Q(person__is_active=False))
        .filter(updated_at__lt=cutoff, person__updated_at__lt=cutoff)
        .exclude(bookings__shift__day__gte=timezone.localdate(cutoff))
        .distinct()
    )


def due(province_id, cutoff):
    return _past_retention(province_id, cutoff).count()


def pseudonymise(actor, province_id, cutoff, limit):
    ids = list(_past_retention(province_id, cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    return services.pseudonymise_volunteers(actor, ids, reason="retention") if ids else 0


def _matching(actor, key):
    return [
        (person.volunteer, how) for person, how in matching_people(actor, key) if hasattr(person, "volunteer")
    ]


def _hold(volunteer):
    if volunteer.is_active and volunteer.person.is_active:
        return _("Đang tham gia: điều phối viên ghi “thôi tham gia” trước, rồi mới xóa.")
    return ""


def find(actor, key):
    skills = dict(Skill.choices)
    records = []
    for volunteer, how in _matching(actor, key):
        held = volunteer.bookings.filter(status__in=Booking.HOLDING)
        records.append(
            HeldRecord(
                source=KEY,
                id=str(volunteer.pk),
                reference=_("Tình nguyện viên #%(pk)s") % {"pk": volunteer.pk},
                commune_id=volunteer.person.commune_id,
                when=volunteer.joined_on,
                status=_("Đang tham gia") if volunteer.is_active else _("Đã thôi tham gia"),
                fields=(
                    (_("Họ và tên"), volunteer.person.full_name),
                    (_("Thư điện tử"), volunteer.email),
                    (_("Chi đoàn, đơn vị"), volunteer.unit),
                    (_("Kỹ năng"), ", ".join(str(skills.get(s, s)) for s in volunteer.skills)),
                    (_("Đồng ý nhận nhắc lịch"), volunteer.contact_consent),
                    (_("Kênh nhắc lịch"), volunteer.get_reminder_channel_display()),
                    (_("Ngày tham gia"), volunteer.joined_on),
                    (_("Số ca đã xếp"), held.count()),
                    (_("Số lượt hỗ trợ người dân"), volunteer.helps.count()),
                    (
                        _("Ghi chú hỗ trợ"),
                        "; ".join(n for n in volunteer.helps.exclude(note="").values_list("note", flat=True)),
                    ),
                    (_("Giờ đến, giờ về đã ghi"), held.filter(check_in_at__isnull=False).count()),
                    (_("Số giờ"), round(sum(b.hours for b in held.select_related("shift")), 2)),
                ),
                matched_by=how,
                url=reverse("community:person", args=[volunteer.person_id]),
                hold=_hold(volunteer),
            )
        )
    return records


def erase(actor, key, ids):
    wanted = set(record_ids(ids))
    selected = [v for v, _how in _matching(actor, key) if v.pk in wanted]
    kept = tuple((_("Tình nguyện viên #%(pk)s") % {"pk": v.pk}, _hold(v)) for v in selected if _hold(v))
    erasable = [v.pk for v in selected if not _hold(v)]
    erased = (
        services.pseudonymise_volunteers(actor, erasable, reason="data-subject request") if erasable else 0
    )
    return Erasure(erased=erased, kept=kept)


SOURCE = PersonalDataSource(
    key=KEY,
    label=gettext_lazy("Tình nguyện viên tại Trung tâm"),
    order=50,
    subjects=gettext_lazy("Đoàn viên, công đoàn viên tình nguyện trực tại Trung tâm phục vụ hành chính công"),
    purpose=gettext_lazy(
        "Xếp ca trực, nhắc lịch, ghi giờ đến và về, ghi lượt hỗ trợ người dân, cấp giấy chứng nhận, báo cáo."
    ),
    legal_basis=gettext_lazy(
        "Sự đồng ý và thỏa thuận tham gia của tình nguyện viên; nhắc lịch qua điện thoại, tin nhắn: sự đồng ý riêng "
        "(cần kiểm chứng)."
    ),
    categories=(
        gettext_lazy("Họ tên, số điện thoại, thư điện tử, chi đoàn"),
        gettext_lazy("Kỹ năng, ngôn ngữ, buổi có thể trực"),
        gettext_lazy("Ca trực, giờ đến, giờ về, lượt hỗ trợ người dân"),
    ),
    recipients=(
        gettext_lazy("Điều phối viên (công chức, lãnh đạo xã)"),
        gettext_lazy("Nhà cung cấp thư điện tử, SMS, Zalo ZNS (khi nhắc lịch)"),
    ),
    kept=(
        gettext_lazy("xã, chi đoàn, kỹ năng, ngôn ngữ"),
        gettext_lazy("ca trực, số giờ, số lượt hỗ trợ, hồ sơ đã giúp nộp"),
    ),
    closed_when=gettext_lazy("Từ khi tình nguyện viên thôi tham gia (và sau ca trực cuối)"),
    default_months=24,
    erasure=gettext_lazy(
        "Tình nguyện viên đã thôi tham gia: họ tên thay bằng bí danh, điện thoại, thư điện tử, ghi chú xóa; số ca, "
        "số giờ giữ lại. Đang tham gia: thôi tham gia trước."
    ),
    due=due,
    pseudonymise=pseudonymise,
    find=find,
    erase=erase,
    notes=(
        gettext_lazy(
            "Tài khoản đăng nhập của tình nguyện viên (họ tên, thư điện tử) thuộc phần quản trị tài khoản, chưa được "
            "ẩn danh hóa tự động: khóa tài khoản khi họ thôi tham gia."
        ),
    ),
)
