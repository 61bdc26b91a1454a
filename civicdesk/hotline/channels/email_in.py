"""E-mail in: a reply whose subject carries [HL-42] joins ticket 42; a new message from a commune official opens a
ticket. Attachments of accepted types are kept; the sender must be a registered user (matched by address).
Each Message-ID is handled once."""

import email
import hashlib
import imaplib
import logging
import mailbox
import re
from email import policy
from email.utils import parseaddr
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from civicdesk.core.models import User

from .. import conf
from ..models import InboundMessage, Ticket
from ..services import attachments as attachment_service

log = logging.getLogger(__name__)
REFERENCE = re.compile(r"\[?HL-(\d+)\]?", re.IGNORECASE)
QUOTE_HEADER = re.compile(r"^(On .+ wrote:|Vào .+ đã viết:|-----Original Message-----)\s*$")


def parse(data):
    return email.message_from_bytes(data, policy=policy.default)


def _body(message):
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    lines = []
    for line in text.splitlines():
        if QUOTE_HEADER.match(line.strip()):
            break  # the quoted earlier message is already in the ticket
        if not line.startswith(">"):
            lines.append(line.rstrip())
    return "\n".join(lines).strip()


def _attachments(message):
    kept, skipped = [], []
    for part in message.iter_attachments():
        name = part.get_filename() or "tep-dinh-kem"
        data = part.get_content()
        data = data.encode() if isinstance(data, str) else data
        try:
            attachment_service.check(name, data[:16], len(data))
        except ValidationError as exc:
            skipped.append(" ".join(exc.messages))
            continue
        kept.append(SimpleUploadedFile(name, data))
    limit = conf.get("HOTLINE_ATTACHMENT_MAX_FILES")
    if len(kept) > limit:
        skipped.append(_("Chỉ giữ %(n)s tệp đầu tiên.") % {"n": limit})
        kept = kept[:limit]
    return kept, skipped


def _message_id(message, raw):
    value = (message.get("Message-ID") or "").strip()
    return value[:200] if value else "sha256:" + hashlib.sha256(raw).hexdigest()


def ingest_email(message, raw=b""):
    """Handle one parsed e-mail (an `email.message.EmailMessage`); returns the InboundMessage, or None when this
    Message-ID was handled before."""
    from ..services import create_ticket, reply

    raw = raw or message.as_bytes()
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                channel="email",
                external_id=_message_id(message, raw),
                sender=parseaddr(message.get("From", ""))[1][:200],
                outcome=InboundMessage.Outcome.IGNORED,
            )
    except IntegrityError:
        return None
    with transaction.atomic():
        note, outcome, ticket = _act(message, record.sender, create_ticket, reply)
        record.outcome, record.note, record.ticket = outcome, note[:255], ticket
        record.save(update_fields=["outcome", "note", "ticket"])
    return record


def _act(message, address, create_ticket, reply):
    Outcome = InboundMessage.Outcome
    users = list(User.objects.filter(email__iexact=address, is_active=True)[:2]) if address else []
    if len(users) != 1:
        return "unknown or ambiguous sender", Outcome.REJECTED, None
    user = users[0]
    subject = str(message.get("Subject", "")).strip()
    body = _body(message)
    files, skipped = _attachments(message)
    if skipped:
        body = "\n\n".join(filter(None, [body, _("Tệp bị bỏ qua: %(list)s") % {"list": "; ".join(skipped)}]))
    reference = REFERENCE.search(subject)
    try:
        if reference:
            ticket = Ticket.objects.visible_to(user).filter(pk=int(reference.group(1))).first()
            if ticket is None:
                return f"HL-{reference.group(1)} not visible to sender", Outcome.REJECTED, None
            reply(user, ticket, body or _("(thư không có nội dung)"), channel="email", attachments=files)
            return f"reply to {ticket.reference}", Outcome.ACCEPTED, ticket
        ticket = create_ticket(
            user, title=subject[:200] or body[:120], body=body or subject, channel="email", attachments=files
        )
        return f"new {ticket.reference}", Outcome.ACCEPTED, ticket
    except PermissionDenied as exc:
        return f"refused: {exc}", Outcome.REJECTED, None
    except ValidationError as exc:
        return "invalid: " + " ".join(exc.messages), Outcome.REJECTED, None


def fetch_directory(path):
    """Ingest every `.eml` file of a directory, or every message of a maildir (with cur/ and new/)."""
    path = Path(path)
    results = []
    if (path / "new").is_dir() and (path / "cur").is_dir():
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in list(box.keys()):
            raw = box.get_bytes(key)
            results.append(ingest_email(parse(raw), raw))
    else:
        for file in sorted(path.glob("*.eml")):
            raw = file.read_bytes()
            results.append(ingest_email(parse(raw), raw))
    return results


def fetch_imap():
    """Ingest the unseen messages of the IMAP folder configured by HOTLINE_IMAP_* and mark them seen."""
    host = conf.get("HOTLINE_IMAP_HOST")
    if not host:
        raise ValueError("HOTLINE_IMAP_HOST is not set")
    results = []
    with imaplib.IMAP4_SSL(host, conf.get("HOTLINE_IMAP_PORT")) as imap:
        imap.login(conf.get("HOTLINE_IMAP_USER"), conf.get("HOTLINE_IMAP_PASSWORD"))
        imap.select(conf.get("HOTLINE_IMAP_FOLDER"))
        _status, data = imap.search(None, "UNSEEN")
        for number in data[0].split():
            _status, parts = imap.fetch(number, "(RFC822)")
            raw = parts[0][1]
            results.append(ingest_email(parse(raw), raw))
            imap.store(number, "+FLAGS", "\\Seen")
    return results
