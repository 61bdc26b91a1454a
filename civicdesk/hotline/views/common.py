"""Helpers shared by the hotline views: the scoped fetch and the detail page's context."""

from django.shortcuts import get_object_or_404, render

from civicdesk.core import audit
from civicdesk.core.roles import COMMUNE_ROLES

from ..forms import AssignForm, FaqForm, MergeForm, RateForm, ReasonForm, ReplyForm, TransferForm
from ..models import CannedResponse, Message, Ticket, TicketEvent
from ..queries import sla_state
from ..services import knowledge
from ..services.permissions import can_answer, can_manage, is_commune_party, is_team_member
from ..services.tickets import can_reopen, teams_for_transfer

# Timeline entries a commune user sees (internal routing details stay with the experts).
PUBLIC_EVENTS = {
    TicketEvent.Kind.CREATED,
    TicketEvent.Kind.ASSIGNED,
    TicketEvent.Kind.CLAIMED,
    TicketEvent.Kind.TRANSFERRED,
    TicketEvent.Kind.WAITING,
    TicketEvent.Kind.RESOLVED,
    TicketEvent.Kind.CLOSED,
    TicketEvent.Kind.REOPENED,
    TicketEvent.Kind.MERGED,
    TicketEvent.Kind.RATED,
    TicketEvent.Kind.FAQ_CREATED,
}


def add_errors(form, exc):
    """Put a service's ValidationError on the form: per field where the form has it, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def ticket_for(request, pk, *, lock=False):
    """The ticket if the user may see it, else 404 (its existence is not revealed)."""
    qs = Ticket.objects.visible_to(request.user).select_related(
        "commune", "team", "assignee", "requester", "field", "merged_into", "faq", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def detail_context(request, ticket, **forms):
    user = request.user
    staff = can_answer(user, ticket)
    commune_side = is_commune_party(user, ticket)
    messages = ticket.messages.select_related("author").prefetch_related("attachments")
    events = ticket.events.select_related("actor")
    if user.role in COMMUNE_ROLES:
        messages = messages.filter(kind=Message.Kind.PUBLIC)
        events = events.filter(kind__in=PUBLIC_EVENTS)
    if staff and (ticket.caller_name or ticket.caller_phone):
        audit.record_view(user, ticket, fields=["caller_name", "caller_phone"], reason="hotline ticket")
    context = {
        "ticket": ticket,
        "conversation": messages,
        "events": events,
        "ticket_attachments": ticket.attachments.filter(message__isnull=True),
        "links": ticket.handbook_links.all(),
        "sla": sla_state(ticket),
        "staff": staff,
        "commune_side": commune_side,
        "can_manage": can_manage(user, ticket),
        "can_claim": ticket.assignee_id is None and ticket.is_open and is_team_member(user, ticket.team),
        "can_reply": ticket.is_open and (staff or commune_side),
        "can_reopen": (staff or commune_side) and can_reopen(ticket),
        "can_rate": commune_side
        and ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
        and not ticket.rated_at
        and not ticket.merged_into_id,
        "can_make_faq": knowledge.can_make_faq(user, ticket)
        and ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
        and not ticket.faq_id,
        "canned": CannedResponse.objects.filter(team=ticket.team) if staff and ticket.team else [],
        "reply_form": forms.get("reply_form") or ReplyForm(staff=staff),
        "assign_form": forms.get("assign_form") or AssignForm(team=ticket.team),
        "transfer_form": forms.get("transfer_form") or TransferForm(teams=teams_for_transfer(ticket)),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "reopen_form": forms.get("reopen_form") or ReasonForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "faq_form": forms.get("faq_form")
        or FaqForm(
            initial={"question": ticket.title, "answer": knowledge.default_answer(ticket), "submit": True}
        ),
    }
    return context


def render_detail(request, ticket, status=200, **forms):
    return render(request, "hotline/detail.html", detail_context(request, ticket, **forms), status=status)
