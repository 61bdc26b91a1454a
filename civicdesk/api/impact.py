"""Impact of an initiative: `POST /api/impact/estimates` — a difference-in-differences estimate with its interval.

Province admins and Home Affairs planners of the province only (403 for anyone else); 400 when the request cannot
give an estimate (a commune outside the province, no whole month after the start, no data), with the reason by
field; 422 when the body does not match the schema.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from civicdesk.geo.models import Province
from civicdesk.impact import services
from civicdesk.impact.indicators import INDICATORS
from civicdesk.impact.permissions import can_estimate

from .base import answers, error

router = Router(tags=["impact"])


class EstimateIn(Schema):
    treated: list[int] = Field(
        description="Mã các xã được can thiệp (mã đơn vị hành chính).",
        min_length=1,
        max_length=4000,
        examples=[[25000]],
    )
    start: date = Field(description="Ngày bắt đầu sáng kiến.")
    indicator: str = Field(
        "on_time", description="on_time | supplement | online | satisfaction | hotline", examples=["on_time"]
    )
    months_before: int = Field(6, ge=1, le=services.MAX_MONTHS)
    months_after: int = Field(6, ge=1, le=services.MAX_MONTHS)
    save: bool = Field(False, description="Lưu vào danh sách các lần ước tính của tỉnh.")


class PlaceboOut(Schema):
    estimate: float
    low: float
    high: float


class EstimateOut(Schema):
    indicator: str
    start: date
    estimate: float = Field(description="Điểm phần trăm (chỉ số tỉ lệ) hoặc câu hỏi trên 1.000 hồ sơ.")
    low: float = Field(description="Cận dưới khoảng tin cậy 95 % (bootstrap theo xã).")
    high: float
    n_treated: int
    n_control: int
    sentence: str
    pre_months: list[date]
    post_months: list[date]
    placebo: PlaceboOut | None = Field(None, description="Kiểm tra xu hướng trước.")
    caveats: list[str]
    saved_id: int | None = None


@router.post(
    "/estimates", response=answers(EstimateOut, 400, 403, 422), summary="Ước tính tác động của sáng kiến"
)
def create_estimate(request, payload: EstimateIn):
    user = request.user
    province = Province.objects.filter(pk=user.province_id).first() if user.province_id else None
    if not can_estimate(user, province):
        raise PermissionDenied(
            _("Chỉ quản trị cấp tỉnh và chuyên viên Sở Nội vụ của tỉnh được đánh giá tác động.")
        )
    if payload.indicator not in INDICATORS:
        return error(
            request,
            400,
            "invalid",
            _("Chỉ số không có trong danh sách."),
            details={"indicator": list(INDICATORS)},
        )
    ask = services.Request(
        province=province,
        codes=sorted(set(payload.treated)),
        start=payload.start,
        indicator=payload.indicator,
        months_before=payload.months_before,
        months_after=payload.months_after,
    )
    try:
        result = services.estimate(user, ask)
    except ValidationError as exc:
        return error(request, 400, "invalid", _("Không ước tính được."), details=exc.message_dict)
    body = result.as_dict()
    if payload.save:
        body["saved_id"] = services.save_estimate(user, result).pk
    return Status(200, body)
