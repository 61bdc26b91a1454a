"""Every write on a ticket: filing, assignment, replies, named state transitions, merge, rating.

State machine (docs/hotline.md):
    new → assigned → answered → waiting (for commune) → resolved → closed; reopen within N days.
Each transition is a function here: permission check, guard on the current state, TicketEvent + audit record.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.assistant.queries import conversation_transcript
from civicdesk.core import audit
from civicdesk.kernel.actors import is_system, person, system
from civicdesk.kernel.served import language_errors

from .. import conf, notify
from ..models import Message, Team, Ticket, TicketEvent
from ..models.teams import Urgency
from ..permissions import (
    COMMUNE_ACTORS,
    can_answer,
    can_manage,
    is_commune_party,
    is_province_desk,
    is_team_member,
)
from . import attachments as attachment_service
from .routing import pick_assignee, route
from .sla import compute_dues, pause_clock, resume_clock

S = Ticket.Status


# The actor of assignments the team's rule makes by itself (round robin, least busy).
AUTO_ASSIGNMENT = system(gettext_lazy("phân công tự động"))


class AlreadyClaimed(ValidationError):
    """Someone else took the ticket first."""


def _log(actor, ticket, kind, now, *, from_status="", to_status="", note="", data=None):
    TicketEvent.objects.create(
        ticket=ticket,
        actor=person(actor) if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
        at=now,
    )
    changes = {"status": [from_status, to_status]} if to_status and from_status != to_status else {}
    if data:
        changes.update(data)
    audit.record(
        actor, audit.Action.TRANSITION, ticket, changes={"event": kind, **changes}, reason=note[:255]
    )


def _move(actor, ticket, to_status, kind, now, *, note="", data=None, fields=()):
    from_status = ticket.status
    ticket.status = to_status
    ticket.save(update_fields=["status", "updated_at", *fields])
    _log(actor, ticket, kind, now, from_status=from_status, to_status=to_status, note=note, data=data)


def _text(value, label, max_length=None):
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Cần nhập %(label)s.") % {"label": label})
    if max_length and len(value) > max_length:
        raise ValidationError(_("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": max_length})
    return value


@transaction.atomic
def create_ticket(
    actor,
    *,
    title,
    body,
    field=None,
    urgency=Urgency.NORMAL,
    channel=None,
    commune=None,
    requester=None,
    caller_name="",
    caller_phone="",
    conversation_id="",
    attachments=(),
    now=None,
    served_language="",
    interpreter_used=False,
):
    """File a question. A commune official files for their own commune; the province desk (hotline operator,
    province admin) logs a phone call for a caller's commune. Routes it, sets the due times, assigns it.
    `served_language` (ISO 639-3, blank or "vie" for Vietnamese) and `interpreter_used` record language access."""
    now = now or timezone.now()
    errors = {}
    if actor.role in COMMUNE_ACTORS and actor.commune_id:
        commune, requester = actor.commune, actor
        channel = channel or Ticket.Channel.WEB
    elif commune is not None and is_province_desk(actor, commune.province_id):
        channel = channel or Ticket.Channel.PHONE
        if requester is not None and requester.commune_id != commune.pk:
            errors["requester"] = _("Người gọi phải là cán bộ của xã đã chọn.")
        if requester is None and not caller_name.strip():
            errors["caller_name"] = _("Cần tên người gọi (hoặc chọn cán bộ đã có tài khoản).")
    elif commune is None and actor.role not in COMMUNE_ACTORS and is_province_desk(actor, actor.province_id):
        raise ValidationError({"commune": _("Cần chọn xã, phường của người gọi.")})
    else:
        raise PermissionDenied(_("Chỉ cán bộ cấp xã (hoặc tổng đài viên ghi cuộc gọi) được gửi câu hỏi."))
    for name, value, label, limit in (
        ("title", title, _("tiêu đề"), 200),
        ("body", body, _("nội dung"), 20000),
    ):
        try:
            _text(value, label, limit)
        except ValidationError as exc:
            errors[name] = exc.messages
    if urgency not in Urgency.values:
        errors["urgency"] = _("Mức độ khẩn không hợp lệ.")
    served_language, language_problems = language_errors(served_language)
    errors.update(language_problems)
    transcript = ""
    if conversation_id:
        transcript = conversation_transcript(conversation_id, requester or actor)
        if transcript is None:
            errors["conversation"] = _("Không tìm thấy cuộc trò chuyện với trợ lý của anh/chị.")
        channel = Ticket.Channel.ASSISTANT if channel == Ticket.Channel.WEB else channel
    try:
        attachments = attachment_service.check_many(attachments)
    except ValidationError as exc:
        errors["attachments"] = exc.messages
    if errors:
        raise ValidationError(errors)

    ticket = Ticket(
        province_id=commune.province_id,
        commune=commune,
        requester=requester,
        caller_name=caller_name.strip()[:150],
        caller_phone=caller_phone.strip()[:20],
        created_by=actor,
        channel=channel,
        title=title.strip(),
        body=body.strip(),
        field=field,
        urgency=urgency,
        conversation_id=str(conversation_id or "")[:64],
        conversation_transcript=transcript or "",
        created_at=now,
        team=route(commune.province, field),
        served_language=served_language,
        interpreter_used=bool(interpreter_used),
    )
    ticket.first_response_due, ticket.resolution_due = compute_dues(commune.province_id, urgency, now)
    ticket.save()
    TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=TicketEvent.Kind.CREATED, to_status=S.NEW, at=now
    )
    changes = {"commune": commune.pk, "channel": channel}
    if served_language:
        changes["served_language"] = served_language
    if ticket.interpreter_used:
        changes["interpreter_used"] = True
    audit.record(actor, audit.Action.CREATE, ticket, changes=changes)
    for upload in attachments:
        attachment_service.store(ticket, upload, actor=actor)
    _auto_assign(ticket, now)
    return ticket


def _auto_assign(ticket, now):
    if ticket.team is None:
        return
    assignee = pick_assignee(ticket.team, day=timezone.localdate(now))
    if assignee is None:
        notify.unassigned(ticket, [*ticket.team.members(), ticket.team.leader_user])
        return
    _set_assignee(
        AUTO_ASSIGNMENT, ticket, assignee, TicketEvent.Kind.ASSIGNED, now, note=_("Phân công tự động")
    )


def _set_assignee(actor, ticket, user, kind, now, note=""):
    ticket.assignee = user
    from_status = ticket.status
    if ticket.status == S.NEW:
        ticket.status = S.ASSIGNED
    ticket.save(update_fields=["assignee", "status", "updated_at"])
    _log(
        actor,
        ticket,
        kind,
        now,
        from_status=from_status,
        to_status=ticket.status,
        note=note,
        data={"assignee": user.pk},
    )
    notify.assigned(ticket)


@transaction.atomic
def claim(actor, ticket, now=None):
    """An expert of the team takes an unassigned ticket. Exactly one of two simultaneous claims wins."""
    now = now or timezone.now()
    if not is_team_member(actor, ticket.team):
        raise PermissionDenied(_("Chỉ chuyên viên của nhóm trả lời được nhận câu hỏi này."))
    # One conditional UPDATE: the database decides the race, the loser updates no row.
    won = Ticket.objects.filter(pk=ticket.pk, assignee__isnull=True, status__in=Ticket.OPEN_STATUSES).update(
        assignee=actor,
        status=Case(When(status=S.NEW, then=Value(S.ASSIGNED)), default=F("status")),
        updated_at=now,
    )
    if not won:
        raise AlreadyClaimed(_("Câu hỏi đã có người nhận xử lý."))
    from_status = ticket.status
    ticket.refresh_from_db()
    _log(actor, ticket, TicketEvent.Kind.CLAIMED, now, from_status=from_status, to_status=ticket.status)
    return ticket


@transaction.atomic
def assign(actor, ticket, expert, *, reason="", now=None):
    """The team leader or the province desk gives the ticket to an expert of its team."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not can_manage(actor, ticket):
        raise PermissionDenied(_("Chỉ trưởng nhóm hoặc tổng đài viên được phân công lại."))
    if not ticket.is_open:
        raise ValidationError(_("Câu hỏi đã giải quyết, không phân công lại được."))
    if ticket.team is None or not ticket.team.members().filter(pk=expert.pk).exists():
        raise ValidationError({"assignee": _("Người được giao phải là thành viên của nhóm trả lời.")})
    if expert.pk == ticket.assignee_id:
        return ticket
    _set_assignee(actor, ticket, expert, TicketEvent.Kind.ASSIGNED, now, note=reason)
    return ticket


