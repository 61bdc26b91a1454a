"""Helpers shared by the hotline views: the scoped fetch and the detail page's context."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from civicdesk.core import audit
from civicdesk.kernel.roles import COMMUNE_ROLES

from ..channels.messaging import guess_field
from ..forms import (
    AssignForm,
    FaqForm,
    LanguageForm,
    MergeForm,
    RateForm,
    ReasonForm,
    ReplyForm,
    TransferForm,
)
from ..models import CannedResponse, Message, Ticket, TicketEvent
from ..permissions import can_answer, can_manage, is_commune_party, is_team_member
from ..queries import sla_state
from ..services import knowledge
from ..services.language import can_set_language
from ..services.routing import routing_table
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


# Where each form of the ticket page sits (the id of its section) and what it is called, for the note at the top of
# the page that points to a form the server sent back with errors.
FORM_PLACES = {
    "reply_form": ("reply", _("Trả lời")),
    "assign_form": ("assign", _("Phân công")),
    "transfer_form": ("transfer", _("Chuyển nhóm khác")),
    "merge_form": ("merge", _("Gộp câu hỏi trùng")),
    "reopen_form": ("reopen", _("Mở lại câu hỏi")),
    "rate_form": ("rate", _("Đánh giá câu trả lời")),
    "faq_form": ("faq", _("Đưa câu trả lời vào cẩm nang")),
    "language_form": ("language", _("Ngôn ngữ phục vụ")),
}


def transfer_form(ticket, data=None):
    """Transfer — or triage, for a question without a team: the field list says where each field is routed."""
    triage = ticket.team_id is None
    routes = {row["field"].pk: row["team"] for row in routing_table(ticket.province)}
    initial = {"field": ticket.field_id}
    if triage and ticket.field_id is None and data is None:
        # A first guess from the handbook (as for questions coming from Zalo or e-mail); the operator checks it.
        guess = guess_field(f"{ticket.title} {ticket.body}"[:500])
        initial["field"] = getattr(guess, "pk", None)
    form = TransferForm(data, teams=teams_for_transfer(ticket), routes=routes, triage=triage, initial=initial)
    if initial["field"] and not ticket.field_id:
        form.fields["field"].help_text = _("Gợi ý theo nội dung câu hỏi — kiểm tra lại trước khi phân loại.")
    return form


def _failed(forms):
    """The first form sent back with errors: its section id, name and messages."""
    for key, form in forms.items():
        if form is not None and form.errors and key in FORM_PLACES:
            anchor, label = FORM_PLACES[key]
            if key == "transfer_form" and not form.fields["reason"].required:
                label = _("Phân loại")
            messages = [str(m) for errors in form.errors.values() for m in errors]
            return {"anchor": anchor, "label": label, "messages": messages}
    return None


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
    can_make_faq = (
        knowledge.can_make_faq(user, ticket)
        and ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
        and not ticket.faq_id
        and not ticket.restricted
    )
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
        "can_make_faq": can_make_faq,
        "triage": ticket.team_id is None and ticket.is_open,
        "canned": CannedResponse.objects.filter(team=ticket.team) if staff and ticket.team else [],
        "failed": _failed(forms),
        "reply_form": forms.get("reply_form") or ReplyForm(staff=staff),
        "assign_form": forms.get("assign_form") or AssignForm(team=ticket.team),
        "transfer_form": forms.get("transfer_form")
        or (transfer_form(ticket) if staff and ticket.is_open else None),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "can_set_language": can_set_language(user, ticket),
        "language_form": forms.get("language_form")
        or LanguageForm(
            initial={"served_language": ticket.served_language, "interpreter_used": ticket.interpreter_used}
        ),
        "reopen_form": forms.get("reopen_form") or ReasonForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "faq_form": forms.get("faq_form")
        or (
            FaqForm(
                initial={
                    "question": knowledge.default_question(ticket),
                    "answer": knowledge.default_answer(ticket),
                }
            )
            if can_make_faq
            else None
        ),
    }
    return context


def render_detail(request, ticket, status=200, **forms):
    return render(request, "hotline/detail.html", detail_context(request, ticket, **forms), status=status)
