"""The register of data-subject requests as a kind of record holding personal data: it is listed in the record of
processing activities and pseudonymised past its retention like the others."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import Erasure, HeldRecord, PersonalDataSource, record_ids

from .models import SubjectRequest
from .permissions import can_handle
from .services.register import pseudonymise_requests

KEY = "privacy.request"


def _past_retention(province_id, cutoff):
    return SubjectRequest.objects.filter(
        province_id=province_id, pseudonymised_at__isnull=True, closed_at__lt=cutoff
    ).exclude(status__in=SubjectRequest.OPEN)


def due(province_id, cutoff):
    return _past_retention(province_id, cutoff).count()


def pseudonymise(actor, province_id, cutoff, limit):
    ids = list(_past_retention(province_id, cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    return pseudonymise_requests(actor, ids, reason="retention") if ids else 0


def _matching(actor, key):
    if not key:
        return []
    rows = SubjectRequest.objects.all() if is_system(actor) else SubjectRequest.objects.visible_to(actor)
    rows = rows.filter(pseudonymised_at__isnull=True)
    q = Q()
    if key.id_number:
        q |= Q(id_number=key.id_number)
    if key.phone:
        q |= Q(phone=key.phone)
    rows = rows.filter(q)
    found = []
    for request in rows.order_by("received_at"):
        how = key.match(request.id_number, request.phone)
        if how and (is_system(actor) or can_handle(actor, request.commune_id)):
            found.append((request, how))
    return found


HOLD = gettext_lazy(
    "Sổ yêu cầu là căn cứ chứng minh xã đã thực hiện yêu cầu của người dân: giữ đến hết thời hạn lưu của sổ."
)


def find(actor, key):
    return [
        HeldRecord(
            source=KEY,
            id=str(request.pk),
            reference=request.reference,
            commune_id=request.commune_id,
            when=request.received_at,
            status=request.get_status_display(),
            fields=(
                (_("Loại yêu cầu"), request.get_kind_display()),
                (_("Họ tên"), request.subject_name),
                (_("Số CCCD"), request.id_number),
                (_("Số điện thoại"), request.phone),
                (_("Người yêu cầu"), request.get_requester_display()),
                (_("Họ tên người yêu cầu"), request.requester_name),
                (_("Kênh"), request.get_channel_display()),
                (_("Nội dung"), request.detail),
                (_("Kết quả"), request.outcome),
            ),
            matched_by=how,
            url=reverse("privacy:request", args=[request.pk]),
            hold=str(HOLD),
        )
        for request, how in _matching(actor, key)
    ]


def erase(actor, key, ids):
    wanted = set(record_ids(ids))
    return Erasure(
        erased=0, kept=tuple((r.reference, str(HOLD)) for r, _how in _matching(actor, key) if r.pk in wanted)
    )


REQUESTS = PersonalDataSource(
    key=KEY,
    label=gettext_lazy("Sổ yêu cầu của chủ thể dữ liệu"),
    order=90,
    subjects=gettext_lazy("Người dân yêu cầu về dữ liệu của mình; người đại diện, người được ủy quyền"),
    purpose=gettext_lazy(
        "Tiếp nhận, thực hiện, trả lời yêu cầu cung cấp, chỉnh sửa, hạn chế xử lý, xóa dữ liệu."
    ),
    legal_basis=gettext_lazy(
        "Thực hiện nghĩa vụ của bên kiểm soát dữ liệu theo Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 và Nghị định "
        "356/2025/NĐ-CP (cần kiểm chứng điều khoản cụ thể)."
    ),
    categories=(
        gettext_lazy("Họ tên, số CCCD, số điện thoại"),
        gettext_lazy("Người yêu cầu thay, kênh, nội dung yêu cầu, kết quả"),
    ),
    recipients=(
        gettext_lazy("Công chức, lãnh đạo UBND xã; quản trị cấp tỉnh (không xem số CCCD, số điện thoại)"),
    ),
    kept=(gettext_lazy("loại yêu cầu, kênh, xã, ngày nhận, ngày kết thúc, trạng thái, số bản ghi đã xử lý"),),
    closed_when=gettext_lazy("Từ khi yêu cầu hoàn thành hoặc bị từ chối"),
    default_months=36,
    erasure=gettext_lazy(
        "Không xóa theo yêu cầu: sổ là căn cứ chứng minh đã thực hiện; ẩn danh hóa khi hết thời hạn lưu."
    ),
    due=due,
    pseudonymise=pseudonymise,
    find=find,
    erase=erase,
)
