"""Outreach API: campaigns, their target lists (imported as CSV text), contact attempts and the campaign's report.

Scoped as the pages are: a campaign, target or report outside the caller's scope is a 404 (a commune sees its own
campaigns and the province's that include it, and only its own citizens on them). Every write goes through the
outreach services, which decide the 403s. A contact the rules forbid (no consent for the channel, a do-not-contact,
outside the contact hours, the cool-off…) is a 409 listing each reason with its code. A citizen's phone number is
answered only to those who may work the target (its commune's coordinators and the person it is reserved to),
as on the target's page. Times are ISO 8601 with the Vietnam offset; a time sent
without an offset is read as Vietnam time.
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from civicdesk.core import audit
from civicdesk.geo.models import Commune
from civicdesk.handbook.models import Procedure
from civicdesk.outreach import permissions, services
from civicdesk.outreach.models import Attempt, Campaign, ContactChannel, Outcome, Target, Theme
from civicdesk.outreach.reports import campaign_report
from civicdesk.servicedesk.models import Dossier

from .base import Paging, answers, error, scoped_commune

router = Router(tags=["outreach"])

# Dates and times outside these years are typing errors, and some would overflow the report's period arithmetic.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _column(model, name):
    """The length of a model's column: longer text must be a 422 here, not a DataError on PostgreSQL."""
    return model._meta.get_field(name).max_length


class OutreachCampaignIn(Schema):
    name: str = Field(max_length=_column(Campaign, "name"), examples=["Khai sinh cho trẻ chưa đăng ký"])
    purpose: str = Field(
        max_length=_column(Campaign, "purpose"), examples=["Vận động đăng ký khai sinh quá hạn"]
    )
    theme: str = Field(description=", ".join(Theme.values), examples=[Theme.LATE_BIRTH.value])
    start_date: date = Field(examples=["2026-03-02"])
    end_date: date = Field(examples=["2026-06-30"])
    commune_code: int | None = Field(
        None, description="Chỉ cấp tỉnh: xã của chiến dịch (cán bộ xã: xã của mình).", examples=[25000]
    )
    commune_codes: list[int] = Field(
        [],
        max_length=500,
        description="Chỉ quản trị cấp tỉnh: chiến dịch của tỉnh ở các xã này (khi đó để trống commune_code).",
    )
    procedure_codes: list[str] = Field(
        [], max_length=100, description="Mã các thủ tục chiến dịch hướng tới.", examples=[["HT-001"]]
    )
    max_attempts: int = Field(3, ge=1, le=10, description="Số lần liên hệ tối đa mỗi người.")
    cooloff_hours: int = Field(
        20, ge=0, le=24 * 30, description="Khoảng cách tối thiểu giữa hai lần liên hệ (giờ)."
    )
    owner: str = Field(
        "",
        max_length=150,
        description="Tên đăng nhập của người phụ trách, người của xã (tỉnh) chạy chiến dịch; để trống: người gửi.",
    )


class OutreachCampaignOut(Schema):
    id: int
    name: str
    purpose: str
    theme: str
    status: str
    province_code: int
    commune_code: int | None = Field(description="Trống: chiến dịch của tỉnh ở các xã commune_codes.")
    commune_codes: list[int]
    procedure_codes: list[str]
    start_date: date
    end_date: date
    max_attempts: int
    cooloff_hours: int
    owner: str = Field(description="Tên đăng nhập của người phụ trách.")
    created_at: datetime


class OutreachImportIn(Schema):
    csv: str = Field(
        description="Nội dung tệp CSV (UTF-8), dòng 1 là tiêu đề; các cột: "
        + ", ".join(services.IMPORT_COLUMNS)
        + ".",
        examples=[services.EXAMPLE_CSV],
    )
    dry_run: bool = Field(False, description="Chỉ kiểm tra và đếm, không ghi gì.")


class OutreachImportOut(Schema):
    dry_run: bool
    rows: int
    targets_created: int
    people_created: int
    people_matched: int
    merged_rows: int
    already_listed: int
    consents_recorded: int


class OutreachTargetOut(Schema):
    id: int
    person_id: int
    full_name: str
    commune_code: int
    status: str
    source: str
    assignee: str | None = Field(description="Tên đăng nhập của người được giao liên hệ.")
    attempt_count: int
    last_attempt_at: datetime | None
    next_action_at: datetime | None
    dossier_code: str | None
    procedure_code: str | None = Field(None, description="Mã thủ tục cần hỗ trợ (kịch bản tư vấn).")
    phone: str | None = Field(
        None,
        description="Số điện thoại (E.164); chỉ trả cho người được liên hệ người này (cán bộ điều hành của xã, người được giao).",
    )