@transaction.atomic
def transfer(actor, ticket, team=None, *, reason="", field=None, now=None):
    """Move the ticket to another team (with a reason); it is assigned again there.

    Also triage: a ticket without a team yet gets one (the reason is then optional). `field` sets the field
    (lĩnh vực; None leaves it as it is); without a `team` the question goes where the province routes its field
    (`routing.route`).
    """
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not can_answer(actor, ticket):
        raise PermissionDenied(_("Bạn không được chuyển câu hỏi này."))
    triage = ticket.team_id is None
    if triage:
        reason = (reason or "").strip()[:500]
    else:
        try:
            reason = _text(reason, _("lý do chuyển"), 500)
        except ValidationError as exc:
            raise ValidationError({"reason": exc.messages}) from None
    if not ticket.is_open:
        raise ValidationError(_("Câu hỏi đã giải quyết, không chuyển được."))
    new_field = field or ticket.field
    if team is None:
        if new_field is None:
            raise ValidationError(_("Chọn lĩnh vực hoặc nhóm nhận."))
        team = route(ticket.province, new_field)
        if team is None:
            raise ValidationError(
                {
                    "team": _("Lĩnh vực “%(field)s” chưa có nhóm trả lời: hãy chọn nhóm nhận.")
                    % {"field": new_field}
                }
            )
    if team.province_id != ticket.province_id or not team.is_active:
        raise ValidationError({"team": _("Nhóm nhận phải đang hoạt động và cùng tỉnh.")})
    if team.pk == ticket.team_id:
        raise ValidationError({"team": _("Câu hỏi đang ở nhóm này rồi (%(team)s).") % {"team": team}})
    data = {"from_team": ticket.team_id, "to_team": team.pk}
    if new_field != ticket.field:
        data["field"] = [getattr(ticket.field, "code", None), new_field.code]
    resume_clock(ticket, now)
    ticket.team, ticket.assignee, ticket.field = team, None, new_field
    _move(
        actor,
        ticket,
        S.NEW,
        TicketEvent.Kind.TRANSFERRED,
        now,
        note=reason or (_("Phân loại: %(field)s") % {"field": new_field} if new_field else ""),
        data=data,
        fields=["team", "assignee", "field", "waiting_since", "paused_seconds", "resolution_due"],
    )
    _auto_assign(ticket, now)
    return ticket


