"""The mobile team's API: its phones register (to get the prefix of their provisional receipts) and sync the dossiers
they took offline — `PUT /api/servicedesk/field-dossiers/{uuid}`, idempotent (mobile/services/sync.py)."""

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from civicdesk.geo.models import Hamlet
from civicdesk.handbook.models import Procedure
from civicdesk.mobile import services
from civicdesk.mobile.models import FieldAttachment, FieldDossier, Trip
from civicdesk.mobile.services import attachments
from civicdesk.mobile.services.sync import SyncRefused
from civicdesk.servicedesk import links
from civicdesk.servicedesk.permissions import can_receive
from civicdesk.servicedesk.services import checklist_for

from .base import answers, error

router = Router(tags=["mobile"])  # mounted at /servicedesk: the dossiers are the service desk's


class FieldDossierIn(Schema):
    device: str = Field(description="Tiền tố của máy (khi đăng ký máy).", examples=["25162A"])
    provisional_code: str = Field(max_length=40, examples=["TLD-25162A-0007"])
    taken_at: datetime = Field(description="Thời điểm nhận tại thôn (có múi giờ).")
    procedure_code: str = Field(max_length=40, examples=["HT-001"])
    present: list[int] = Field(description="Số thứ tự (từ 0) các thành phần hồ sơ đã nộp.", examples=[[0, 1]])
    applicant_name: str = Field(max_length=150)
    applicant_id_number: str = Field("", max_length=12)
    applicant_phone: str = Field("", max_length=15)
    hamlet: int | None = None
    trip: int | None = None
    note: str = Field("", max_length=500)
    appointment_at: datetime | None = None
    served_language: str = Field("", max_length=3)
    interpreter_used: bool = False
    base_version: int | None = Field(None, description="Khi sửa một hồ sơ đã gửi: phiên bản máy đang sửa.")


class FieldDossierOut(Schema):
    uuid: UUID
    provisional_code: str
    status: str = Field(description="registered | review | linked | dismissed")
    reason: str = Field(description="Khi chờ xem: duplicate | incomplete.")
    version: int
    dossier_code: str | None = Field(None, description="Mã hồ sơ chính thức, khi đã vào sổ.")
    due_at: datetime | None = None
    status_url: str | None = None
    message: str


class DeviceIn(Schema):
    label: str = Field(max_length=80, examples=["Điện thoại tổ 1"])


class DeviceOut(Schema):
    prefix: str
    label: str
    code_example: str


def _message(record):
    if record.status == FieldDossier.Status.REGISTERED:
        return _("Đã vào sổ: mã hồ sơ %(code)s.") % {"code": record.dossier.code}
    if record.reason == FieldDossier.Reason.DUPLICATE:
        return _("Có thể trùng hồ sơ %(code)s đã có trong sổ: chờ cán bộ xã xem.") % {
            "code": record.detail.get("dossier", "")
        }
    if record.reason == FieldDossier.Reason.INCOMPLETE:
        return _("Theo danh mục hiện hành còn thiếu: %(items)s. Chờ cán bộ xã xem.") % {
            "items": ", ".join(record.detail.get("missing", []))
        }
    return str(record.get_status_display())


def _out(record):
    dossier = record.dossier
    return {
        "uuid": record.uuid,
        "provisional_code": record.provisional_code,
        "status": record.status,
        "reason": record.reason,
        "version": record.version,
        "dossier_code": dossier.code if dossier else None,
        "due_at": dossier.due_at if dossier else None,
        "status_url": links.status_url(dossier) if dossier else None,
        "message": _message(record),
    }


