"""The register of people (citizens, with their languages and the visits they asked for) as a kind of record holding
personal data (issue 21): registered with the privacy app through `kernel.registry.add_personal_data` in `apps.py`.
Reads here; writes in `services/privacy.py`.

A citizen's record has no end of its own: its retention runs from the last change of the record and of the visits
they asked for, and a citizen whom another app's live records still need (an outreach campaign not yet past its own
retention: `holds_people` of the other sources) is kept.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.languages import language_name
from civicdesk.kernel.personal_data import Erasure, HeldRecord, PersonalDataSource, record_ids
from civicdesk.kernel.registry import registry

from .models import Accompaniment, Person
from .permissions import can_edit_person, can_see_personal_data
from .services import privacy as services

KEY = "community.person"
CHUNK = 500


def _candidates(province_id, cutoff):
    recent_visits = Accompaniment.objects.filter(
        Q(status__in=Accompaniment.ACTIVE)
        | Q(date__gte=timezone.localdate(cutoff))
        | Q(updated_at__gte=cutoff)
    ).values("citizen_id")
    return (
        Person.objects.citizens()
        .filter(province_id=province_id, pseudonymised_at__isnull=True, updated_at__lt=cutoff)
        .exclude(pk__in=recent_visits)
    )


def _held(ids):
    """Those of `ids` another app's live records still need."""
    held = set()
    for source in registry.personal_data_sources():
        if source.holds_people is not None:
            held |= set(source.holds_people(ids))
    return held


