"""Queues, filing a question (with handbook suggestions while typing), the ticket page, attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civicdesk.assistant.queries import escalation
from civicdesk.assistant.search import search
from civicdesk.handbook.models import Field
from civicdesk.kernel.roles import COMMUNE_ROLES

from .. import queries, services
from ..channels.messaging import guess_field
from ..forms import PhoneTicketForm, TicketForm
from ..models import Attachment
from ..permissions import COMMUNE_ACTORS, is_province_admin_of, is_province_desk
from .common import add_errors, render_detail, ticket_for


@login_required
def ticket_list(request):
    user = request.user
    counts = queries.queue_counts(user)
    queues = [(key, label, counts[key]) for key, label in queries.queues_for(user)]
    chosen = request.GET.get("queue")
    key = chosen if chosen in counts else queries.landing_queue(user, counts)
    tickets = queries.queue(user, key)
    search = request.GET.get("q", "").strip()
    if search:
        tickets = tickets.filter(title__icontains=search)
    page = Paginator(tickets, 30).get_page(request.GET.get("page"))
    context = {
        "queues": queues,
        "queue": key,
        "page": page,
        "q": search,
        "can_file": user.role in COMMUNE_ACTORS,
        "can_log_call": is_province_desk(user, user.province_id),
        "can_configure": is_province_admin_of(user, user.province_id),
        "is_desk": is_province_desk(user, user.province_id),
        "is_expert": user.role in ("department_expert", "home_affairs_planner"),
        "is_commune": user.role in COMMUNE_ROLES,
    }
    template = "hotline/includes/ticket_rows.html" if request.htmx else "hotline/list.html"
    return render(request, template, context)


def _create(request, form, **extra):
    data = form.cleaned_data
    return services.create_ticket(
        request.user,
        title=data["title"],
        body=data["body"],
        field=data["field"],
        urgency=data["urgency"],
        attachments=data.get("attachments") or [],
        served_language=data.get("served_language", ""),
        interpreter_used=data.get("interpreter_used", False),
        **extra,
    )


def _prefill(request):
    """The form's initial values: from an assistant turn (?turn=<id>: the question, the answer given, the field
    of the record it came from), or from ?question=…&conversation=…; the field is guessed from the question
    when nothing better is known."""
    turn = request.GET.get("turn", "")
    data = escalation(turn, request.user) if turn else None
    if data is not None:
        question = data["question"]
        body = f"{question}\n\n{_('Trợ lý cẩm nang đã trả lời:')}\n{data['answer']}"
        field = Field.objects.filter(name=data["topic"]).first() if data["topic"] else None
        conversation = ""  # the question and the answer are in the body already
    else:
        question = request.GET.get("question", "").strip()[:2000]
        body, field, conversation = question, None, request.GET.get("conversation", "")[:64]
    if field is None and question:
        field = guess_field(question)
    initial = {"title": question[:200], "body": body, "field": field, "conversation": conversation}
    return initial, data is not None or bool(conversation)


@login_required
def ticket_new(request):
    """A commune official files a question; ?turn=<id> (or ?question=…&conversation=…) comes from the assistant.

    With htmx the compact form is returned (the assistant shows it in place, under an answer rated unhelpful) and a
    successful post answers with the ticket's reference instead of a redirect."""
    if request.user.role not in COMMUNE_ACTORS:
        raise PermissionDenied(_("Chỉ cán bộ cấp xã gửi câu hỏi lên đường dây nóng."))
    inline = bool(request.htmx)
    if request.method == "POST":
        form = TicketForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ticket = _create(request, form, conversation_id=form.cleaned_data["conversation"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if inline:
                    return render(request, "hotline/includes/escalate_done.html", {"ticket": ticket})
                messages.success(
                    request,
                    _("Đã gửi câu hỏi %(ref)s. Anh/chị sẽ nhận thư khi có trả lời.")
                    % {"ref": ticket.reference},
                )
                return redirect(ticket)
        if inline:
            return render(request, "hotline/includes/escalate_form.html", {"form": form}, status=400)
        return render(request, "hotline/new.html", {"form": form, "suggestions": []}, status=400)
    initial, from_assistant = _prefill(request)
    form = TicketForm(initial=initial)
    if inline:
        return render(request, "hotline/includes/escalate_form.html", {"form": form})
    return render(
        request,
        "hotline/new.html",
        {"form": form, "suggestions": _suggestions(initial["title"]), "from_assistant": from_assistant},
    )


def _suggestions(text):
    text = (text or "").strip()
    return search(text, limit=5) if len(text) >= 6 else []


@login_required
def suggest(request):
    """htmx: the top handbook answers for what the official is typing (most questions should end here)."""
    text = " ".join(filter(None, [request.GET.get("title", ""), request.GET.get("body", "")]))[:500]
    return render(request, "hotline/includes/suggestions.html", {"suggestions": _suggestions(text)})


@login_required
def phone_log(request):
    """The hotline operator logs a phone call as a ticket for the caller's commune."""
    user = request.user
    if not is_province_desk(user, user.province_id):
        raise PermissionDenied(_("Chỉ tổng đài viên, quản trị cấp tỉnh ghi cuộc gọi."))
    form = PhoneTicketForm(request.POST or None, request.FILES or None, province_id=user.province_id)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = _create(
                    request,
                    form,
                    commune=data["commune"],
                    requester=data["requester"],
                    caller_name=data["caller_name"]
                    or (data["requester"].get_full_name() if data["requester"] else ""),
                    caller_phone=data["caller_phone"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request, _("Đã ghi cuộc gọi thành câu hỏi %(ref)s.") % {"ref": ticket.reference}
                )
                return redirect(ticket)
        return render(request, "hotline/phone.html", {"form": form}, status=400)
    return render(request, "hotline/phone.html", {"form": form})


@login_required
def ticket_detail(request, pk):
    return render_detail(request, ticket_for(request, pk))


@login_required
def attachment_download(request, pk, attachment_id):
    ticket = ticket_for(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, ticket=ticket)
    if attachment.message_id and attachment.message.kind != "public" and request.user.role in COMMUNE_ROLES:
        raise Http404  # an internal note's file: the commune does not know it exists
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
