"""Service desk API: dossiers (scoped; personal data only for the commune's officers, logged), intake,
named transitions, and the Decision 766 KPIs in the same shape as `civicdesk kpi --json`."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from civicdesk.core import audit
from civicdesk.geo.models import Commune, Province
from civicdesk.handbook.models import Field as HandbookField
from civicdesk.handbook.models import Procedure
from civicdesk.servicedesk import conf, kpi, links, permissions, scorecard, services
from civicdesk.servicedesk.models import Channel, Dossier

from .base import Paging, answers, error

router = Router(tags=["servicedesk"])
# The answer to a retry with an idempotency key (Stripe's name for it; the IETF draft names none).
REPLAYED = "Idempotent-Replayed"


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
    documents_digitised: bool = Field(False, description="Thành phần hồ sơ đã được số hóa khi tiếp nhận.")
    result_electronic: bool = Field(False, description="Kết quả giải quyết được cấp bản điện tử.")
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
    documents_digitised: bool = Field(False, description="Thành phần hồ sơ đã được số hóa khi tiếp nhận.")


class TransitionIn(Schema):
    reason: str = ""
    reason_category: str = ""
    items: list[str] = []
    new_due_at: datetime | None = None
    result_electronic: bool = Field(False, description="mark_done: kết quả được cấp bản điện tử.")


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
        "documents_digitised": dossier.documents_digitised,
        "result_electronic": dossier.result_electronic,
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


IDEMPOTENCY_KEY_DOC = (
    "Khóa chống gửi trùng (tùy chọn): 1–100 ký tự ASCII in được, ví dụ một UUID mới cho mỗi hồ sơ. Gửi lại đúng "
    "yêu cầu với cùng khóa (sau khi mất câu trả lời) thì nhận lại hồ sơ đã tiếp nhận, mã 201 và header "
    "Idempotent-Replayed: true, không tạo hồ sơ mới; cùng khóa với nội dung khác: 422 idempotency_key_reused. "
    "Khóa riêng cho từng người dùng, giữ %(days)s ngày."
)


@router.post("/dossiers", response=answers({201: DossierOut}, 400, 403, 404, 422))
def create_dossier(
    request,
    response: HttpResponse,
    payload: DossierIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description=IDEMPOTENCY_KEY_DOC % {"days": conf.DEFAULTS["SERVICEDESK_IDEMPOTENCY_DAYS"]},
        example="5f0c1e0a-7b7e-4c8e-9a51-2f6d3c1b9e42",
    ),  # no max_length here: the service checks the key and says what is wrong with it in Vietnamese
):
    """Check the components and register; missing required components answer 422 `incomplete`.

    With an `Idempotency-Key`, a retry of the same request answers what the first one did (the dossier, 201, or the
    same `incomplete` refusal) with `Idempotent-Replayed: true` and registers nothing."""
    user = request.user
    if not permissions.can_receive(user, user.commune_id):
        raise PermissionDenied(
            _("Chỉ cán bộ, tình nguyện viên hoặc tổ lưu động của xã được tiếp nhận hồ sơ.")
        )
    if idempotency_key is not None:
        services.clean_idempotency_key(idempotency_key)  # a malformed header before anything the body names
    procedure = get_object_or_404(
        Procedure.objects.exclude(status=Procedure.Status.ARCHIVED), code=payload.procedure_code
    )
    try:
        outcome = services.receive_dossier_once(
            user,
            idempotency_key,
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
            documents_digitised=payload.documents_digitised,
        )
    except services.IntakeKeyReused as reused:
        details = {"dossier": reused.stored.dossier.code} if reused.stored.complete else None
        return error(request, 422, "idempotency_key_reused", str(reused), details=details)
    result, replayed = outcome.result, outcome.replayed
    if replayed:
        response[REPLAYED] = "true"
    if not result.complete:
        answer = error(
            request,
            422,
            "incomplete",
            _("Hồ sơ chưa đủ thành phần bắt buộc; chưa tiếp nhận."),
            details={"missing": result.check.missing, "intake_check": result.check.pk},
        )
        if replayed:
            answer[REPLAYED] = "true"
        return answer
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
    elif action == "mark_done":
        services.mark_done(user, dossier, result_electronic=payload.result_electronic)
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


# -- Decision 766 scorecard --------------------------------------------------------------------------------------------


class PartialMonthOut(Schema):
    month: str = Field(description="Tháng (YYYY-MM) mà kỳ chỉ tính một phần.", examples=["2025-10"])
    date_from: date
    date_to: date
    days: int = Field(description="Số ngày của tháng nằm trong kỳ.")
    days_in_month: int


class PeriodOut(Schema):
    date_from: date
    date_to: date
    partial_months: list[PartialMonthOut] = Field(
        description="Các tháng ở hai đầu kỳ chỉ được tính một phần."
    )
    unfinished: bool = Field(description="Kỳ kéo đến hôm nay hoặc sau: số liệu còn thay đổi.")


class ScorecardIndicatorOut(Schema):
    code: str
    name: str
    formula: str = Field(description="Công thức bằng lời.")
    source: str = Field(examples=["Quyết định 766/QĐ-TTg (2022)"])
    needs_verification: bool = Field(description="Điểm, cách chấm của chỉ tiêu chưa được đối chiếu văn bản.")
    measured: bool = Field(description="CivicDesk có dữ liệu để tính chỉ tiêu này.")
    not_measured_reason: str = Field(description="Vì sao chưa đo được (rỗng khi đo được).")
    counters: list[str] = Field(description="Bộ đếm của CivicDesk dùng để tính: tử số, mẫu số.")
    filters: list[str] = Field(
        description=(
            "Bộ lọc áp dụng được: commune, field (chỉ tiêu có bộ đếm theo lĩnh vực; khi lọc thêm procedure hoặc "
            "channel thì mọi chỉ tiêu đo được đều lọc được theo lĩnh vực), procedure, channel."
        )
    )
    filtered_out: bool = Field(
        description=(
            "Một bộ lọc đang bật mà chỉ tiêu không tính được (lĩnh vực không có bộ đếm) hoặc không có ý nghĩa "
            "(tỷ lệ trực tuyến khi lọc theo một kênh); khi đó numerator, denominator, value là null."
        )
    )
    filtered_reason: str = Field(
        description="Vì sao chỉ tiêu bị bỏ qua dưới bộ lọc đang bật (rỗng nếu không)."
    )
    numerator: int | None
    denominator: int | None
    value: float | None = Field(description="Tỷ lệ 0–1; null khi không đo được hoặc mẫu số bằng 0.")
    previous_value: float | None = Field(description="Tỷ lệ của kỳ trước cùng độ dài.")
    target: float | None = Field(description="Mục tiêu của tỉnh, %.")
    max_points: float | None = Field(description="Điểm tối đa; null khi cần kiểm chứng.")
    points: float | None = Field(description="Điểm; null khi điểm, cách chấm chưa kiểm chứng.")
    previous_points: float | None


class ScorecardGroupOut(Schema):
    code: str
    name: str
    max_points: int | None
    max_points_needs_verification: bool
    points: float | None = Field(description="Tổng điểm của nhóm; null khi có chỉ tiêu chưa tính được điểm.")
    previous_points: float | None
    indicators: list[ScorecardIndicatorOut]


class ScorecardCommuneOut(Schema):
    commune_code: int
    commune_name: str
    lat: float | None
    lon: float | None
    values: dict[str, float | None] = Field(
        description="Tỷ lệ (0–1) của từng chỉ tiêu đo được, theo mã chỉ tiêu."
    )


class ScorecardOut(Schema):
    province: int
    commune: int | None = Field(description="Mã đơn vị cấp xã; null: toàn tỉnh.")
    field: str | None = Field(description="Mã lĩnh vực đang lọc.")
    procedure: str | None = Field(description="Mã thủ tục (Cẩm nang) đang lọc.")
    channel: str | None = Field(description="Kênh tiếp nhận đang lọc.")
    from_dossiers: bool = Field(
        description=(
            "Số liệu tính trực tiếp từ hồ sơ (khi lọc theo thủ tục hoặc kênh); false: từ bộ đếm theo xã, ngày, tháng."
        )
    )
    period: PeriodOut
    previous_period: PeriodOut
    total_max: int
    total_points: float | None
    previous_total_points: float | None
    groups: list[ScorecardGroupOut]
    communes: list[ScorecardCommuneOut] = Field(
        description="Giá trị từng đơn vị cấp xã (chỉ khi xem toàn tỉnh; rỗng với cán bộ cấp xã)."
    )


def _num(value):
    return None if value is None else float(value)


def _period_out(period, today):
    return {
        "date_from": period.date_from,
        "date_to": period.date_to,
        "partial_months": [
            {
                "month": f"{lo:%Y-%m}",
                "date_from": lo,
                "date_to": hi,
                "days": (hi - lo).days + 1,
                "days_in_month": scorecard.month_label(lo, hi)["of"],
            }
            for lo, hi in period.partial_months()
        ],
        "unfinished": period.unfinished(today),
    }


def _indicator_out(s):
    i = s.indicator
    return {
        "code": i.code,
        "name": str(i.name),
        "formula": str(i.formula),
        "source": i.source,
        "needs_verification": i.needs_verification,
        "measured": i.measured,
        "not_measured_reason": str(i.not_measured_reason),
        "counters": list(i.counters),
        "filters": sorted(i.filters),
        "filtered_out": s.filtered_out,
        "filtered_reason": str(s.filtered_reason),
        "numerator": s.numerator,
        "denominator": s.denominator,
        "value": s.value,
        "previous_value": s.previous,
        "target": _num(s.target),
        "max_points": _num(i.max_points),
        "points": _num(s.points),
        "previous_points": _num(s.previous_points),
    }


def _bad_date(request, name, value):
    return error(
        request,
        400,
        "bad_request",
        _("Tham số %(name)s phải là ngày dạng YYYY-MM-DD (nhận được “%(value)s”).")
        % {"name": name, "value": value},
        details={"param": name},
    )


@router.get(
    "/scorecard",
    response=answers(ScorecardOut, 400, 403, 404, 422),
    summary="Bảng điểm theo Quyết định 766/QĐ-TTg (2022): năm nhóm, từng chỉ tiêu, kỳ trước, mục tiêu",
)
def scorecard_report(
    request,
    province: int,
    commune: int | None = None,
    date_from: str | None = Query(None, alias="from", description="YYYY-MM-DD; mặc định: đầu quý trước."),
    date_to: str | None = Query(None, alias="to", description="YYYY-MM-DD; mặc định: cuối quý trước."),
    field: str | None = Query(
        None,
        description=(
            "Mã lĩnh vực (Cẩm nang) để lọc; không kèm procedure/channel thì chỉ áp dụng cho chỉ tiêu có filters "
            "chứa field. Mã không có: 400."
        ),
    ),
    procedure: str | None = Query(
        None,
        description=(
            "Mã thủ tục trong Cẩm nang (so với mã thủ tục của hồ sơ); khi có, số liệu tính từ hồ sơ. "
            "Mã không có trong Cẩm nang: 400."
        ),
    ),
    channel: str | None = Query(
        None,
        description=(
            "Kênh tiếp nhận: truc_tiep, truc_tuyen, truc_tuyen_ho_tro, buu_chinh, luu_dong; khi có, số liệu tính từ "
            "hồ sơ và tỷ lệ hồ sơ trực tuyến (tt_ho_so) bị đánh dấu filtered_out. Giá trị khác: 400."
        ),
    ),
):
    """From the counters, or from the dossier rows when `procedure` or `channel` is given. Province roles see the
    province and its communes; commune roles their commune only (`commune=` required). Points stay null where the
    decision's points are not verified (`needs_verification`)."""
    user = request.user
    unit = get_object_or_404(Province, code=province)
    if not (user.is_superuser or user.province_id == unit.pk):
        return error(request, 404, "not_found", _("Không tìm thấy."))
    if user.is_commune_user and commune is None:
        raise PermissionDenied(_("Cán bộ cấp xã chỉ xem bảng điểm của xã mình (thêm commune=)."))
    selected = None
    if commune is not None:
        selected = get_object_or_404(Commune.objects.visible_to(user).filter(province=unit), code=commune)
    today = timezone.localdate()
    default = scorecard.last_full_quarter(today)
    bounds = {}
    for name, raw, fallback in (("from", date_from, default.date_from), ("to", date_to, default.date_to)):
        if raw in (None, ""):
            bounds[name] = fallback
            continue
        try:
            bounds[name] = date.fromisoformat(raw)
        except ValueError:
            return _bad_date(request, name, raw)
    if bounds["from"] > bounds["to"]:
        return error(
            request, 400, "bad_request", _("from phải trước hoặc bằng to."), details={"param": "from"}
        )
    if (bounds["to"] - bounds["from"]).days > 3 * 366:
        return error(request, 400, "bad_request", _("Kỳ báo cáo tối đa 3 năm."), details={"param": "to"})
    field_obj = None
    if field:
        field_obj = HandbookField.objects.filter(code=field).first()
        if field_obj is None:
            return error(
                request,
                400,
                "bad_request",
                _("Không có lĩnh vực mã “%(code)s”.") % {"code": field},
                details={"param": "field"},
            )
    procedure_obj = None
    if procedure:
        procedure_obj = Procedure.objects.filter(code=procedure).only("code").first()
        if procedure_obj is None:
            return error(
                request,
                400,
                "bad_request",
                _("Không có thủ tục mã “%(code)s” trong Cẩm nang.") % {"code": procedure},
                details={"param": "procedure"},
            )
    if channel and channel not in Channel.values:
        return error(
            request,
            400,
            "bad_request",
            _("Kênh tiếp nhận “%(value)s” không hợp lệ; dùng một trong: %(choices)s.")
            % {"value": channel, "choices": ", ".join(Channel.values)},
            details={"param": "channel"},
        )
    period = scorecard.Period(bounds["from"], bounds["to"])
    province_view = not user.is_commune_user and selected is None
    result = scorecard.compute(
        unit,
        period,
        commune=selected,
        field_id=field_obj.pk if field_obj else None,
        procedure_code=procedure_obj.code if procedure_obj else None,
        channel=channel or None,
        with_communes=province_view,
    )
    card = result.scorecard
    return {
        "province": unit.code,
        "commune": selected.code if selected else None,
        "field": field_obj.code if field_obj else None,
        "procedure": card.procedure_code,
        "channel": card.channel,
        "from_dossiers": card.from_dossiers,
        "period": _period_out(period, today),
        "previous_period": _period_out(card.previous_period, today),
        "total_max": card.total_max,
        "total_points": _num(card.total_points),
        "previous_total_points": _num(card.previous_total_points),
        "groups": [
            {
                "code": g.group.code,
                "name": str(g.group.name),
                "max_points": g.group.max_points,
                "max_points_needs_verification": g.group.needs_verification,
                "points": _num(g.points),
                "previous_points": _num(g.previous_points),
                "indicators": [_indicator_out(s) for s in g.indicators],
            }
            for g in card.groups
        ],
        "communes": [
            {
                "commune_code": c.code,
                "commune_name": c.name,
                "lat": c.lat,
                "lon": c.lon,
                "values": {code: s.value for code, s in scores.items() if s.indicator.measured},
            }
            for c, scores in result.communes
        ],
    }
