"""Outbound SMS and Zalo messages (idempotent, within a daily quota), their delivery receipts, and citizens' replies
(a stop word records a do-not-contact on every channel)."""

import logging
import string
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.community.models import Person
from civicdesk.core import audit
from civicdesk.kernel.actors import person as user_of
from civicdesk.kernel.actors import system
from civicdesk.kernel.phones import normalise

from .. import conf
from ..channels import ADAPTERS, ChannelError, NotConfigured
from ..models import (
    MESSAGE_CHANNELS,
    ContactChannel,
    DoNotContact,
    InboundReply,
    Message,
    MessageTemplate,
    Outcome,
    Target,
)
from ..permissions import require_work_target
from ..rules import blockers
from ..text import plain
from .attempts import ContactBlocked, _apply
from .contact import add_do_not_contact

log = logging.getLogger(__name__)

QUOTAS = {"sms": "OUTREACH_SMS_DAILY_QUOTA", "zalo": "OUTREACH_ZNS_DAILY_QUOTA"}
# Replies that stop every contact, compared without diacritics or case: "TỪ CHỐI", "huy", "STOP"…
STOP_WORDS = frozenset({"tu choi", "tuchoi", "huy", "huy dang ky", "stop", "dung", "khong nhan", "ngung"})
PLACEHOLDERS = ("ho_ten", "thu_tuc", "xa", "dien_thoai_xa")
MAX_BODY = (
    1600  # a message template's longest body (models.MessageTemplate.body), so every text fits the same
)
WEBHOOK = system("outreach webhook")


def is_stop(text):
    return plain(text) in STOP_WORDS


def render(template, target):
    """The template's text with the citizen's and commune's values; unknown {names} are refused when saving."""
    procedures = list(target.campaign.procedures.values_list("name", flat=True)[:1])
    params = {
        "ho_ten": target.person.full_name,
        "thu_tuc": procedures[0] if procedures else target.campaign.name,
        "xa": target.commune.name,
        "dien_thoai_xa": getattr(target.commune, "phone", "") or "",
    }
    return template.body.format_map(params), params


def check_template_body(body):
    names = {name for _lit, name, _spec, _conv in string.Formatter().parse(body) if name}
    unknown = names - set(PLACEHOLDERS)
    if unknown:
        known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        message = _("Mẫu chỉ dùng các trường %(known)s (không có %(bad)s).") % {
            "known": known,
            "bad": ", ".join(sorted(unknown)),
        }
        raise ValidationError({"body": message})


def sent_today(channel, province_id):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Message.objects.filter(
        channel=channel, created_at__gte=start, target__campaign__province_id=province_id
    ).count()


@transaction.atomic
def send_message(actor, target, template, *, at=None):
    """Queue one message to the target's citizen on the template's channel; it leaves after the commit."""
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("campaign", "person", "commune")
        .get(pk=target.pk)
    )
    require_work_target(actor, target)
    if template.channel not in MESSAGE_CHANNELS or not template.is_active:
        raise ValidationError({"template": _("Chọn một mẫu tin nhắn đang dùng.")})
    if (
        user_of(actor) is not None
        and not MessageTemplate.objects.visible_to(actor).filter(pk=template.pk).exists()
    ):
        raise ValidationError({"template": _("Chọn một mẫu tin nhắn đang dùng.")})
    body, params = render(template, target)
    return _queue(actor, target, template.channel, body, params, template=template, at=at)


@transaction.atomic
def send_text(actor, target, *, body, params=None, at=None):
    """Queue one SMS whose text the system composed (an announcement, `announcements.py`) rather than a template;
    the same rules, quota, attempt record and sending path as `send_message`."""
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("campaign", "person", "commune")
        .get(pk=target.pk)
    )
    require_work_target(actor, target)
    if not body or len(body) > MAX_BODY:
        raise ValidationError({"body": _("Tin nhắn trống hoặc dài quá %(n)s ký tự.") % {"n": MAX_BODY}})
    return _queue(actor, target, ContactChannel.SMS, body, params or {}, template=None, at=at)


def _queue(actor, target, channel, body, params, *, template, at):
    at = at or timezone.now()
    found = blockers(target.person, channel, at, target=target)
    if found:
        raise ContactBlocked(found)
    quota = conf.get(QUOTAS[channel])
    if sent_today(channel, target.campaign.province_id) >= quota:
        raise ValidationError(
            _("Đã gửi đủ %(n)s tin %(channel)s hôm nay (hạn mức mỗi ngày); gửi lại vào ngày mai.")
            % {"n": quota, "channel": ContactChannel(channel).label}
        )
    message = Message.objects.create(
        target=target,
        channel=channel,
        template=template,
        phone=target.person.phone,
        body=body,
        params=params,
        tracking_id=uuid.uuid4().hex,
        created_at=at,
        created_by=user_of(actor),
    )
    _apply(actor, target, channel=channel, outcome=Outcome.MESSAGE_SENT, note=body[:1000], dossier=None,
           next_action_at=None, at=at, message=message)  # fmt: skip
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_pk):
    from ..tasks import (
        deliver_message,  # huey's task module, imported when first used (not at Django's start)
    )

    deliver_message(message_pk)