@transaction.atomic
def reply(
    actor, ticket, body, *, internal=False, then=None, attachments=(), channel=Ticket.Channel.WEB, now=None
):
    """Add to the conversation. Experts: a public reply (→ answered, or `then="waiting"` to ask the commune
    for information, or `then="resolved"`), or an internal note. The commune: a public message (→ back to the
    expert, the clock runs again)."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    body = _text(body, _("nội dung trả lời"), 20000)
    attachments = attachment_service.check_many(attachments)
    staff = can_answer(actor, ticket)
    if not staff and not is_commune_party(actor, ticket):
        raise PermissionDenied(_("Bạn không được trao đổi trong câu hỏi này."))
    if internal and not staff:
        raise PermissionDenied(_("Chỉ chuyên viên được ghi chú nội bộ."))
    if not internal and not ticket.is_open:
        raise ValidationError(_("Câu hỏi đã giải quyết. Nếu cần hỏi thêm, hãy mở lại câu hỏi."))
    kind = Message.Kind.INTERNAL if internal else Message.Kind.PUBLIC
    message = Message.objects.create(
        ticket=ticket, author=actor, kind=kind, body=body, channel=channel, created_at=now
    )
    for upload in attachments:
        attachment_service.store(ticket, upload, actor=actor, message=message)
    if internal:
        audit.record(actor, audit.Action.CREATE, message)
        return message
    if staff:
        _expert_reply(actor, ticket, message, then, now)
    else:
        _commune_reply(actor, ticket, message, now)
    return message


def _expert_reply(actor, ticket, message, then, now):
    if ticket.assignee_id is None and is_team_member(actor, ticket.team):
        ticket.assignee = actor
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
    fields = ["assignee", "first_responded_at", "waiting_since", "paused_seconds", "resolution_due"]
    if then == "waiting":
        pause_clock(ticket, now)
        _move(
            actor,
            ticket,
            S.WAITING,
            TicketEvent.Kind.WAITING,
            now,
            fields=fields,
            data={"message": message.pk},
        )
    else:
        resume_clock(ticket, now)
        _move(
            actor,
            ticket,
            S.ANSWERED,
            TicketEvent.Kind.REPLIED,
            now,
            fields=fields,
            data={"message": message.pk},
        )
    notify.reply(ticket, message, [ticket.requester])
    from ..channels.outbound import send_to_requester

    send_to_requester(ticket, message)
    if then == "resolved":
        resolve(actor, ticket, now=now)


def _commune_reply(actor, ticket, message, now):
    if ticket.status in (S.ANSWERED, S.WAITING):
        resume_clock(ticket, now)
        to_status = S.ASSIGNED if ticket.assignee_id else S.NEW
        _move(
            actor,
            ticket,
            to_status,
            TicketEvent.Kind.COMMUNE_REPLIED,
            now,
            fields=["waiting_since", "paused_seconds", "resolution_due"],
            data={"message": message.pk},
        )
    else:
        _log(actor, ticket, TicketEvent.Kind.COMMUNE_REPLIED, now, data={"message": message.pk})
    recipients = [ticket.assignee] if ticket.assignee else list(ticket.team.members()) if ticket.team else []
    notify.reply(ticket, message, recipients)


@transaction.atomic
def resolve(actor, ticket, *, note="", now=None):
    """The expert (or the commune, accepting the answer) marks the question resolved; the official is asked to rate."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not (can_answer(actor, ticket) or is_commune_party(actor, ticket)):
        raise PermissionDenied(_("Bạn không được đóng câu hỏi này."))
    if not ticket.is_open:
        raise ValidationError(_("Câu hỏi đã được giải quyết rồi."))
    resume_clock(ticket, now)
    ticket.resolved_at = now
    _move(
        actor,
        ticket,
        S.RESOLVED,
        TicketEvent.Kind.RESOLVED,
        now,
        note=note,
        fields=["resolved_at", "waiting_since", "paused_seconds", "resolution_due"],
    )
    notify.resolved(ticket)
    return ticket


