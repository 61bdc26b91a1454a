"""POST actions on a ticket. Each fetches the ticket through `visible_to` (404), lets the service decide 403,
and on invalid input sends back what was typed with the errors in place (400): with htmx the part of the page the
form lives in, without JavaScript the whole ticket page, with a note at its top pointing to the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from civicdesk.assistant.search import search

from .. import services
from ..forms import AssignForm, FaqForm, LanguageForm, MergeForm, RateForm, ReasonForm, ReplyForm
from ..models import HandbookLink, Ticket
from ..permissions import can_answer
from ..services import knowledge
from .common import add_errors, detail_context, render_detail, ticket_for, transfer_form

# The partial each form lives in (the others are in the actions card).
PARTIALS = {"reply_form": "hotline/includes/conversation.html", "faq_form": "hotline/includes/faq.html"}


def _invalid(request, ticket, exc=None, **forms):
    if exc is not None:
        form = next(iter(forms.values()), None)
        if form is not None:
            add_errors(form, exc)
        else:
            messages.error(request, " ".join(exc.messages))
            if request.htmx:
                return HttpResponseClientRedirect(ticket.get_absolute_url())  # the message shows on the page
    if request.htmx:
        template = PARTIALS.get(next(iter(forms), ""), "hotline/includes/actions.html")
        return render(request, template, detail_context(request, ticket, **forms), status=400)
    return render_detail(request, ticket, status=400, **forms)


def _done(request, to):
    """After a change most of the page differs: htmx loads the page anew (the flash message shows there)."""
    url = resolve_url(to)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def claim(request, pk):
    ticket = ticket_for(request, pk)
    try:
        services.claim(request.user, ticket)
    except services.AlreadyClaimed as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(ticket)
    messages.success(request, _("Anh/chị đã nhận xử lý câu hỏi này."))
    return redirect(ticket)


@login_required
@require_POST
def assign(request, pk):
    ticket = ticket_for(request, pk)
    form = AssignForm(request.POST, team=ticket.team)
    if not form.is_valid():
        return _invalid(request, ticket, assign_form=form)
    try:
        services.assign(
            request.user, ticket, form.cleaned_data["assignee"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        return _invalid(request, ticket, exc, assign_form=form)
    messages.success(request, _("Đã phân công."))
    return _done(request, ticket)


@login_required
@require_POST
def transfer(request, pk):
    """Transfer to another team, or triage a question without a team; the field may be set on the way."""
    ticket = ticket_for(request, pk)
    if not can_answer(request.user, ticket):
        raise PermissionDenied(_("Bạn không được chuyển câu hỏi này."))
    form = transfer_form(ticket, request.POST)
    if not form.is_valid():
        return _invalid(request, ticket, transfer_form=form)
    data = form.cleaned_data
    try:
        ticket = services.transfer(
            request.user, ticket, data["team"], reason=data["reason"], field=data["field"]
        )
    except ValidationError as exc:
        return _invalid(request, ticket, exc, transfer_form=form)
    messages.success(request, _("Đã chuyển sang %(team)s.") % {"team": ticket.team})
    # After a transfer the expert may no longer see the ticket.
    if not Ticket.objects.visible_to(request.user).filter(pk=ticket.pk).exists():
        return _done(request, "hotline:list")
    return _done(request, ticket)


@login_required
@require_POST
def reply(request, pk):
    ticket = ticket_for(request, pk)
    staff = can_answer(request.user, ticket)
    form = ReplyForm(request.POST, request.FILES, staff=staff)
    if form.is_valid():
        try:
            services.reply(
                request.user,
                ticket,
                form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
                then=form.cleaned_data.get("then") or None,
                attachments=form.cleaned_data.get("attachments") or [],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            form = None
    ticket = ticket_for(request, pk)
    if request.htmx:
        context = detail_context(request, ticket, **({"reply_form": form} if form is not None else {}))
        return render(request, "hotline/includes/conversation.html", context, status=400 if form else 200)
    if form is not None:
        return render_detail(request, ticket, status=400, reply_form=form)
    messages.success(request, _("Đã gửi."))
    return redirect(ticket)


@login_required
@require_POST
def resolve(request, pk):
    ticket = ticket_for(request, pk)
    try:
        services.resolve(request.user, ticket, note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        return _invalid(request, ticket, exc)
    messages.success(request, _("Đã đánh dấu câu hỏi là đã giải quyết."))
    return redirect(ticket)


@login_required
@require_POST
def close(request, pk):
    ticket = ticket_for(request, pk)
    try:
        services.close(request.user, ticket)
    except ValidationError as exc:
        return _invalid(request, ticket, exc)
    messages.success(request, _("Đã đóng câu hỏi."))
    return redirect(ticket)


@login_required
@require_POST
def reopen(request, pk):
    ticket = ticket_for(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, ticket, reopen_form=form)
    try:
        services.reopen(request.user, ticket, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _invalid(request, ticket, exc, reopen_form=form)
    messages.success(request, _("Đã mở lại câu hỏi."))
    return _done(request, ticket)


@login_required
@require_POST
def merge(request, pk):
    ticket = ticket_for(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, ticket, merge_form=form)
    target = Ticket.objects.visible_to(request.user).filter(pk=form.cleaned_data["target"]).first()
    if target is None:
        form.add_error("target", _("Không tìm thấy câu hỏi này."))
        return _invalid(request, ticket, merge_form=form)
    try:
        services.merge(request.user, ticket, target, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _invalid(request, ticket, exc, merge_form=form)
    messages.success(request, _("Đã gộp vào %(ref)s.") % {"ref": target.reference})
    return _done(request, target)


@login_required
@require_POST
def rate(request, pk):
    ticket = ticket_for(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _invalid(request, ticket, rate_form=form)
    try:
        services.rate(
            request.user, ticket, score=form.cleaned_data["score"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        return _invalid(request, ticket, exc, rate_form=form)
    messages.success(request, _("Cảm ơn anh/chị đã đánh giá."))
    return _done(request, ticket)


@login_required
@require_POST
def language(request, pk):
    """Record or correct the language the citizen was served in and whether an interpreter helped."""
    ticket = ticket_for(request, pk)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _invalid(request, ticket, language_form=form)
    try:
        services.set_language_service(request.user, ticket, **form.cleaned_data)
    except ValidationError as exc:
        return _invalid(request, ticket, exc, language_form=form)
    messages.success(request, _("Đã lưu ngôn ngữ phục vụ của câu hỏi."))
    return _done(request, ticket)


@login_required
@require_POST
def link(request, pk):
    ticket = ticket_for(request, pk)
    record = knowledge.find_record(request.POST.get("kind", ""), request.POST.get("key", ""))
    if record is None:
        raise Http404
    services.link_record(request.user, ticket, record)
    messages.success(request, _("Đã gắn “%(title)s”.") % {"title": record.title})
    return redirect(ticket)


@login_required
@require_POST
def unlink(request, pk, link_id):
    ticket = ticket_for(request, pk)
    services.unlink_record(request.user, get_object_or_404(HandbookLink, pk=link_id, ticket=ticket))
    return redirect(ticket)


@login_required
def link_search(request, pk):
    """htmx: handbook records matching the expert's search, each with a button to link it."""
    ticket = ticket_for(request, pk)
    if not can_answer(request.user, ticket):
        raise Http404
    query = request.GET.get("q", "").strip()[:300]
    hits = search(query, limit=8) if query else []
    results = [{"hit": h, "kind": h.id.split(":", 1)[0], "key": h.id.split(":", 1)[1]} for h in hits]
    return render(
        request, "hotline/includes/link_results.html", {"ticket": ticket, "results": results, "q": query}
    )


@login_required
@require_POST
def make_faq(request, pk):
    ticket = ticket_for(request, pk)
    form = FaqForm(request.POST)
    if not form.is_valid():
        return _invalid(request, ticket, faq_form=form)
    submit = form.cleaned_data["submit"]
    try:
        faq = services.create_faq_from_ticket(
            request.user,
            ticket,
            question=form.cleaned_data["question"],
            answer=form.cleaned_data["answer"],
            submit=submit,
        )
    except ValidationError as exc:
        return _invalid(request, ticket, exc, faq_form=form)
    if submit:
        text = _("Đã tạo bản nháp hỏi đáp “%(q)s” trong cẩm nang và gửi duyệt.")
    else:
        text = _(
            "Đã tạo bản nháp hỏi đáp “%(q)s” trong cẩm nang. Xem lại rồi gửi duyệt từ trang của bản nháp."
        )
    messages.success(request, text % {"q": faq.question})
    return _done(request, ticket)
