"""The knowledge loop: handbook records an answer used, and turning a resolved answer into a handbook FAQ draft.

The draft goes through the handbook's own review workflow (`civicdesk.handbook.services.submit_for_review`,
`publish`); once published, the assistant's index picks it up through the handbook's publish hooks.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.roles import Role
from civicdesk.handbook import services as handbook_services
from civicdesk.handbook.models import Faq, Guide, Procedure

from ..models import HandbookLink, Message, Ticket, TicketEvent
from .permissions import can_answer, is_team_leader, is_team_member

MODELS = {"procedure": (Procedure, "code"), "guide": (Guide, "slug"), "faq": (Faq, "slug")}


def find_record(kind, key):
    """A published handbook record by kind and key ("procedure", "HT-001"); None if there is none."""
    if kind not in MODELS:
        return None
    model, key_field = MODELS[kind]
    return model.objects.published().filter(**{key_field: key}).first()


@transaction.atomic
def link_record(actor, ticket, record, now=None):
    """Note that the answer relied on a handbook record (shown to the commune with the answer)."""
    if not can_answer(actor, ticket):
        raise PermissionDenied(_("Chỉ chuyên viên trả lời được gắn tài liệu cẩm nang."))
    link, created = HandbookLink.objects.get_or_create(
        ticket=ticket,
        kind=record.kind,
        object_id=record.pk,
        defaults={"title": str(record.title)[:400], "url": record.get_absolute_url(), "added_by": actor},
    )
    if created:
        TicketEvent.objects.create(
            ticket=ticket,
            actor=actor,
            kind=TicketEvent.Kind.LINKED,
            note=link.title,
            at=now or timezone.now(),
        )
        audit.record(
            actor, audit.Action.UPDATE, ticket, changes={"handbook_link": f"{record.kind}:{record.pk}"}
        )
    return link


@transaction.atomic
def unlink_record(actor, link):
    if not can_answer(actor, link.ticket):
        raise PermissionDenied(_("Chỉ chuyên viên trả lời được bỏ gắn tài liệu."))
    audit.record(
        actor, audit.Action.UPDATE, link.ticket, changes={"handbook_unlink": f"{link.kind}:{link.object_id}"}
    )
    link.delete()


def can_make_faq(user, ticket):
    """Experts of the team (and its leader) turn their resolved answers into handbook content."""
    return (
        is_team_member(user, ticket.team)
        or is_team_leader(user, ticket.team)
        or ticket.assignee_id == user.pk
    ) and user.role in (Role.DEPARTMENT_EXPERT, Role.PROVINCE_ADMIN)


def default_answer(ticket):
    """The experts' public replies, oldest first: the starting text of the FAQ answer."""
    replies = ticket.messages.filter(kind=Message.Kind.PUBLIC).select_related("author")
    return "\n\n".join(m.body for m in replies if not m.from_commune)


@transaction.atomic
def create_faq_from_ticket(actor, ticket, *, question, answer, submit=True):
    """One action: a resolved answer becomes a handbook FAQ draft (sent for review unless `submit=False`)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not can_make_faq(actor, ticket):
        raise PermissionDenied(
            _("Chỉ chuyên viên hoặc trưởng nhóm trả lời được đưa câu trả lời vào cẩm nang.")
        )
    if ticket.status not in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        raise ValidationError(_("Chỉ đưa vào cẩm nang câu trả lời của câu hỏi đã giải quyết."))
    if ticket.faq_id:
        raise ValidationError(_("Câu hỏi này đã có bản hỏi đáp trong cẩm nang."))
    links = list(ticket.handbook_links.all())
    procedures = list(
        Procedure.objects.filter(pk__in=[lk.object_id for lk in links if lk.kind == "procedure"])
    )
    sources = [p.code for p in procedures]
    sources += [lk.title for lk in links if lk.kind == "guide"]
    sources.append(_("Đường dây nóng CivicDesk, câu hỏi %(ref)s") % {"ref": ticket.reference})
    if actor.role == Role.DEPARTMENT_EXPERT:
        department = actor.department
    else:
        department = ticket.team.department if ticket.team and ticket.team.department_id else None
    faq = handbook_services.create_faq_draft(
        actor,
        question=(question or "").strip(),
        answer=(answer or "").strip(),
        field=ticket.field,
        sources=sources,
        related_procedures=procedures,
        department=department,
    )
    if submit:
        handbook_services.submit_for_review(actor, faq)
    ticket.faq = faq
    ticket.save(update_fields=["faq", "updated_at"])
    TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=TicketEvent.Kind.FAQ_CREATED, note=faq.question, at=timezone.now()
    )
    audit.record(actor, audit.Action.UPDATE, ticket, changes={"faq": faq.pk})
    return faq