@transaction.atomic
def close(actor, ticket, *, note="", now=None):
    """Resolved → closed (by the commune, the expert, or the system once the reopen window has passed)."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not is_system(actor) and not (can_answer(actor, ticket) or is_commune_party(actor, ticket)):
        raise PermissionDenied(_("Bạn không được đóng câu hỏi này."))
    if ticket.status != S.RESOLVED:
        raise ValidationError(_("Chỉ đóng được câu hỏi đã giải quyết."))
    ticket.closed_at = now
    _move(actor, ticket, S.CLOSED, TicketEvent.Kind.CLOSED, now, note=note, fields=["closed_at"])
    return ticket


def can_reopen(ticket, now=None):
    now = now or timezone.now()
    return (
        ticket.status in (S.RESOLVED, S.CLOSED)
        and ticket.merged_into_id is None
        and ticket.resolved_at is not None
        and ticket.resolved_at >= now - timedelta(days=conf.get("HOTLINE_REOPEN_DAYS"))
    )


@transaction.atomic
def reopen(actor, ticket, *, reason, now=None):
    """Reopen a resolved or closed question within the reopen window (HOTLINE_REOPEN_DAYS days)."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not (can_answer(actor, ticket) or is_commune_party(actor, ticket)):
        raise PermissionDenied(_("Bạn không được mở lại câu hỏi này."))
    reason = _text(reason, _("lý do mở lại"), 500)
    if not can_reopen(ticket, now):
        raise ValidationError(
            _("Chỉ mở lại được câu hỏi đã giải quyết trong vòng %(n)s ngày.")
            % {"n": conf.get("HOTLINE_REOPEN_DAYS")}
        )
    ticket.resolved_at = ticket.closed_at = None
    ticket.reopened_count += 1
    to_status = S.ASSIGNED if ticket.assignee_id else S.NEW
    _move(
        actor,
        ticket,
        to_status,
        TicketEvent.Kind.REOPENED,
        now,
        note=reason,
        fields=["resolved_at", "closed_at", "reopened_count"],
    )
    Message.objects.create(ticket=ticket, author=actor, kind=Message.Kind.PUBLIC, body=reason, created_at=now)
    if ticket.assignee:
        notify.assigned(ticket)
    return ticket


