"""The service desk's dossiers as a kind of record holding citizens' personal data (issue 21): registered with the
privacy app through `kernel.registry.add_personal_data` in `apps.py`. Reads here; writes in `services/privacy.py`."""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import Erasure, HeldRecord, PersonalDataSource, record_ids

from .models import OPEN_STATUSES, Dossier, IntakeCheck
from .permissions import can_see_personal_data
from .services import privacy as services

KEY = "servicedesk.dossier"
REASON = "retention"


def _past_retention(province_id, cutoff):
    """Closed dossiers of the province whose applicant data is due: closed (result returned, else recorded, else the
    last change of a rejected or withdrawn dossier) before `cutoff`. A dossier closed before the cutoff was received
    before it too, so the (province, received_date) index narrows the scan."""
    return (
        Dossier.objects.filter(province_id=province_id, pseudonymised_at__isnull=True)
        .filter(received_date__lte=timezone.localdate(cutoff))
        .exclude(status__in=OPEN_STATUSES)
        .annotate(closed=Coalesce("returned_at", "finished_at", "updated_at"))
        .filter(closed__lt=cutoff)
    )


def _checks_past_retention(province_id, cutoff):
    return IntakeCheck.objects.filter(
        commune__province_id=province_id, dossier__isnull=True, checked_at__lt=cutoff
    ).exclude(applicant_name="")


def due(province_id, cutoff):
    return _past_retention(province_id, cutoff).count() + _checks_past_retention(province_id, cutoff).count()