class OutreachAttemptIn(Schema):
    target_id: int
    channel: str = Field(description=", ".join(ContactChannel.values), examples=[ContactChannel.PHONE.value])
    outcome: str = Field(
        description=", ".join(o for o in Outcome.values if o != Outcome.MESSAGE_SENT),
        examples=[Outcome.GUIDED_ONLINE.value],
    )
    note: str = Field("", max_length=_column(Attempt, "note"))
    dossier_code: str = Field(
        "", max_length=_column(Dossier, "code"), description="Hồ sơ người dân đã nộp (kết quả dossier_filed)."
    )
    next_action_at: datetime | None = Field(None, description="Hẹn liên hệ lại (bắt buộc với appointment).")
    at: datetime | None = Field(None, description="Thời điểm liên hệ; để trống: bây giờ.")


class OutreachAttemptOut(Schema):
    id: int
    target_id: int
    channel: str
    outcome: str
    note: str
    at: datetime
    by: str | None = Field(description="Tên đăng nhập của người liên hệ.")
    dossier_code: str | None
    next_action_at: datetime | None
    target_status: str = Field(description="Trạng thái của người này sau lần liên hệ.")


class OutreachDossierGroupOut(Schema):
    count: int
    online_rate: float | None
    supplement_rate: float | None
    rating: float | None
    on_time_rate: float | None


class OutreachReportOut(Schema):
    campaign_id: int
    targets: int
    contacted: int
    reached: int
    converted: int
    reach_rate: float | None
    conversion_rate: float | None
    conversion_of_reached: float | None
    attempts: int
    by_status: dict[str, int]
    by_outcome: dict[str, int]
    by_channel: dict[str, int]
    messages: dict[str, int] = Field(description="Tin nhắn theo trạng thái gửi.")
    opt_outs: int = Field(description="Người dân nhắn từ chối nhận tin trong thời gian chiến dịch.")
    days_to_file: float | None = Field(
        description="Trung vị số ngày từ lần đầu liên hệ được đến khi nộp hồ sơ."
    )
    procedures: list[str]
    converted_group: OutreachDossierGroupOut = Field(description="Các hồ sơ chiến dịch mang lại.")
    comparison: OutreachDossierGroupOut = Field(
        description="Hồ sơ cùng thủ tục, cùng xã, trong thời gian chiến dịch mà chiến dịch không mang lại."
    )


def _local(value):
    return timezone.localtime(value) if value else None


def _campaign_out(campaign):
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "purpose": campaign.purpose,
        "theme": campaign.theme,
        "status": campaign.status,
        "province_code": campaign.province.code,
        "commune_code": campaign.commune.code if campaign.commune else None,
        "commune_codes": sorted(c.code for c in campaign.communes.all()),
        "procedure_codes": sorted(p.code for p in campaign.procedures.all()),
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "max_attempts": campaign.max_attempts,
        "cooloff_hours": campaign.cooloff_hours,
        "owner": campaign.owner.username,
        "created_at": _local(campaign.created_at),
    }


def _target_out(target, *, personal):
    return {
        "id": target.pk,
        "person_id": target.person_id,
        "full_name": target.person.full_name,
        "commune_code": target.commune.code,
        "status": target.status,
        "source": target.source,
        "assignee": target.assignee.username if target.assignee else None,
        "attempt_count": target.attempt_count,
        "last_attempt_at": _local(target.last_attempt_at),
        "next_action_at": _local(target.next_action_at),
        "dossier_code": target.dossier.code if target.dossier else None,
        "procedure_code": target.procedure.code if target.procedure else None,
        "phone": (target.person.phone or None) if personal else None,
    }


def _attempt_out(attempt):
    return {
        "id": attempt.pk,
        "target_id": attempt.target_id,
        "channel": attempt.channel,
        "outcome": attempt.outcome,
        "note": attempt.note,
        "at": _local(attempt.at),
        "by": attempt.by.username if attempt.by else None,
        "dossier_code": attempt.dossier.code if attempt.dossier else None,
        "next_action_at": _local(attempt.next_action_at),
        "target_status": attempt.target.status,
    }


def _group_out(group):
    return {
        "count": group.count,
        "online_rate": group.online_rate,
        "supplement_rate": group.supplement_rate,
        "rating": None if group.rating is None else round(group.rating, 2),
        "on_time_rate": group.on_time_rate,
    }


