"""Zalo OA and Telegram webhooks: verify, ignore duplicates, map the sender to an official, act, reply.

What is verified (docs/hotline.md):
- Telegram: the `X-Telegram-Bot-Api-Secret-Token` header equals TELEGRAM_WEBHOOK_SECRET (the `secret_token` given to
  setWebhook). Duplicate key: `update_id`.
- Zalo OA: the `X-ZEvent-Signature` header equals `mac=` + hex SHA-256 of (app_id + raw request body + timestamp +
  ZALO_OA_SECRET_KEY), where app_id and timestamp are the event's own fields and app_id must equal ZALO_APP_ID.
  Duplicate key: `message.msg_id`.
With the secret unset, every request is refused (the channel is off).
"""

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.assistant.search import search
from civicdesk.core import audit
from civicdesk.handbook.models import Field

from .. import conf
from ..models import ChannelIdentity, ChannelLinkCode, InboundMessage, Ticket
from . import outbound

REFERENCE = re.compile(r"(?:HL-|#)(\d+)\b", re.IGNORECASE)
LINK_COMMAND = re.compile(r"^\s*(?:/start|li[eê]n\s*k[eế]t|lienket)\s+([A-Z0-9]{6,12})\s*$", re.IGNORECASE)
LINK_CODE_MINUTES = 30


class BadSignature(Exception):
    pass


@dataclass
class Inbound:
    channel: str
    message_id: str
    sender_id: str
    sender_name: str
    text: str


# --- verification and parsing -----------------------------------------------------------------------------------
def parse_telegram(headers, raw):
    secret = conf.get("TELEGRAM_WEBHOOK_SECRET")
    given = headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        raise BadSignature("telegram secret token mismatch")
    update = json.loads(raw)
    message = update.get("message") or update.get("edited_message")
    if not message or "text" not in message:
        return None  # joins, stickers, callbacks: nothing to do
    sender = message.get("from") or {}
    name = " ".join(filter(None, [sender.get("first_name"), sender.get("last_name")]))
    return Inbound("telegram", str(update["update_id"]), str(message["chat"]["id"]), name, message["text"])


def zalo_signature(app_id, raw, timestamp, secret):
    digest = hashlib.sha256(f"{app_id}".encode() + raw + f"{timestamp}{secret}".encode()).hexdigest()
    return f"mac={digest}"


def parse_zalo(headers, raw):
    secret, app_id = conf.get("ZALO_OA_SECRET_KEY"), conf.get("ZALO_APP_ID")
    if not secret or not app_id:
        raise BadSignature("zalo channel not configured")
    try:
        event = json.loads(raw)
    except ValueError as exc:
        raise BadSignature("invalid JSON") from exc
    if str(event.get("app_id")) != str(app_id):
        raise BadSignature("zalo app_id mismatch")
    expected = zalo_signature(event.get("app_id"), raw, event.get("timestamp", ""), secret)
    given = headers.get("X-ZEvent-Signature", "").strip()
    if not given.startswith("mac="):
        given = f"mac={given}"
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise BadSignature("zalo signature mismatch")
    if event.get("event_name") not in (
        "user_send_text",
        "user_send_image",
        "user_send_file",
        "user_send_link",
    ):
        return None
    message = event.get("message") or {}
    text = message.get("text") or ""
    links = [a.get("payload", {}).get("url") for a in message.get("attachments") or []]
    links = [u for u in links if u]
    if links:
        text = "\n".join([text, _("Tệp gửi kèm qua Zalo:"), *links]).strip()
    if not text or not message.get("msg_id"):
        return None
    sender = event.get("sender") or {}
    return Inbound("zalo", str(message["msg_id"]), str(sender.get("id", "")), "", text)


# --- linking an official's account -------------------------------------------------------------------------------
@transaction.atomic
def new_link_code(user):
    """A one-time code (valid 30 minutes) the official sends to the bot/OA to link that chat to their account."""
    ChannelLinkCode.objects.filter(user=user, used_at__isnull=True).delete()
    code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    return ChannelLinkCode.objects.create(
        user=user, code=code, expires_at=timezone.now() + timedelta(minutes=LINK_CODE_MINUTES)
    )


@transaction.atomic
def unlink_identity(actor, identity):
    if identity.user_id != actor.pk:
        raise PermissionDenied(_("Bạn chỉ hủy được liên kết của chính mình."))
    audit.record(actor, audit.Action.DELETE, identity)
    identity.delete()


