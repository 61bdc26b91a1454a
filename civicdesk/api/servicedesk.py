"""Service desk API: dossiers (scoped; personal data only for the commune's officers, logged), intake,
named transitions, and the Decision 766 KPIs in the same shape as `civicdesk kpi --json`."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from civicdesk.core import audit
from civicdesk.geo.models import Province
from civicdesk.handbook.models import Procedure
from civicdesk.servicedesk import kpi, links, permissions, services
from civicdesk.servicedesk.models import Dossier

from .base import Paging, answers, error

router = Router(tags=["servicedesk"])


class DossierOut(Schema):
    code: str
    commune_code: int
    procedure_code: str
    procedure_name: str
    procedure_known: bool
    channel: str
    status: str
    received_at: datetime
    due_at: datetime | None
    new_due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    is_on_time: bool | None
    supplement_count: int
    rating: int | None
    served_language: str = Field(
        description="Mã ISO 639-3 của ngôn ngữ đã dùng để phục vụ người dân; rỗng: tiếng Việt.",
        examples=["kpm"],
    )
    interpreter_used: bool = Field(description="Có người phiên dịch.")
    allowed_actions: list[str] = []
    status_url: str | None = None
    applicant_name: str | None = None
    applicant_id_number: str | None = None
    applicant_phone: str | None = None


def _column(name):
    """The length of Dossier's column: longer text must be a 422 here, not a DataError on PostgreSQL."""
    return Dossier._meta.get_field(name).max_length


class DossierIn(Schema):
    procedure_code: str = Field(examples=["HT-001"])
    present: list[int] = Field(description="Số thứ tự (từ 0) các thành phần hồ sơ đã nộp.", examples=[[0, 1]])
    applicant_name: str = Field(max_length=_column("applicant_name"), examples=["Ka Huệ"])
    applicant_id_number: str = Field(examples=["068190001234"])
    applicant_phone: str = Field(examples=["0912 345 678"])
    channel: str = Field("truc_tiep", examples=["truc_tiep"])
    appointment_at: datetime | None = None
    note: str = Field("", max_length=_column("note"))
    served_language: str = Field(
        "",
        max_length=_column("served_language"),
        description="Mã ISO 639-3 của ngôn ngữ phục vụ (kpm: K'Ho, cma: Mạ…); rỗng hoặc vie: tiếng Việt.",
        examples=["kpm"],
    )
    interpreter_used: bool = Field(False, description="Có người phiên dịch.")


class TransitionIn(Schema):
    reason: str = ""
    reason_category: str = ""
    items: list[str] = []
    new_due_at: datetime | None = None


def _local(value):
    return timezone.localtime(value) if value else None


def _out(request, dossier, *, detail=False):
    data = {
        "code": dossier.code,
        "commune_code": dossier.commune.code,
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_name,
        "procedure_known": dossier.procedure_id is not None,
        "channel": dossier.channel,
        "status": dossier.status,
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "new_due_at": _local(dossier.new_due_at),
        "finished_at": _local(dossier.finished_at),
        "returned_at": _local(dossier.returned_at),
        "is_on_time": dossier.is_on_time,
        "supplement_count": dossier.supplement_count,
        "rating": dossier.rating,
        "served_language": dossier.served_language,
        "interpreter_used": dossier.interpreter_used,
    }
    if detail:
        data["allowed_actions"] = (
            services.allowed_actions(dossier) if permissions.can_process(request.user, dossier) else []
        )
        data["status_url"] = links.status_url(dossier)
        if permissions.can_see_personal_data(request.user, dossier):
            audit.record_view(
                request.user,
                dossier,
                fields=["applicant_name", "applicant_id_number", "applicant_phone"],
                reason="API",
            )
            data.update(
                applicant_name=dossier.applicant_name,
                applicant_id_number=dossier.applicant_id_number,
                applicant_phone=dossier.applicant_phone,
            )
    return data


def _scoped(request):
    return Dossier.objects.visible_to(request.user).select_related("commune")