@router.put(
    "/field-dossiers/{uuid}",
    response=answers(
        {200: FieldDossierOut, 201: FieldDossierOut, 202: FieldDossierOut}, 400, 403, 404, 409, 422
    ),
)
def put_field_dossier(request, uuid: UUID, payload: FieldDossierIn):
    """One dossier taken offline: 201 registered (official code, due date), 202 kept for the commune officer
    (a likely duplicate, a component the current checklist requires), 200 the same content again (a retry), 409 a
    different content under this UUID, a provisional code used twice, or an edit made on an older version (kept as
    a conflict for the officer, never written over)."""
    data = payload.model_dump(mode="json", exclude_unset=True)
    if data.get("base_version") is None:
        data.pop("base_version", None)
    try:
        outcome = services.sync_field_dossier(request.user, uuid, data)
    except SyncRefused as refused:
        return error(request, refused.status, refused.code, refused.message, details=refused.details or None)
    record = FieldDossier.objects.select_related("dossier").get(pk=outcome.field_dossier.pk)
    return Status(outcome.http_status, _out(record))


@router.post("/field-devices", response=answers({201: DeviceOut}, 400, 403, 422))
def register_device(request, payload: DeviceIn):
    """Register this phone with the commune's mobile team: its provisional receipts will carry the prefix."""
    if request.user.commune_id is None:  # a province or department account has no team of its own
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được đăng ký máy cho tổ."))
    device = services.register_device(request.user, request.user.commune, label=payload.label)
    return Status(
        201, {"prefix": device.prefix, "label": device.label, "code_example": f"{device.code_prefix()}0001"}
    )


# -- The offline app: the trip pack it downloads, the photos it sends after each dossier ----------------------------


class PackItemOut(Schema):
    index: int
    name: str
    required: bool


class PackProcedureOut(Schema):
    code: str
    name: str
    field: str = Field(description="Lĩnh vực, để nhóm thủ tục trong danh sách chọn.")
    items: list[PackItemOut] = Field(description="Danh mục thành phần hồ sơ, như ở quầy tiếp nhận.")


class PackHamletOut(Schema):
    id: int
    name: str


class PackTripOut(Schema):
    id: int
    day: date
    title: str
    procedure_codes: list[str]


class PackLimitsOut(Schema):
    attachment_bytes: int
    attachments_per_dossier: int


class FieldPackOut(Schema):
    commune_code: int
    commune_name: str
    server_time: datetime = Field(description="Giờ máy chủ: máy so với giờ của mình để báo khi lệch.")
    procedures: list[PackProcedureOut]
    hamlets: list[PackHamletOut]
    trips: list[PackTripOut] = Field(description="Các chuyến đã lên kế hoạch, từ hôm nay.")
    limits: PackLimitsOut


@router.get("/field-pack", response=answers(FieldPackOut, 403))
def field_pack(request):
    """What a phone takes before the trip: the published procedures with their checklists (the same as the
    counter's), the commune's hamlets and its planned trips — everything the app needs to take dossiers offline."""
    user = request.user
    if not user.commune_id or not can_receive(user, user.commune_id):
        raise PermissionDenied(_("Gói chuyến đi dành cho cán bộ và tổ lưu động của một xã."))
    procedures = (
        Procedure.objects.published()
        .exclude(components=[])
        .select_related("field")
        .order_by("field__order", "code")
    )
    trips = Trip.objects.filter(
        commune_id=user.commune_id, status=Trip.Status.PLANNED, day__gte=timezone.localdate()
    ).order_by("day", "pk")[:20]
    return {
        "commune_code": user.commune.code,
        "commune_name": user.commune.name,
        "server_time": timezone.now(),
        "procedures": [
            {
                "code": p.code,
                "name": p.name,
                "field": p.field.name,
                "items": [
                    {"index": i["index"], "name": i["name"], "required": i["required"]}
                    for i in checklist_for(p)
                ],
            }
            for p in procedures
        ],
        "hamlets": list(
            Hamlet.objects.filter(commune_id=user.commune_id).order_by("name").values("id", "name")
        ),
        "trips": [
            {"id": t.pk, "day": t.day, "title": t.title, "procedure_codes": t.procedure_codes or []}
            for t in trips
        ],
        "limits": {
            "attachment_bytes": attachments.MAX_BYTES,
            "attachments_per_dossier": attachments.MAX_PER_DOSSIER,
        },
    }


