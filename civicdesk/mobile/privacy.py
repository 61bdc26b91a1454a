"""The mobile team's field dossiers (the phone's copy of a dossier taken in a hamlet) as a kind of record holding
personal data (issue 21): registered with the privacy app through `kernel.registry.add_personal_data` in `apps.py`.
Reads here; writes in `services/privacy.py`."""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import Erasure, HeldRecord, PersonalDataSource, record_ids
from civicdesk.servicedesk.permissions import can_see_personal_data

from .models import FieldDossier
from .services import privacy as services

KEY = "mobile.field_dossier"


def _past_retention(province_id, cutoff):
    return (
        FieldDossier.objects.filter(
            commune__province_id=province_id, pseudonymised_at__isnull=True, taken_at__lt=cutoff
        )
        .exclude(status=FieldDossier.Status.REVIEW)
        .annotate(closed=Coalesce("resolved_at", "synced_at"))
        .filter(closed__lt=cutoff)
    )


def due(province_id, cutoff):
    return _past_retention(province_id, cutoff).count()


def pseudonymise(actor, province_id, cutoff, limit):
    ids = list(_past_retention(province_id, cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    return services.pseudonymise_field_dossiers(actor, ids, reason="retention") if ids else 0


def _matching(actor, key):
    if not key:
        return []
    q = Q()
    if key.id_number:
        q |= Q(payload__applicant_id_number=key.id_number)
    for phone in key.phones:
        q |= Q(payload__applicant_phone=phone)
    rows = FieldDossier.objects.all() if is_system(actor) else FieldDossier.objects.visible_to(actor)
    found = []
    for record in rows.filter(q).select_related("dossier").order_by("taken_at", "pk"):
        payload = record.payload or {}
        how = key.match(
            str(payload.get("applicant_id_number") or ""), str(payload.get("applicant_phone") or "")
        )
        if how and (is_system(actor) or can_see_personal_data(actor, record.commune_id)):
            found.append((record, how))
    return found


def _hold(record):
    if record.status == FieldDossier.Status.REVIEW:
        return _("Đang chờ cán bộ xem: xóa sau khi đã vào sổ hoặc loại.")
    return ""


def find(actor, key):
    records = []
    for record, how in _matching(actor, key):
        payload = record.payload or {}
        records.append(
            HeldRecord(
                source=KEY,
                id=str(record.pk),
                reference=record.provisional_code,
                commune_id=record.commune_id,
                when=record.taken_at,
                status=record.get_status_display(),
                fields=(
                    (_("Họ tên người nộp"), str(payload.get("applicant_name") or "")),
                    (_("Số CCCD"), str(payload.get("applicant_id_number") or "")),
                    (_("Số điện thoại"), str(payload.get("applicant_phone") or "")),
                    (_("Mã thủ tục"), str(payload.get("procedure_code") or "")),
                    (_("Ghi chú"), str(payload.get("note") or "")),
                    (_("Ảnh giấy tờ"), record.attachments.count()),
                    (_("Hồ sơ trong sổ"), record.dossier.code if record.dossier_id else ""),
                ),
                matched_by=how,
                url=reverse("mobile:index") if record.status == FieldDossier.Status.REVIEW else "",
                hold=_hold(record),
            )
        )
    return records


def erase(actor, key, ids):
    wanted = set(record_ids(ids))
    selected = [r for r, _how in _matching(actor, key) if r.pk in wanted]
    kept = tuple((r.provisional_code, _hold(r)) for r in selected if _hold(r))
    erasable = [r.pk for r in selected if not _hold(r)]
    erased = (
        services.pseudonymise_field_dossiers(actor, erasable, reason="data-subject request")
        if erasable
        else 0
    )
    return Erasure(erased=erased, kept=kept)


SOURCE = PersonalDataSource(
    key=KEY,
    label=gettext_lazy("Hồ sơ tổ lưu động nhận tại thôn (bản trên máy)"),
    order=60,
    subjects=gettext_lazy("Người dân nộp hồ sơ với tổ lưu động tại thôn"),
    purpose=gettext_lazy(
        "Nhận hồ sơ khi không có mạng, đồng bộ vào sổ một cửa của xã, phát hiện hồ sơ trùng; ảnh giấy tờ kèm theo."
    ),
    legal_basis=gettext_lazy(
        "Như hồ sơ thủ tục hành chính: thực hiện nhiệm vụ của cơ quan nhà nước theo pháp luật về thủ tục hành "
        "chính (cần kiểm chứng điều khoản cụ thể)."
    ),
    categories=(
        gettext_lazy("Họ tên, số CCCD, số điện thoại, thôn"),
        gettext_lazy("Ảnh chụp giấy tờ (có thể gồm ảnh thẻ căn cước)"),
    ),
    recipients=(gettext_lazy("Tổ lưu động và công chức, lãnh đạo xã"),),
    kept=(
        gettext_lazy("xã, thôn, chuyến đi, thủ tục, thời điểm nhận và đồng bộ, trạng thái, hồ sơ trong sổ"),
    ),
    closed_when=gettext_lazy("Từ khi vào sổ, gộp vào hồ sơ có sẵn hoặc bị loại"),
    default_months=12,
    erasure=gettext_lazy(
        "Bản trên máy được ẩn danh hóa và ảnh giấy tờ bị xóa; hồ sơ trong sổ một cửa theo quy tắc của hồ sơ thủ "
        "tục hành chính. Đang chờ cán bộ xem: giữ đến khi xử lý xong."
    ),
    due=due,
    pseudonymise=pseudonymise,
    find=find,
    erase=erase,
)