def _link(inbound, code):
    link = (
        ChannelLinkCode.objects.select_for_update()
        .filter(code=code.upper(), used_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("user")
        .first()
    )
    if link is None:
        return None, _("Mã liên kết không đúng hoặc đã hết hạn. Hãy tạo mã mới trên CivicDesk.")
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    ChannelIdentity.objects.filter(channel=inbound.channel, external_id=inbound.sender_id).delete()
    identity, _created = ChannelIdentity.objects.update_or_create(
        user=link.user,
        channel=inbound.channel,
        defaults={"external_id": inbound.sender_id, "display_name": inbound.sender_name[:150]},
    )
    audit.record(link.user, audit.Action.CREATE, identity)
    return identity, _(
        "Đã liên kết với tài khoản CivicDesk của %(name)s. Gửi câu hỏi vào đây để hỏi các sở, ngành."
    ) % {"name": link.user.get_full_name()}


# --- handling -----------------------------------------------------------------------------------------------------
def handle(inbound):
    """Act on one verified message, exactly once per (channel, message id). Returns the InboundMessage or None
    for a duplicate."""
    from ..services import create_ticket, reply

    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                channel=inbound.channel,
                external_id=inbound.message_id[:200],
                sender=inbound.sender_id[:200],
                outcome=InboundMessage.Outcome.IGNORED,
            )
    except IntegrityError:
        return None  # a retry of a message already handled
    with transaction.atomic():
        answer, outcome, ticket = _act(inbound, create_ticket, reply)
        record.outcome, record.ticket, record.note = outcome, ticket, answer[:255]
        record.save(update_fields=["outcome", "ticket", "note"])
        outbound.queue(inbound.channel, inbound.sender_id, answer)
    return record


def _act(inbound, create_ticket, reply):
    Outcome = InboundMessage.Outcome
    command = LINK_COMMAND.match(inbound.text)
    if command:
        identity, answer = _link(inbound, command.group(1))
        return answer, (Outcome.LINKED if identity else Outcome.REJECTED), None
    identity = (
        ChannelIdentity.objects.select_related("user", "user__commune")
        .filter(channel=inbound.channel, external_id=inbound.sender_id, user__is_active=True)
        .first()
    )
    if identity is None:
        return (
            _(
                "Tài khoản này chưa liên kết với CivicDesk. Vào CivicDesk → Đường dây nóng → Kết nối Zalo/Telegram "
                "để lấy mã, rồi gửi: LIENKET <mã>."
            ),
            Outcome.REJECTED,
            None,
        )
    user = identity.user
    reference = REFERENCE.search(inbound.text)
    try:
        if reference:
            ticket = Ticket.objects.visible_to(user).filter(pk=int(reference.group(1))).first()
            if ticket is None:
                return (
                    _("Không tìm thấy câu hỏi HL-%(n)s.") % {"n": reference.group(1)},
                    Outcome.REJECTED,
                    None,
                )
            reply(user, ticket, inbound.text, channel=inbound.channel)
            return _("Đã thêm vào câu hỏi %(ref)s.") % {"ref": ticket.reference}, Outcome.ACCEPTED, ticket
        first_line = inbound.text.strip().splitlines()[0]
        ticket = create_ticket(
            user,
            title=first_line[:120],
            body=inbound.text,
            field=guess_field(inbound.text),
            channel=inbound.channel,
        )
    except PermissionDenied:
        return _("Chỉ cán bộ cấp xã gửi được câu hỏi qua kênh này."), Outcome.REJECTED, None
    except ValidationError as exc:
        return " ".join(exc.messages), Outcome.REJECTED, None
    due = timezone.localtime(ticket.first_response_due).strftime("%H:%M %d/%m/%Y")
    return (
        _("Đã nhận câu hỏi %(ref)s. Hạn phản hồi: %(due)s. Khi trả lời thêm, ghi %(ref)s trong tin nhắn.")
        % {"ref": ticket.reference, "due": due},
        Outcome.ACCEPTED,
        ticket,
    )


def guess_field(text):
    """The field of the best handbook match (the assistant's search), so channel questions route like web ones."""
    hits = search(text, limit=1)
    if not hits or not hits[0].topic:
        return None
    return Field.objects.filter(name=hits[0].topic).first()
