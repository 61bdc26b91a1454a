"""E-mail notifications (assignment, reply, warning, breach, resolution), sent once the transaction commits.

The ticket reference is in every subject ("[HL-42] …") so that a reply by e-mail threads back to the ticket
(see channels/email_in.py). Console backend in development, SMTP in production, `mailoutbox` in tests.
"""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import links

from . import conf

log = logging.getLogger(__name__)


def _url(ticket):
    return links.absolute(ticket.get_absolute_url())


def _send(recipients, subject, body):
    emails = sorted({u.email for u in recipients if u is not None and u.email and u.is_active})
    if not emails:
        return
    reply_to = [conf.get("HOTLINE_MAIL_ADDRESS")] if conf.get("HOTLINE_MAIL_ADDRESS") else None

    def deliver():
        try:
            EmailMessage(subject, body, to=emails, reply_to=reply_to).send()
        except Exception:  # a mail server outage must not undo the ticket change that was just committed
            log.exception("Hotline mail failed: %s", subject)

    transaction.on_commit(deliver)


def subject(ticket, text):
    return f"[{ticket.reference}] {text}: {ticket.title}"[:200]


def _due(value):
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—"


def assigned(ticket):
    body = _(
        "Anh/chị được giao trả lời câu hỏi %(ref)s của %(commune)s.\n\n%(title)s\n\n%(body)s\n\n"
        "Hạn phản hồi đầu tiên: %(first)s\nHạn giải quyết: %(resolution)s\n\nMở câu hỏi: %(url)s"
    ) % {
        "ref": ticket.reference,
        "commune": ticket.commune.name,
        "title": ticket.title,
        "body": ticket.body,
        "first": _due(ticket.first_response_due),
        "resolution": _due(ticket.resolution_due),
        "url": _url(ticket),
    }
    _send([ticket.assignee], subject(ticket, _("Câu hỏi mới được giao")), body)


def unassigned(ticket, recipients):
    body = _("Nhóm %(team)s có câu hỏi mới chưa ai nhận: %(title)s\n\nNhận xử lý tại: %(url)s") % {
        "team": ticket.team.name if ticket.team else "—",
        "title": ticket.title,
        "url": _url(ticket),
    }
    _send(recipients, subject(ticket, _("Câu hỏi mới chờ nhận")), body)


def reply(ticket, message, recipients):
    body = _(
        "%(author)s đã trả lời câu hỏi %(ref)s:\n\n%(text)s\n\nXem và trao đổi tiếp: %(url)s\n"
        "(Có thể trả lời thư này; giữ nguyên mã [%(ref)s] trong tiêu đề.)"
    ) % {
        "author": message.author.get_full_name() if message.author else _("Hệ thống"),
        "ref": ticket.reference,
        "text": message.body,
        "url": _url(ticket),
    }
    _send(recipients, subject(ticket, _("Trả lời mới")), body)


def warning(ticket, target, recipients):
    label = _("phản hồi đầu tiên") if target == "first_response" else _("giải quyết")
    due = ticket.first_response_due if target == "first_response" else ticket.resolution_due
    body = _("Câu hỏi %(ref)s sắp quá hạn %(label)s (hạn %(due)s).\n\n%(url)s") % {
        "ref": ticket.reference,
        "label": label,
        "due": _due(due),
        "url": _url(ticket),
    }
    _send(recipients, subject(ticket, _("Sắp quá hạn")), body)


def breach(ticket, target, recipients):
    label = _("phản hồi đầu tiên") if target == "first_response" else _("giải quyết")
    due = ticket.first_response_due if target == "first_response" else ticket.resolution_due
    body = _(
        "Câu hỏi %(ref)s của %(commune)s đã quá hạn %(label)s (hạn %(due)s).\n"
        "Nhóm: %(team)s. Người phụ trách: %(assignee)s.\n\nĐề nghị trưởng nhóm xem xét, phân công lại nếu cần: %(url)s"
    ) % {
        "ref": ticket.reference,
        "commune": ticket.commune.name,
        "label": label,
        "due": _due(due),
        "team": ticket.team.name if ticket.team else _("chưa có nhóm"),
        "assignee": ticket.assignee.get_full_name() if ticket.assignee else _("chưa phân công"),
        "url": _url(ticket),
    }
    _send(recipients, subject(ticket, _("Quá hạn")), body)


def resolved(ticket):
    body = _(
        "Câu hỏi %(ref)s đã được giải quyết.\n\nXin anh/chị đánh giá câu trả lời (1–5 sao và lý do) để các sở, "
        "ngành trả lời tốt hơn: %(url)s\n\nNếu vấn đề chưa được giải quyết, anh/chị có thể mở lại câu hỏi "
        "trong %(days)s ngày."
    ) % {"ref": ticket.reference, "url": _url(ticket), "days": conf.get("HOTLINE_REOPEN_DAYS")}
    _send([ticket.requester], subject(ticket, _("Đã giải quyết")), body)