def _campaigns(request):
    return (
        Campaign.objects.visible_to(request.user)
        .select_related("province", "commune", "owner")
        .prefetch_related(
            Prefetch("communes", queryset=Commune.objects.only("pk", "code")),
            Prefetch("procedures", queryset=Procedure.objects.only("pk", "code")),
        )
    )


def _campaign(request, campaign_id):
    return get_object_or_404(_campaigns(request), pk=campaign_id)


def _commune(request, code):
    return scoped_commune(
        request, code, missing=_("Cấp tỉnh cần ghi mã xã (commune_code) hoặc các xã (commune_codes).")
    )


def _check_day(name, value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            {
                name: _("Ngày phải trong các năm %(first)s–%(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    return value


def _moment(name, value):
    """An aware time (one sent without an offset is Vietnam time), within the years a contact can have."""
    if value is None:
        return None
    _check_day(name, value.date())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _procedures(codes):
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = list(Procedure.objects.published().filter(code__in=codes))
    missing = sorted(set(codes) - {p.code for p in found})
    if missing:
        raise ValidationError(
            {
                "procedure_codes": _("Không có thủ tục mã %(codes)s trong cẩm nang.")
                % {"codes": ", ".join(missing[:10])}
            }
        )
    return found


def _owner(username):
    """The named owner (whether they belong to the campaign's unit is the service's check, with the same message)."""
    if not username.strip():
        return None
    owner = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": _("Người phụ trách phải là người của đơn vị chạy chiến dịch.")})
    return owner


def _province_communes(codes):
    codes = sorted(set(codes))
    found = list(Commune.objects.select_related("province").filter(code__in=codes))
    missing = sorted(set(codes) - {c.code for c in found})
    if missing:
        raise ValidationError(
            {
                "commune_codes": _("Không có xã mã %(codes)s.")
                % {"codes": ", ".join(str(c) for c in missing[:10])}
            }
        )
    return found


@router.get(
    "/campaigns",
    response=answers(list[OutreachCampaignOut], 422),
    summary="Chiến dịch tiếp cận người dân (trong phạm vi)",
)
def list_campaigns(request, paging: Query[Paging], status: str = ""):
    rows = _campaigns(request)
    if status:
        rows = rows.filter(status=status)
    return [_campaign_out(c) for c in paging.page(rows.order_by("-start_date", "-pk"))]


@router.post(
    "/campaigns",
    response=answers({201: OutreachCampaignOut}, 400, 403, 404, 422),
    summary="Lập chiến dịch của xã (hoặc của tỉnh ở nhiều xã: quản trị cấp tỉnh)",
)
def create_campaign(request, payload: OutreachCampaignIn):
    user = request.user
    _check_day("start_date", payload.start_date)
    _check_day("end_date", payload.end_date)
    procedures = _procedures(payload.procedure_codes)
    data = {
        "name": payload.name.strip(),
        "purpose": payload.purpose.strip(),
        "theme": payload.theme,
        "start_date": payload.start_date,
        "end_date": payload.end_date,
        "max_attempts": payload.max_attempts,
        "cooloff_hours": payload.cooloff_hours,
    }
    owner = _owner(payload.owner)
    if owner is not None:
        data["owner"] = owner
    if payload.commune_codes:
        if payload.commune_code is not None:
            raise ValidationError(
                {
                    "commune_code": _(
                        "Chiến dịch của tỉnh ghi các xã trong commune_codes, để trống commune_code."
                    )
                }
            )
        communes = _province_communes(payload.commune_codes)
        province = user.province or (communes[0].province if user.is_superuser else None)
        campaign = services.save_campaign(
            user, data=data, commune=None, province=province, procedures=procedures, communes=communes
        )
    else:
        commune = _commune(request, payload.commune_code)
        campaign = services.save_campaign(user, data=data, commune=commune, procedures=procedures)
    return Status(201, _campaign_out(_campaigns(request).get(pk=campaign.pk)))


@router.get(
    "/campaigns/{campaign_id}",
    response=answers(OutreachCampaignOut, 404, 422),
    summary="Một chiến dịch",
)
def get_campaign(request, campaign_id: int):
    return _campaign_out(_campaign(request, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/targets",
    response=answers({200: OutreachImportOut, 201: OutreachImportOut}, 400, 403, 404, 422),
    summary="Nhập danh sách người cần tiếp cận từ CSV (cả tệp, hoặc không dòng nào; dry_run: chỉ kiểm tra)",
)
def import_targets(request, campaign_id: int, payload: OutreachImportIn):
    """201 with the counts; `dry_run` answers 200 with what an import would do. A file with any invalid line is a
    422 whose `details` lists each error with its line ("Dòng N, cột …"), and nothing is written."""
    campaign = _campaign(request, campaign_id)
    report = services.import_targets(
        request.user, campaign, content=payload.csv, filename="api.csv", dry_run=payload.dry_run
    )
    if not report.ok:
        return error(
            request,
            422,
            "invalid",
            _("Danh sách có lỗi; chưa nhập dòng nào. Sửa các dòng được nêu rồi gửi lại."),
            details=list(report.errors),
        )
    body = {
        "dry_run": payload.dry_run,
        **{name: getattr(report, name) for name in OutreachImportOut.model_fields if name != "dry_run"},
    }
    return Status(200 if payload.dry_run else 201, body)


@router.get(
    "/campaigns/{campaign_id}/targets",
    response=answers(list[OutreachTargetOut], 404, 422),
    summary="Người cần tiếp cận của chiến dịch (của xã mình; số điện thoại chỉ cho người được giao liên hệ)",
)
def list_targets(request, campaign_id: int, paging: Query[Paging], status: str = ""):
    campaign = _campaign(request, campaign_id)
    rows = campaign.targets.visible_to(request.user).select_related(
        "person", "commune", "assignee", "dossier", "procedure"
    )
    if status:
        rows = rows.filter(status=status)
    page = list(paging.page(rows.order_by("pk")))
    personal = {t.pk: permissions.can_work_target(request.user, t) for t in page}
    shown = [t for t in page if personal[t.pk] and t.person.phone]
    if shown:
        audit.record_view(
            request.user,
            campaign,
            fields=["phone"],
            reason=_("API: %(n)s người trong danh sách") % {"n": len(shown)},
        )
    return [_target_out(t, personal=personal[t.pk]) for t in page]


@router.post(
    "/attempts",
    response=answers({201: OutreachAttemptOut}, 400, 403, 404, 409, 422),
    summary="Ghi một lần liên hệ (409: quy tắc không cho liên hệ, kèm từng lý do)",
)
def record_attempt(request, payload: OutreachAttemptIn):
    """409 `conflict` when the rules forbid the contact: `details` lists each reason as {code, message} — codes
    do_not_contact, no_consent, consent_withdrawn, no_phone, quiet_hours, campaign_closed, campaign_period, closed,
    max_attempts, cooloff."""
    target = get_object_or_404(Target.objects.visible_to(request.user), pk=payload.target_id)
    try:
        attempt = services.record_attempt(
            request.user,
            target,
            channel=payload.channel,
            outcome=payload.outcome,
            note=payload.note,
            dossier_code=payload.dossier_code,
            next_action_at=_moment("next_action_at", payload.next_action_at),
            at=_moment("at", payload.at),
        )
    except services.ContactBlocked as exc:
        return error(
            request,
            409,
            "conflict",
            _("Chưa được liên hệ người này qua kênh này: %(reasons)s") % {"reasons": " ".join(exc.messages)},
            details=[{"code": r.code, "message": r.message} for r in exc.reasons],
        )
    attempt = Attempt.objects.select_related("target", "by", "dossier").get(pk=attempt.pk)
    return Status(201, _attempt_out(attempt))


@router.get(
    "/campaigns/{campaign_id}/report",
    response=answers(OutreachReportOut, 404, 422),
    summary="Kết quả chiến dịch: tiếp cận, chuyển thành hồ sơ, so với hồ sơ cùng thủ tục (trong phạm vi)",
)
def get_campaign_report(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    result = campaign_report(campaign, targets=campaign.targets.visible_to(request.user))
    return {
        "campaign_id": campaign.pk,
        "targets": result.targets,
        "contacted": result.contacted,
        "reached": result.reached,
        "converted": result.converted,
        "reach_rate": result.reach_rate,
        "conversion_rate": result.conversion_rate,
        "conversion_of_reached": result.conversion_of_reached,
        "attempts": result.attempts,
        "by_status": {str(k): v for k, v in result.by_status.items()},
        "by_outcome": {str(k): v for k, v in result.by_outcome.items()},
        "by_channel": {str(k): v for k, v in result.by_channel.items()},
        "messages": {str(k): v for k, v in result.messages.items()},
        "opt_outs": result.opt_outs,
        "days_to_file": None if result.days_to_file is None else round(result.days_to_file, 2),
        "procedures": list(result.procedures),
        "converted_group": _group_out(result.converted_group),
        "comparison": _group_out(result.others_group),
    }