def deliver(message_pk):
    """Hand a queued message to its provider once. A message already sent (or delivered) is left alone, so calling
    this twice (a retried job) sends once; a failure is recorded with the provider's reason."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("template")
            .filter(pk=message_pk)
            .first()
        )
        if message is None or message.status != Message.Status.QUEUED:
            return message
        try:
            provider_id = ADAPTERS[message.channel]().send(message)
        except NotConfigured as exc:
            message.error = str(exc)[:300]
            message.save(update_fields=["error"])
            return message
        except ChannelError as exc:
            message.status, message.error = Message.Status.FAILED, str(exc)[:300]
            message.save(update_fields=["status", "error"])
            log.warning("Outreach %s message %s failed: %s", message.channel, message.pk, exc)
            return message
        message.status, message.provider_id, message.sent_at, message.error = (
            Message.Status.SENT,
            provider_id[:80],
            timezone.now(),
            "",
        )
        message.save(update_fields=["status", "provider_id", "sent_at", "error"])
        return message


def retry_queued():
    """Send what is still queued (the provider was down, or not yet configured). Returns how many were tried."""
    pks = list(Message.objects.filter(status=Message.Status.QUEUED).values_list("pk", flat=True)[:500])
    for pk in pks:
        deliver(pk)
    return len(pks)


@transaction.atomic
def receipt(channel, *, tracking_id, status, at=None):
    """A provider's delivery receipt: "delivered" or "failed". Unknown ids are ignored (returns None)."""
    message = Message.objects.select_for_update().filter(channel=channel, tracking_id=tracking_id).first()
    if message is None:
        return None
    if status == "delivered":
        message.status, message.delivered_at = Message.Status.DELIVERED, at or timezone.now()
    elif status == "failed" and message.status != Message.Status.DELIVERED:
        message.status = Message.Status.FAILED
    else:
        return message
    message.save(update_fields=["status", "delivered_at"])
    return message


def reply(channel, *, message_id, phone, text, at=None):
    """A citizen's reply. A stop word stops every contact with every citizen who has this number, for good.

    Returns the InboundReply, or None for a duplicate (the provider retried its webhook).
    """
    at = at or timezone.now()
    try:
        e164 = normalise(phone)
    except ValidationError:
        e164 = ""
    try:
        with transaction.atomic():
            inbound = InboundReply.objects.create(
                channel=channel,
                message_id=str(message_id)[:80],
                phone=e164 or str(phone)[:16],
                text=str(text)[:1000],
                received_at=at,
                opted_out=is_stop(str(text)),
            )
            if inbound.opted_out and e164:
                people = list(Person.objects.filter(kind=Person.Kind.CITIZEN, phone=e164))
                inbound.people.set(people)
                for person in people:
                    add_do_not_contact(
                        WEBHOOK,
                        person,
                        reason=DoNotContact.Reason.OPTED_OUT,
                        source=_("Tin nhắn trả lời “%(text)s” qua %(channel)s")
                        % {"text": str(text)[:40], "channel": channel.upper()},
                        at=at,
                        check=False,
                    )
                audit.record(
                    WEBHOOK, audit.Action.CREATE, inbound, changes={"opt_out": channel, "people": len(people)}
                )
            return inbound
    except IntegrityError:
        return None


@transaction.atomic
def save_template(actor, *, province, data, commune=None, template=None):
    """Create or update a message template (the commune's, or the province's with commune None)."""
    from ..permissions import _province_admin, require, require_run_commune

    if commune is not None:
        require_run_commune(actor, commune)
    else:
        require(_province_admin(actor, province.pk), _("Chỉ quản trị cấp tỉnh sửa mẫu tin nhắn của tỉnh."))
    check_template_body(data.get("body", ""))
    channel = data.get("channel", template.channel if template else "")
    zns_id = data.get("zns_template_id", template.zns_template_id if template else "")
    if channel == "zalo" and not (zns_id or "").strip():
        raise ValidationError(
            {"zns_template_id": _("Zalo chỉ gửi mẫu đã được Zalo duyệt: ghi mã mẫu ZNS của mẫu này.")}
        )
    created = template is None
    template = template or MessageTemplate(province=province, commune=commune)
    for name in ("channel", "name", "body", "zns_template_id", "is_active"):
        if name in data:
            setattr(template, name, data[name])
    template.full_clean(exclude=["province", "commune"])
    template.save()
    audit.record(
        actor,
        audit.Action.CREATE if created else audit.Action.UPDATE,
        template,
        changes={"name": template.name},
    )
    return template
