"""Personal data protection on the hotline (issue 21): pseudonymise a ticket's caller and the numbers in its texts
(past the province's retention period, or at the request of a person it is about), restrict a ticket.

The privacy app reaches these through the source in `hotline/privacy.py`. Each runs in one transaction, checks the
actor (the commune that asked, or the province desk), and audits counts, never values.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import is_system
from civicdesk.kernel.personal_data import HIDDEN, mask, pseudonym, subject_identifier

from ..models import Message, Ticket
from ..permissions import is_commune_party, is_province_desk

# Free texts in which a caller or a citizen may have been written down: numbers and addresses are masked (names in
# running text cannot be found by a pattern; docs/privacy.md).
TEXTS = ("title", "body", "conversation_transcript", "csat_reason")


def _require(actor, tickets):
    if is_system(actor):
        return
    for ticket in tickets:
        if not (is_commune_party(actor, ticket) or is_province_desk(actor, ticket.province_id)):
            raise PermissionDenied(
                _("Chỉ cán bộ xã đã hỏi hoặc tổng đài của tỉnh được xử lý dữ liệu của câu hỏi này.")
            )


@transaction.atomic
def pseudonymise_tickets(actor, ids, *, reason):
    """The tickets `ids` not pseudonymised yet: caller's name → pseudonym, caller's phone blanked, CCCD and phone
    numbers and e-mail addresses masked in the texts and the conversation. The field, commune, channel, dates,
    status, SLA and satisfaction score stay. Returns how many changed."""
    tickets = list(
        Ticket.objects.select_for_update().filter(pk__in=ids, pseudonymised_at__isnull=True).order_by("pk")
    )
    _require(actor, tickets)
    now = timezone.now()
    for ticket in tickets:
        if ticket.caller_name or ticket.caller_phone:
            ticket.caller_name = pseudonym(
                subject_identifier("", ticket.caller_phone, f"hotline.ticket:{ticket.pk}")
            )
        ticket.caller_phone = ""
        for name in TEXTS:
            setattr(ticket, name, mask(getattr(ticket, name), HIDDEN))
        ticket.pseudonymised_at = now
    Ticket.objects.bulk_update(
        tickets, ["caller_name", "caller_phone", *TEXTS, "pseudonymised_at"], batch_size=500
    )
    done = [t.pk for t in tickets]
    messages = list(Message.objects.filter(ticket_id__in=done))
    for message in messages:
        message.body = mask(message.body, HIDDEN)
    Message.objects.bulk_update(messages, ["body"], batch_size=500)
    audit.record_pseudonymised(actor, "hotline.ticket", done, reason=reason)
    return len(done)


@transaction.atomic
def set_restricted(actor, ids, restricted, *, reason=""):
    """Mark the tickets `ids` restricted (or lift it): they are not turned into handbook FAQs. Returns the count."""
    tickets = list(Ticket.objects.select_for_update().filter(pk__in=ids).exclude(restricted=restricted))
    _require(actor, tickets)
    for ticket in tickets:
        ticket.restricted = restricted
        audit.record(
            actor,
            audit.Action.UPDATE,
            ticket,
            changes={"restricted": [not restricted, restricted]},
            reason=reason,
        )
    Ticket.objects.bulk_update(tickets, ["restricted"])
    return len(tickets)
