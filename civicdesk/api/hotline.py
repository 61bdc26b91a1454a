"""Hotline API: file a question (a commune official's token), read it back, list fields and their routing.

Times are ISO 8601 with the Vietnam offset. A ticket outside the caller's commune and teams is a 404.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status

from civicdesk.handbook.models import Field
from civicdesk.hotline import services
from civicdesk.hotline.models import Message, Ticket
from civicdesk.hotline.models.teams import Urgency
from civicdesk.hotline.permissions import COMMUNE_ACTORS, can_answer
from civicdesk.hotline.services.routing import routing_table

from .base import Paging, answers, error

router = Router(tags=["hotline"])


class TeamOut(Schema):
    id: int
    name: str
    kind: str


class AssigneeOut(Schema):
    username: str
    full_name: str


class TicketIn(Schema):
    title: str = SchemaField(
        max_length=Ticket._meta.get_field("title").max_length, examples=["Khai sinh có yếu tố nước ngoài"]
    )
    body: str = SchemaField(
        examples=["Mẹ là công dân Việt Nam, cha là người nước ngoài: xã có đăng ký không?"]
    )
    field: str | None = SchemaField(None, examples=["ho_tich"])
    urgency: str = SchemaField(Urgency.NORMAL, examples=[Urgency.NORMAL])
    served_language: str = SchemaField(
        "",
        max_length=Ticket._meta.get_field("served_language").max_length,
        description="Mã ISO 639-3 của ngôn ngữ đã dùng để phục vụ người dân (kpm: K'Ho, cma: Mạ…); rỗng hoặc vie: "
        "tiếng Việt.",
        examples=["kpm"],
    )
    interpreter_used: bool = SchemaField(False, description="Có người phiên dịch.")


class TicketOut(Schema):
    id: int
    reference: str
    status: str
    title: str
    commune: int
    field: str | None
    urgency: str
    team: TeamOut | None
    assignee: AssigneeOut | None
    created_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_responded_at: datetime | None
    resolved_at: datetime | None
    served_language: str = SchemaField(
        description="Mã ISO 639-3 của ngôn ngữ đã dùng để phục vụ người dân; rỗng: tiếng Việt.",
        examples=["kpm"],
    )
    interpreter_used: bool = SchemaField(description="Có người phiên dịch.")


class MessageOut(Schema):
    id: int
    kind: str
    author: str
    body: str
    created_at: datetime


class TicketDetailOut(TicketOut):
    body: str
    messages: list[MessageOut]
    csat_score: int | None


class ReplyIn(Schema):
    body: str
    internal: bool = False
    then: str | None = None


class FieldOut(Schema):
    code: str
    name: str
    default_department: str
    team: TeamOut | None
    routed_by: str


def _local(value):
    return timezone.localtime(value) if value else None


def _team(team):
    return {"id": team.pk, "name": team.name, "kind": team.kind} if team else None


def _ticket_out(t):
    return {
        "id": t.pk,
        "reference": t.reference,
        "status": t.status,
        "title": t.title,
        "commune": t.commune.code,
        "field": t.field.code if t.field else None,
        "urgency": t.urgency,
        "team": _team(t.team),
        "assignee": {"username": t.assignee.username, "full_name": t.assignee.get_full_name()}
        if t.assignee
        else None,
        "created_at": _local(t.created_at),
        "first_response_due": _local(t.first_response_due),
        "resolution_due": _local(t.resolution_due),
        "first_responded_at": _local(t.first_responded_at),
        "resolved_at": _local(t.resolved_at),
        "served_language": t.served_language,
        "interpreter_used": t.interpreter_used,
    }


def _visible(request):
    return Ticket.objects.visible_to(request.user).select_related("commune", "field", "team", "assignee")


@router.get("/fields", response=answers(list[FieldOut]), summary="Mã lĩnh vực và nhóm nhận câu hỏi của tỉnh")
def list_fields(request):
    province = request.user.province
    if province is None:
        return [
            {
                "code": f.code,
                "name": f.name,
                "default_department": f.default_department_code,
                "team": None,
                "routed_by": "default",
            }
            for f in Field.objects.all()
        ]
    return [
        {
            "code": row["field"].code,
            "name": row["field"].name,
            "default_department": row["default_department_code"],
            "team": _team(row["team"]),
            "routed_by": "rule" if row["rule"] else "default",
        }
        for row in routing_table(province)
    ]


@router.get("/tickets", response=answers(list[TicketOut], 422), summary="Câu hỏi người dùng được xem")
def list_tickets(request, paging: Query[Paging], status: str | None = None):
    qs = _visible(request)
    if status:
        qs = qs.filter(status=status)
    return [_ticket_out(t) for t in paging.page(qs.order_by("-created_at", "-id"))]


@router.post(
    "/tickets", response=answers({201: TicketOut}, 400, 403, 422), summary="Cán bộ cấp xã gửi câu hỏi"
)
def create_ticket(request, payload: TicketIn):
    if request.user.role not in COMMUNE_ACTORS:
        # Phone calls are logged on the operator's page; the API files a commune official's own question.
        raise PermissionDenied(_("Chỉ cán bộ cấp xã gửi câu hỏi qua API."))
    field = None
    if payload.field:
        field = Field.objects.filter(code=payload.field).first()
        if field is None:
            raise ValidationError({"field": _("Mã lĩnh vực không tồn tại (xem GET /api/hotline/fields).")})
    ticket = services.create_ticket(
        request.user,
        title=payload.title,
        body=payload.body,
        field=field,
        urgency=payload.urgency,
        channel=Ticket.Channel.API,
        served_language=payload.served_language,
        interpreter_used=payload.interpreter_used,
    )
    return Status(201, _ticket_out(_visible(request).get(pk=ticket.pk)))


@router.get("/tickets/{ticket_id}", response=answers(TicketDetailOut, 404, 422))
def get_ticket(request, ticket_id: int):
    ticket = get_object_or_404(_visible(request), pk=ticket_id)
    messages = ticket.messages.select_related("author")
    if not can_answer(request.user, ticket):
        messages = messages.filter(kind=Message.Kind.PUBLIC)
    return {
        **_ticket_out(ticket),
        "body": ticket.body,
        "csat_score": ticket.csat_score,
        "messages": [
            {
                "id": m.pk,
                "kind": m.kind,
                "author": m.author.get_full_name() if m.author else "",
                "body": m.body,
                "created_at": _local(m.created_at),
            }
            for m in messages
        ],
    }


@router.post(
    "/tickets/{ticket_id}/claim",
    response=answers(TicketOut, 403, 404, 409, 422),
    summary="Chuyên viên nhận xử lý",
)
def claim_ticket(request, ticket_id: int):
    ticket = get_object_or_404(_visible(request), pk=ticket_id)
    try:
        services.claim(request.user, ticket)
    except services.AlreadyClaimed as exc:
        return error(request, 409, "conflict", " ".join(exc.messages))
    return _ticket_out(_visible(request).get(pk=ticket.pk))


@router.post(
    "/tickets/{ticket_id}/replies",
    response=answers({201: MessageOut}, 400, 403, 404, 422),
    summary="Trả lời hoặc trao đổi thêm",
)
def reply_ticket(request, ticket_id: int, payload: ReplyIn):
    ticket = get_object_or_404(_visible(request), pk=ticket_id)
    message = services.reply(
        request.user,
        ticket,
        payload.body,
        internal=payload.internal,
        then=payload.then,
        channel=Ticket.Channel.API,
    )
    return Status(
        201,
        {
            "id": message.pk,
            "kind": message.kind,
            "author": request.user.get_full_name(),
            "body": message.body,
            "created_at": _local(message.created_at),
        },
    )