@router.get(
    "/dossiers",
    response=answers(list[DossierOut], 422),
    summary="Hồ sơ người dùng được xem (không kèm dữ liệu cá nhân)",
)
def list_dossiers(
    request,
    paging: Query[Paging],
    commune: int | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    qs = _scoped(request)
    if commune:
        qs = qs.filter(commune__code=commune)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(received_date__gte=date_from)
    if date_to:
        qs = qs.filter(received_date__lte=date_to)
    return [_out(request, d) for d in paging.page(qs.order_by("-received_at", "-id"))]


@router.get("/dossiers/{code}", response=answers(DossierOut, 404))
def get_dossier(request, code: str):
    return _out(request, get_object_or_404(_scoped(request), code=code), detail=True)


@router.post("/dossiers", response=answers({201: DossierOut}, 400, 403, 404, 422))
def create_dossier(request, payload: DossierIn):
    """Check the components and register; missing required components answer 422 `incomplete`."""
    user = request.user
    if not permissions.can_receive(user, user.commune_id):
        raise PermissionDenied(
            _("Chỉ cán bộ, tình nguyện viên hoặc tổ lưu động của xã được tiếp nhận hồ sơ.")
        )
    procedure = get_object_or_404(
        Procedure.objects.exclude(status=Procedure.Status.ARCHIVED), code=payload.procedure_code
    )
    result = services.receive_dossier(
        user,
        commune=user.commune,
        procedure=procedure,
        present=payload.present,
        applicant_name=payload.applicant_name,
        applicant_id_number=payload.applicant_id_number,
        applicant_phone=payload.applicant_phone,
        channel=payload.channel,
        appointment_at=payload.appointment_at,
        note=payload.note,
        served_language=payload.served_language,
        interpreter_used=payload.interpreter_used,
    )
    if not result.complete:
        return error(
            request,
            422,
            "incomplete",
            _("Hồ sơ chưa đủ thành phần bắt buộc; chưa tiếp nhận."),
            details={"missing": result.check.missing, "intake_check": result.check.pk},
        )
    dossier = Dossier.objects.select_related("commune").get(pk=result.dossier.pk)
    return Status(201, _out(request, dossier, detail=True))


@router.post("/dossiers/{code}/transitions/{action}", response=answers(DossierOut, 400, 403, 404, 422))
def transition(request, code: str, action: str, payload: TransitionIn):
    dossier = get_object_or_404(_scoped(request), code=code)
    if action not in services.ACTIONS:
        return error(request, 404, "not_found", _("Không có thao tác này."))
    user = request.user
    if action == "request_supplement":
        services.request_supplement(
            user, dossier, reason_category=payload.reason_category, items=payload.items, reason=payload.reason
        )
    elif action == "record_delay":
        services.record_delay(user, dossier, reason=payload.reason, new_due_at=payload.new_due_at)
    elif action in ("reject", "withdraw"):
        getattr(services, action)(user, dossier, reason=payload.reason)
    else:
        getattr(services, action)(user, dossier)
    return _out(request, get_object_or_404(_scoped(request), code=code), detail=True)


@router.get(
    "/kpi",
    response=answers(dict, 403, 404, 422),
    summary="Chỉ số theo Quyết định 766 (như `civicdesk kpi --json`)",
)
def kpi_report(request, province: int, date_from: date, date_to: date):
    user = request.user
    unit = get_object_or_404(Province, code=province)
    if not (user.is_superuser or (user.province_id == unit.pk and not user.is_commune_user)):
        if user.is_commune_user and user.province_id == unit.pk:
            raise PermissionDenied(_("Cán bộ cấp xã chỉ xem chỉ số của xã mình."))
        return error(request, 404, "not_found", _("Không tìm thấy."))
    if date_from > date_to:
        return error(request, 422, "invalid", _("date_from phải trước hoặc bằng date_to."))
    return kpi.province_report(unit, date_from, date_to)
