"""Hotline tickets as a kind of record holding personal data (issue 21): registered with the privacy app through
`kernel.registry.add_personal_data` in `apps.py`. Reads here; writes in `services/privacy.py`.

A ticket is a commune official's question to the province; personal data in it is the caller's (logged by the
operator) and whatever citizen's numbers the question or the conversation quote.
"""

import re

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import Erasure, HeldRecord, PersonalDataSource, national_phone, record_ids

from .models import Message, Ticket
from .permissions import is_commune_party, is_province_desk
from .services import privacy as services

KEY = "hotline.ticket"
CLOSED = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
TEXT_FIELDS = ("title", "body", "conversation_transcript")


def _past_retention(province_id, cutoff):
    return (
        Ticket.objects.filter(
            province_id=province_id, status__in=CLOSED, pseudonymised_at__isnull=True, created_at__lt=cutoff
        )
        .annotate(closed=Coalesce("closed_at", "resolved_at", "updated_at"))
        .filter(closed__lt=cutoff)
    )


def due(province_id, cutoff):
    return _past_retention(province_id, cutoff).count()


def pseudonymise(actor, province_id, cutoff, limit):
    ids = list(_past_retention(province_id, cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    return services.pseudonymise_tickets(actor, ids, reason="retention") if ids else 0


def _spellings(key):
    """How the person's numbers may be written inside a text."""
    found = []
    if key.id_number:
        found.append(key.id_number)
    if key.phone:
        p = key.phone
        found += [*key.phones, f"{p[:4]} {p[4:7]} {p[7:]}", f"{p[:4]}.{p[4:7]}.{p[7:]}"]
    return found


def _text_match(key, texts):
    text = " ".join(t for t in texts if t)
    if key.id_number and re.search(rf"(?<!\d){key.id_number}(?!\d)", text):
        return "id_number"
    if key.phone and any(s in text for s in _spellings(key)[1 if key.id_number else 0 :]):
        return "phone"
    return ""


def _may(actor, ticket):
    return is_system(actor) or is_commune_party(actor, ticket) or is_province_desk(actor, ticket.province_id)


def _matching(actor, key):
    if not key:
        return []
    q = Q()
    for spelling in _spellings(key):
        for name in TEXT_FIELDS:
            q |= Q(**{f"{name}__contains": spelling})
        q |= Q(messages__body__contains=spelling)
    if key.phone:
        q |= Q(caller_phone__contains=key.phone[-3:])
    rows = Ticket.objects.all() if is_system(actor) else Ticket.objects.visible_to(actor)
    found = []
    for ticket in rows.filter(q).distinct().order_by("created_at", "pk"):
        if not _may(actor, ticket):
            continue
        how = key.match("", ticket.caller_phone) if national_phone(ticket.caller_phone) else ""
        if not how:
            bodies = Message.objects.filter(ticket=ticket).values_list("body", flat=True)
            how = _text_match(key, [getattr(ticket, n) for n in TEXT_FIELDS] + list(bodies))
        if how:
            found.append((ticket, how))
    return found


def _hold(ticket):
    if ticket.is_open:
        return _("Câu hỏi đang được trả lời: xóa sau khi đã giải quyết.")
    return ""


def find(actor, key):
    return [
        HeldRecord(
            source=KEY,
            id=str(ticket.pk),
            reference=ticket.reference,
            commune_id=ticket.commune_id,
            when=ticket.created_at,
            status=ticket.get_status_display(),
            fields=(
                (_("Tên người gọi"), ticket.caller_name),
                (_("Số điện thoại người gọi"), ticket.caller_phone),
                (_("Tiêu đề"), ticket.title),
                (_("Nội dung câu hỏi"), ticket.body),
                (_("Kênh"), ticket.get_channel_display()),
            ),
            matched_by=how,
            url=reverse("hotline:detail", args=[ticket.pk]),
            hold=_hold(ticket),
            restricted=ticket.restricted,
        )
        for ticket, how in _matching(actor, key)
    ]


def _selected(actor, key, ids):
    wanted = set(record_ids(ids))
    return [(t, how) for t, how in _matching(actor, key) if t.pk in wanted]


def erase(actor, key, ids):
    selected = _selected(actor, key, ids)
    kept = tuple((t.reference, _hold(t)) for t, _how in selected if _hold(t))
    erasable = [t.pk for t, _how in selected if not _hold(t)]
    erased = services.pseudonymise_tickets(actor, erasable, reason="data-subject request") if erasable else 0
    return Erasure(erased=erased, kept=kept)


def restrict(actor, key, ids, restricted):
    pks = [t.pk for t, _how in _selected(actor, key, ids)]
    return services.set_restricted(actor, pks, restricted, reason="data-subject request")


SOURCE = PersonalDataSource(
    key=KEY,
    label=gettext_lazy("Câu hỏi đường dây nóng"),
    order=20,
    subjects=gettext_lazy(
        "Người gọi đường dây nóng (thường là cán bộ xã chưa có tài khoản); người dân được nhắc tới trong câu hỏi"
    ),
    purpose=gettext_lazy(
        "Trả lời câu hỏi nghiệp vụ của xã, theo dõi thời hạn phản hồi (SLA), báo cáo và đưa câu trả lời đã kiểm "
        "duyệt vào cẩm nang (không kèm tên người)."
    ),
    legal_basis=gettext_lazy(
        "Thực hiện nhiệm vụ hướng dẫn chuyên môn của cơ quan nhà nước cho cấp xã — trường hợp luật cho phép xử "
        "lý không cần sự đồng ý (cần kiểm chứng điều khoản cụ thể)."
    ),
    categories=(
        gettext_lazy("Tên, số điện thoại người gọi"),
        gettext_lazy(
            "Nội dung câu hỏi, trao đổi, tệp đính kèm (có thể chứa họ tên, CCCD, số điện thoại người dân)"
        ),
    ),
    recipients=(
        gettext_lazy("Cán bộ xã đã hỏi"),
        gettext_lazy("Chuyên viên sở, tổ công tác được phân công; tổng đài viên cấp tỉnh"),
    ),
    kept=(
        gettext_lazy("xã, lĩnh vực, kênh, mức khẩn, trạng thái"),
        gettext_lazy("thời điểm gửi, phản hồi, giải quyết; quá hạn; điểm hài lòng"),
    ),
    closed_when=gettext_lazy("Từ khi câu hỏi được giải quyết hoặc đóng"),
    default_months=24,
    erasure=gettext_lazy(
        "Câu hỏi đã giải quyết: tên người gọi thay bằng bí danh, số điện thoại xóa, số CCCD, số điện thoại, thư "
        "điện tử trong nội dung được che. Câu hỏi đang trả lời: giữ đến khi giải quyết."
    ),
    due=due,
    pseudonymise=pseudonymise,
    find=find,
    erase=erase,
    restrict=restrict,
    notes=(
        gettext_lazy(
            "Họ tên người dân viết trong nội dung câu hỏi không tìm được bằng mẫu: cán bộ cần đọc và sửa khi được yêu cầu."
        ),
        gettext_lazy("Tệp đính kèm chưa được ẩn danh hóa tự động."),
    ),
)
