"""The knowledge loop: handbook records an answer used, and turning a resolved answer into a handbook FAQ draft.

The draft goes through the handbook's own review workflow (`civicdesk.handbook.services.submit_for_review`,
`publish`); once published, the assistant's index picks it up through the handbook's publish hooks.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.handbook import services as handbook_services
from civicdesk.handbook.models import Faq, Guide, Procedure
from civicdesk.kernel.roles import Role

from ..models import HandbookLink, Message, Ticket, TicketEvent
from ..permissions import can_answer, is_team_leader, is_team_member

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


# --- making an answer generic -----------------------------------------------------------------------------------
# A reply is written to one official ("Chào chị Hoa, … Trân trọng, Lê Pháp"); the FAQ is read by everyone. The
# pre-filled draft leaves out the courtesies and the names of the people of the ticket; the expert still reads it.
HONORIFICS = r"(?:anh/chị|anh chị|đồng chí|đ/c|anh|chị|em|ông|bà|cô|chú|bác|bạn)"
_ADDRESSEES = rf"(?:{HONORIFICS}|xã|phường|ubnd|ủy ban|uỷ ban|quý|các|cán bộ)"
_CLAUSE = r"[^\n,.:;!?]{0,80}[,.:;!?]*[ \t]*"
_GREETING = re.compile(
    rf"(?:(?:xin|kính)\s+chào|chào|(?:kính|thân)\s+gửi|(?:gửi|thưa)\s+{_ADDRESSEES}|"
    rf"(?:xin\s+)?cảm\s+ơn\s+{HONORIFICS})(?!\w){_CLAUSE}",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"\s*(?:--\s*$|(?:trân\s+trọng|thân\s+ái|thân\s+mến|kính\s+thư|best\s+regards|regards)(?!\w))",
    re.IGNORECASE,
)
_WELL_WISHING = re.compile(r"\s*(?:xin\s+)?(?:chân\s+thành\s+)?(?:cảm\s+ơn|chúc)(?!\w)", re.IGNORECASE)


def people_names(ticket):
    """The names of the people of a ticket: who asked (or called), who answered, who logged it."""
    people = [ticket.requester, ticket.assignee, ticket.created_by]
    people += [m.author for m in ticket.messages.select_related("author") if m.author_id]
    names = {p.get_full_name().strip() for p in people if p is not None}
    # "Bà Ka Huệ" on a phone log: the name without its title.
    names.add(re.sub(rf"^{HONORIFICS}\s+", "", ticket.caller_name.strip(), flags=re.IGNORECASE))
    return sorted((n for n in names if n), key=len, reverse=True)


def _name_pattern(name):
    """The full name, or the given name after a title ("chị Hoa"), with the title that precedes it."""
    full = re.escape(name)
    given = re.escape(name.split()[-1])
    alternatives = [rf"(?:{HONORIFICS}\s+)?{full}"] if len(name.split()) > 1 else []
    alternatives.append(rf"{HONORIFICS}\s+{given}")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def _sentence_start(text, at):
    before = text[:at].rstrip(" \t")
    return not before or before[-1] in ".!?:\n"


def _without_names(text, names):
    """Each name → "anh/chị" (the reader of an FAQ is any official); a line that is only a name goes."""
    for name in names:
        pattern = _name_pattern(name)
        lines = [ln for ln in text.split("\n") if not pattern.fullmatch(ln.strip(" \t,.;-–"))]
        text = "\n".join(lines)
        text = pattern.sub(lambda m: "Anh/chị" if _sentence_start(m.string, m.start()) else "anh/chị", text)
    return text


def _capitalised(line):
    return line[:1].upper() + line[1:]


def without_courtesies(text):
    """The reply without its greeting ("Chào anh/chị,", "Kính gửi UBND xã…") and its sign-off ("Trân trọng" and
    the signature under it, closing thanks and wishes)."""
    lines = text.strip().split("\n")
    body = []
    for line in lines:
        if not body:
            stripped = line
            while (m := _GREETING.match(stripped.lstrip())) and m.group(0).strip():
                stripped = stripped.lstrip()[m.end() :]
            if not stripped.strip():
                continue
            line = _capitalised(stripped.lstrip()) if stripped != line else line
        elif len(line.strip()) <= 40 and _SIGN_OFF.match(line):
            break  # "Trân trọng," and the signature block below it
        body.append(line)
    while body and (not body[-1].strip() or (len(body[-1]) <= 120 and _WELL_WISHING.match(body[-1]))):
        body.pop()
    return "\n".join(body).strip()


def generic(text, ticket, names=None):
    """`text` of the ticket made fit for the handbook: no courtesies, no names of its people."""
    names = people_names(ticket) if names is None else names
    return _without_names(without_courtesies(text), names).strip()


def default_question(ticket):
    """The starting text of the FAQ question: the title without the people's names."""
    return _without_names(ticket.title, people_names(ticket)).strip()


def default_answer(ticket):
    """The experts' public replies, oldest first, made generic: the starting text of the FAQ answer."""
    replies = ticket.messages.filter(kind=Message.Kind.PUBLIC).select_related("author")
    names = people_names(ticket)
    parts = [generic(m.body, ticket, names) for m in replies if not m.from_commune]
    return "\n\n".join(p for p in parts if p)


def names_in(text, names):
    """The full names among `names` that `text` still contains."""
    return [
        n
        for n in names
        if len(n.split()) > 1 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)
    ]


@transaction.atomic
def create_faq_from_ticket(actor, ticket, *, question, answer, submit=False):
    """One action: a resolved answer becomes a handbook FAQ draft, sent for review only with `submit=True`.

    The FAQ is read by every official: it may not name the people of the ticket (who asked, who answered)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not can_make_faq(actor, ticket):
        raise PermissionDenied(
            _("Chỉ chuyên viên hoặc trưởng nhóm trả lời được đưa câu trả lời vào cẩm nang.")
        )
    if ticket.status not in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        raise ValidationError(_("Chỉ đưa vào cẩm nang câu trả lời của câu hỏi đã giải quyết."))
    if ticket.faq_id:
        raise ValidationError(_("Câu hỏi này đã có bản hỏi đáp trong cẩm nang."))
    if ticket.restricted:
        raise ValidationError(
            _("Người có dữ liệu trong câu hỏi này đã yêu cầu hạn chế xử lý: không đưa câu hỏi vào cẩm nang.")
        )
    people = people_names(ticket)
    named = {
        key: _("Còn tên người: %(names)s. Hãy bỏ trước khi đưa vào cẩm nang.") % {"names": ", ".join(found)}
        for key, text in (("question", question or ""), ("answer", answer or ""))
        if (found := names_in(text, people))
    }
    if named:
        raise ValidationError(named)
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