class AttachmentOut(Schema):
    uuid: UUID
    dossier_uuid: UUID
    content_type: str
    size: int
    sha256: str


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.put(
    "/field-dossiers/{uuid}/attachments/{att_uuid}",
    response=answers({200: AttachmentOut, 201: AttachmentOut}, 400, 403, 404, 409, 413, 415, 422),
    openapi_extra={
        # application/pdf is accepted too; it is left out of the spec because the API fuzzer has no serializer for
        # it (tests/api/conformance.py turns its warning into an error).
        "requestBody": {"required": True, "content": {"image/jpeg": _BINARY, "image/png": _BINARY}},
    },
)
def put_attachment(
    request,
    uuid: UUID,
    att_uuid: UUID,
    sha256: str | None = Header(
        None,
        alias="X-Content-SHA256",
        pattern=r"^[0-9a-fA-F]{64}$",
        description="SHA-256 (hex) của nội dung gửi lên.",
    ),
):
    """A photo (JPEG, PNG) or PDF of a document taken with the field dossier `uuid`, as the raw body, ≤ 2 MB (413),
    ≤ 10 per dossier; the dossier must be synced first (404 otherwise). 201 kept, 200 the same bytes again (a
    retry), 409 other bytes under this UUID, 415 another type, 422 a missing hash, a body that does not match its
    SHA-256 (`hash_mismatch`: send again) or its type, an 11th file."""
    try:
        record = attachments.dossier_for(request.user, uuid)
        if int(request.META.get("CONTENT_LENGTH") or 0) > attachments.MAX_BYTES:
            raise attachments.too_large()  # refused before a byte of it is read
        outcome = attachments.attach(
            request.user,
            record,
            att_uuid,
            content_type=request.content_type,
            body=request.body,
            sha256=sha256 or "",
        )
    except SyncRefused as refused:
        return error(request, refused.status, refused.code, refused.message, details=refused.details or None)
    except ValueError:  # a Content-Length that is not a number
        return error(request, 400, "bad_request", _("Độ dài nội dung (Content-Length) không hợp lệ."))
    except RequestDataTooBig:  # a body past Django's own limit, with no Content-Length to refuse it early
        refused = attachments.too_large()
        return error(request, refused.status, refused.code, refused.message, details=refused.details)
    return Status(outcome.http_status, _attachment_out(outcome.attachment, uuid))


def _attachment_out(attachment, dossier_uuid):
    return {
        "uuid": attachment.uuid,
        "dossier_uuid": dossier_uuid,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


@router.get("/field-dossiers/{uuid}/attachments", response=answers(list[AttachmentOut], 404, 422))
def list_attachments(request, uuid: UUID):
    """The photos received for the field dossier `uuid` (what the phone has already sent)."""
    record = get_object_or_404(FieldDossier.objects.visible_to(request.user), uuid=uuid)
    return [_attachment_out(a, uuid) for a in record.attachments.all()]


@router.get(
    "/field-dossiers/{uuid}/attachments/{att_uuid}",
    response=answers({200: None}, 403, 404, 422),
    openapi_extra={
        "responses": {200: {"description": "Tệp", "content": dict.fromkeys(attachments.TYPES, _BINARY)}}
    },
)
def get_attachment(request, uuid: UUID, att_uuid: UUID):
    """The file itself, for the commune's officers and leaders (personal papers: the read is logged)."""
    attachment = get_object_or_404(
        FieldAttachment.objects.visible_to(request.user).select_related("field_dossier"),
        uuid=att_uuid,
        field_dossier__uuid=uuid,
    )
    handle = attachments.open_for(request.user, attachment, reason="API")
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/field-dossiers/{uuid}", response=answers(FieldDossierOut, 404, 422))
def get_field_dossier(request, uuid: UUID):
    """Where a synced dossier stands now: the phone asks again for those the commune officer had to look at
    (registered since, linked to a dossier already in the register, or dismissed)."""
    record = get_object_or_404(
        FieldDossier.objects.visible_to(request.user).select_related("dossier"), uuid=uuid
    )
    return _out(record)