def _free(province_id, cutoff, limit=None):
    """The pks of people past retention that nobody holds, in pk order (at most `limit`)."""
    free, last = [], 0
    while limit is None or len(free) < limit:
        page = list(
            _candidates(province_id, cutoff)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not page:
            break
        held = _held(page)
        free += [pk for pk in page if pk not in held]
        last = page[-1]
    return free if limit is None else free[:limit]


def due(province_id, cutoff):
    return len(_free(province_id, cutoff))


def pseudonymise(actor, province_id, cutoff, limit):
    ids = _free(province_id, cutoff, limit)
    return services.pseudonymise_people(actor, ids, reason="retention") if ids else 0


def matching_people(actor, key):
    """[(person, how it matched)]: the people of `key` (a PersonKey) whose numbers `actor` may see. Outreach and the
    volunteers' sources find their records through it (one matching rule for a person)."""
    if not key:
        return []
    q = Q()
    if key.id_number:
        q |= Q(id_number=key.id_number)
    if key.phone:
        # Numbers are stored as typed by some pages ("0912 345 678") and as E.164 by others: compare in Python.
        q |= Q(phone__endswith=key.phone[-2:])
    rows = Person.objects.all() if is_system(actor) else Person.objects.visible_to(actor)
    found = []
    for person in (
        rows.filter(q).exclude(kind=Person.Kind.POOL).select_related("commune", "hamlet").order_by("pk")
    ):
        how = key.match(person.id_number, person.phone)
        if how and (is_system(actor) or can_see_personal_data(actor, person.commune_id)):
            found.append((person, how))
    return found


def _hold(person):
    if person.kind != Person.Kind.CITIZEN:
        return _(
            "Người làm việc hoặc tình nguyện viên của xã: thông tin được xóa khi họ thôi tham gia (tình nguyện viên: "
            "trên trang tình nguyện viên)."
        )
    if person.accompaniments_needed.filter(status__in=Accompaniment.ACTIVE).exists():
        return _("Đang có đề nghị đi cùng chưa xong: xóa sau khi chuyến đi kết thúc hoặc được hủy.")
    return ""


def find(actor, key):
    records = []
    for person, how in matching_people(actor, key):
        languages = ", ".join(
            f"{language_name(lang.code)} ({lang.listening if lang.listening is not None else '–'}/"
            f"{lang.speaking if lang.speaking is not None else '–'})"
            for lang in person.languages.all()
        )
        visits = "; ".join(
            f"{v.date:%d/%m/%Y} — {v.procedure_name or v.language_name} — {v.get_status_display()}"
            + (f" — {v.address}" if v.address else "")
            for v in person.accompaniments_needed.order_by("date")
        )
        records.append(
            HeldRecord(
                source=KEY,
                id=str(person.pk),
                reference=f"{person.get_kind_display()} #{person.pk}",
                commune_id=person.commune_id,
                when=person.created_at,
                status=_("Đang hoạt động") if person.is_active else _("Ngừng"),
                fields=(
                    (_("Họ và tên"), person.full_name),
                    (_("Số CCCD"), person.id_number),
                    (_("Điện thoại"), person.phone),
                    (_("Địa chỉ"), person.address),
                    (_("Thôn, tổ dân phố"), str(person.hamlet or "")),
                    (_("Ngôn ngữ ưa dùng"), person.preferred_language_name),
                    (_("Cần người phiên dịch"), person.interpreter_needed),
                    (_("Ngôn ngữ (nghe/nói)"), languages),
                    (_("Đề nghị đi cùng"), visits),
                    (_("Ghi chú"), person.note),
                ),
                matched_by=how,
                url=reverse("community:person", args=[person.pk]),
                hold=_hold(person),
                restricted=person.restricted,
                correctable=can_edit_person(actor, person) if not is_system(actor) else True,
            )
        )
    return records


def _selected(actor, key, ids):
    wanted = set(record_ids(ids))
    return [person for person, _how in matching_people(actor, key) if person.pk in wanted]


def erase(actor, key, ids):
    selected = _selected(actor, key, ids)
    kept = tuple((f"#{p.pk}", _hold(p)) for p in selected if _hold(p))
    erasable = [p.pk for p in selected if not _hold(p)]
    erased = services.pseudonymise_people(actor, erasable, reason="data-subject request") if erasable else 0
    return Erasure(erased=erased, kept=kept)


def restrict(actor, key, ids, restricted):
    pks = [p.pk for p in _selected(actor, key, ids)]
    return services.set_restricted(actor, pks, restricted, reason="data-subject request")


def correct(actor, key, ids, data):
    pks = [p.pk for p in _selected(actor, key, ids)]
    return services.correct_people(actor, pks, data, reason="data-subject request")


SOURCE = PersonalDataSource(
    key=KEY,
    label=gettext_lazy("Người dân và ngôn ngữ (hỗ trợ tiếng dân tộc)"),
    order=30,
    subjects=gettext_lazy(
        "Người dân cần hỗ trợ ngôn ngữ hoặc được tiếp cận; cán bộ, tình nguyện viên nói tiếng dân tộc"
    ),
    purpose=gettext_lazy(
        "Bố trí người nói tiếng dân tộc đi cùng người dân làm thủ tục; đo độ phủ ngôn ngữ theo xã, thôn; là danh "
        "sách người dân chung cho chủ động tiếp cận và tổ lưu động."
    ),
    legal_basis=gettext_lazy(
        "Sự đồng ý của người dân (ghi nhận khi lập hồ sơ hoặc đề nghị đi cùng); cán bộ, tình nguyện viên: thực hiện "
        "nhiệm vụ và thỏa thuận tham gia (cần kiểm chứng)."
    ),
    categories=(
        gettext_lazy("Họ tên, số điện thoại, số CCCD (khi người dân đồng ý), địa chỉ, thôn"),
        gettext_lazy(
            "Ngôn ngữ ưa dùng, nhu cầu phiên dịch, trình độ ngôn ngữ (có thể cho biết dân tộc — dữ liệu nhạy cảm, "
            "cần kiểm chứng)"
        ),
        gettext_lazy("Đề nghị đi cùng: ngày hẹn, nơi hẹn, việc cần làm, kết quả"),
    ),
    recipients=(
        gettext_lazy("Công chức, lãnh đạo UBND xã"),
        gettext_lazy("Người được phân công đi cùng (họ tên, thôn, ngày hẹn)"),
        gettext_lazy("Cấp tỉnh: chỉ số liệu độ phủ, không có họ tên người dân"),
    ),
    kept=(
        gettext_lazy("xã, thôn, loại người"),
        gettext_lazy("ngôn ngữ và trình độ (độ phủ ngôn ngữ)"),
        gettext_lazy("ngày, trạng thái, kết quả các chuyến đi cùng"),
    ),
    closed_when=gettext_lazy(
        "Từ lần cập nhật cuối của người dân và các đề nghị đi cùng; giữ khi chiến dịch tiếp cận còn cần"
    ),
    default_months=24,
    erasure=gettext_lazy(
        "Người dân: họ tên thay bằng bí danh; điện thoại, CCCD, địa chỉ, ghi chú xóa; ngôn ngữ giữ để đếm độ phủ. "
        "Đang có đề nghị đi cùng chưa xong: giữ đến khi xong."
    ),
    due=due,
    pseudonymise=pseudonymise,
    find=find,
    erase=erase,
    restrict=restrict,
    correct=correct,
)