def pseudonymise(actor, province_id, cutoff, limit):
    ids = list(_past_retention(province_id, cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    done = services.pseudonymise_dossiers(actor, ids, reason=REASON) if ids else 0
    if done < limit:
        checks = _checks_past_retention(province_id, cutoff).order_by("pk").values_list("pk", flat=True)
        ids = list(checks[: limit - done])
        done += services.forget_intake_checks(actor, ids, reason=REASON) if ids else 0
    return done


def _matching(actor, key):
    """[(dossier, how it matched)]: the person's dossiers whose applicant data `actor` may see."""
    if not key:
        return []
    q = Q()
    if key.id_number:
        q |= Q(applicant_id_number=key.id_number)
    if key.phone:
        q |= Q(applicant_phone__in=key.phones)
    rows = Dossier.objects.visible_to(actor) if not is_system(actor) else Dossier.objects.all()
    found = []
    for dossier in rows.filter(q).order_by("received_at", "pk"):
        how = key.match(dossier.applicant_id_number, dossier.applicant_phone)
        if how and (is_system(actor) or can_see_personal_data(actor, dossier.commune_id)):
            found.append((dossier, how))
    return found


def _hold(dossier):
    if dossier.is_open:
        return _("Hồ sơ đang giải quyết: giữ nguyên để trả kết quả cho người dân.")
    return _(
        "Hồ sơ thủ tục hành chính phải lưu theo quy định về lưu trữ: chỉ ẩn danh hóa khi hết thời hạn lưu tỉnh đặt "
        "cho loại hồ sơ này."
    )


def find(actor, key):
    records = []
    for dossier, how in _matching(actor, key):
        records.append(
            HeldRecord(
                source=KEY,
                id=str(dossier.pk),
                reference=dossier.code,
                commune_id=dossier.commune_id,
                when=dossier.received_at,
                status=dossier.get_status_display(),
                fields=(
                    (_("Họ tên người nộp"), dossier.applicant_name),
                    (_("Số CCCD"), dossier.applicant_id_number),
                    (_("Số điện thoại"), dossier.applicant_phone),
                    (_("Thủ tục"), dossier.procedure_name or dossier.procedure_code),
                    (_("Kênh tiếp nhận"), dossier.get_channel_display()),
                    (_("Thời điểm tiếp nhận"), dossier.received_at),
                    (_("Hẹn trả kết quả"), dossier.appointment_at),
                    (_("Ghi chú"), dossier.note),
                ),
                matched_by=how,
                url=reverse("servicedesk:dossier", args=[dossier.code]),
                hold=_hold(dossier),
                restricted=dossier.restricted,
                correctable=True,
            )
        )
    return records


def _ids(actor, key, ids):
    wanted = set(record_ids(ids))
    return [dossier.pk for dossier, _how in _matching(actor, key) if dossier.pk in wanted]


def erase(actor, key, ids):
    """Dossiers are administrative records the law makes the commune keep: none is erased on request (the privacy
    app restricts them instead); they are pseudonymised when the retention period ends."""
    wanted = set(record_ids(ids))
    kept = tuple((d.code, _hold(d)) for d, _how in _matching(actor, key) if d.pk in wanted)
    return Erasure(erased=0, kept=kept)


def restrict(actor, key, ids, restricted):
    return services.set_restricted(actor, _ids(actor, key, ids), restricted, reason="data-subject request")


def correct(actor, key, ids, data):
    return services.correct_applicant(actor, _ids(actor, key, ids), data, reason="data-subject request")


SOURCE = PersonalDataSource(
    key=KEY,
    label=gettext_lazy("Hồ sơ thủ tục hành chính (một cửa)"),
    order=10,
    subjects=gettext_lazy("Người nộp hồ sơ (công dân, người được ủy quyền)"),
    purpose=gettext_lazy(
        "Tiếp nhận, giải quyết và trả kết quả thủ tục hành chính; hẹn trả, xin lỗi khi trễ hạn; tra cứu tình trạng "
        "hồ sơ; thống kê chỉ số phục vụ (Quyết định 766/QĐ-TTg)."
    ),
    legal_basis=gettext_lazy(
        "Thực hiện nhiệm vụ, quyền hạn của cơ quan nhà nước theo pháp luật về thủ tục hành chính và cơ chế một cửa, "
        "một cửa liên thông — trường hợp xử lý không cần sự đồng ý do luật quy định (cần kiểm chứng điều khoản cụ "
        "thể của Luật 91/2025/QH15 và Nghị định 356/2025/NĐ-CP)."
    ),
    categories=(
        gettext_lazy("Họ tên"),
        gettext_lazy("Số CCCD"),
        gettext_lazy("Số điện thoại"),
        gettext_lazy("Thủ tục đã nộp, ngày nộp, kết quả"),
        gettext_lazy("Ghi chú của cán bộ, lý do trễ hạn, góp ý khảo sát (văn bản tự do)"),
        gettext_lazy(
            "Ngôn ngữ được phục vụ, có phiên dịch (có thể cho biết dân tộc — dữ liệu nhạy cảm, cần kiểm chứng)"
        ),
    ),
    recipients=(
        gettext_lazy("Công chức, lãnh đạo UBND xã nơi nộp hồ sơ"),
        gettext_lazy("Cơ quan giải quyết liên thông (theo từng thủ tục)"),
        gettext_lazy("Cấp tỉnh: chỉ số liệu tổng hợp, không có họ tên, CCCD, số điện thoại"),
    ),
    kept=(
        gettext_lazy("xã, tỉnh, thủ tục, kênh, trạng thái"),
        gettext_lazy("ngày tiếp nhận, hẹn trả, có kết quả, trả kết quả; đúng hạn; số ngày làm việc"),
        gettext_lazy("số lần bổ sung, điểm đánh giá, số hóa, ngôn ngữ phục vụ"),
    ),
    closed_when=gettext_lazy("Từ khi trả kết quả (hoặc có kết quả, từ chối, công dân rút hồ sơ)"),
    default_months=60,
    erasure=gettext_lazy(
        "Không xóa theo yêu cầu: hồ sơ thủ tục hành chính phải lưu theo quy định về lưu trữ. Hồ sơ được đánh dấu "
        "hạn chế xử lý và sẽ được ẩn danh hóa khi hết thời hạn lưu."
    ),
    due=due,
    pseudonymise=pseudonymise,
    find=find,
    erase=erase,
    restrict=restrict,
    correct=correct,
)