@transaction.atomic
def merge(actor, duplicate, target, *, reason="", now=None):
    """Close `duplicate` into `target` (same commune): its text becomes an internal note on the target."""
    now = now or timezone.now()
    if duplicate.pk == target.pk:
        raise ValidationError(_("Không thể gộp câu hỏi vào chính nó."))
    if not (can_answer(actor, duplicate) and can_answer(actor, target)):
        raise PermissionDenied(_("Bạn không được gộp các câu hỏi này."))
    if duplicate.commune_id != target.commune_id:
        raise ValidationError(_("Chỉ gộp được câu hỏi trùng của cùng một xã."))
    if target.merged_into_id or not duplicate.is_open:
        raise ValidationError(_("Câu hỏi đã đóng hoặc đã được gộp."))
    Message.objects.create(
        ticket=target,
        author=actor,
        kind=Message.Kind.INTERNAL,
        body=_("Gộp câu hỏi trùng %(ref)s — %(title)s\n\n%(body)s")
        % {"ref": duplicate.reference, "title": duplicate.title, "body": duplicate.body},
        created_at=now,
    )
    duplicate.attachments.update(ticket=target)
    duplicate.merged_into = target
    duplicate.closed_at = now
    resume_clock(duplicate, now)
    _move(
        actor,
        duplicate,
        S.CLOSED,
        TicketEvent.Kind.MERGED,
        now,
        note=reason,
        data={"into": target.pk},
        fields=["merged_into", "closed_at", "waiting_since", "paused_seconds", "resolution_due"],
    )
    _log(actor, target, TicketEvent.Kind.MERGED, now, note=reason, data={"from": duplicate.pk})
    return target


@transaction.atomic
def rate(actor, ticket, *, score, reason="", now=None):
    """The commune official rates the answer (1–5 and a reason) once the question is resolved."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not is_commune_party(actor, ticket):
        raise PermissionDenied(_("Chỉ cán bộ của xã đã hỏi được đánh giá câu trả lời."))
    if ticket.status not in (S.RESOLVED, S.CLOSED) or ticket.merged_into_id:
        raise ValidationError(_("Chỉ đánh giá được câu hỏi đã giải quyết."))
    if ticket.rated_at is not None:
        raise ValidationError(_("Câu hỏi này đã được đánh giá."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Điểm đánh giá từ 1 đến 5.")})
    reason = (reason or "").strip()
    if score <= 2 and not reason:
        raise ValidationError({"reason": _("Xin cho biết lý do để nhóm trả lời cải thiện.")})
    ticket.csat_score, ticket.csat_reason, ticket.rated_at, ticket.rated_by = score, reason[:2000], now, actor
    ticket.save(update_fields=["csat_score", "csat_reason", "rated_at", "rated_by", "updated_at"])
    _log(actor, ticket, TicketEvent.Kind.RATED, now, note=reason[:255], data={"score": score})
    return ticket


def teams_for_transfer(ticket):
    return Team.objects.filter(province_id=ticket.province_id, is_active=True).exclude(pk=ticket.team_id)
