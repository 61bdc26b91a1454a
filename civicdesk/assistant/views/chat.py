from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from civicdesk.core import throttle
from civicdesk.core.clients import client_ip
from civicdesk.kernel.registry import registry

from .. import conf, queries, services
from ..forms import AskForm, FeedbackForm
from ..models import Conversation, Feedback, Turn
from ..permissions import can_see_gaps

PUBLIC_SESSION_KEY = "assistant_public_turns"


def escalation_link(user, turn):
    """Where this turn can be taken further (the hotline's intake page, pre-filled from the turn), or ""."""
    return registry.escalation_url(user, turn=turn.pk)


def _decorate(turns, user=None, *, public=False):
    unhelpful = set()
    if user is not None and user.is_authenticated and not public:
        unhelpful = set(
            Feedback.objects.filter(turn__in=turns, user=user, helpful=False).values_list(
                "turn_id", flat=True
            )
        )
    for turn in turns:
        turn.hotline_link = "" if public else escalation_link(user, turn)
        turn.unhelpful = turn.pk in unhelpful  # rated unhelpful: the way to the hotline stays on the page
        turn.feedback_form = FeedbackForm()
    return turns


@login_required
def chat(request):
    conversation = None
    if request.GET.get("c"):
        conversation = get_object_or_404(Conversation.objects.visible_to(request.user), pk=request.GET["c"])
    form = AskForm(request.POST or None, initial={"q": request.GET.get("q", "")})
    if request.method == "POST":
        if request.POST.get("conversation"):
            conversation = get_object_or_404(
                Conversation.objects.visible_to(request.user), pk=request.POST["conversation"]
            )
        if form.is_valid():
            try:
                turn, _response = services.ask(
                    request.user, form.cleaned_data["q"], conversation=conversation
                )
            except ValidationError as exc:
                form.add_error("q", exc)
            else:
                if request.htmx:
                    return render(request, "assistant/includes/turn.html",
                                  {"turn": _decorate([turn], request.user)[0], "public": False, "oob_conversation": turn.conversation})  # fmt: skip
                return redirect(f"{reverse('assistant:chat')}?c={turn.conversation_id}#turn-{turn.pk}")
        if request.htmx:
            return _form_in_place(request, form, conversation=conversation, public=False)
    turns = _decorate(list(conversation.turns.all()), request.user) if conversation else []
    context = {
        "form": form,
        "conversation": conversation,
        "turns": turns,
        "conversations": queries.recent_conversations(request.user),
        "public": False,
        "oob_conversation": None,
        "can_see_gaps": can_see_gaps(request.user),
    }
    return render(request, "assistant/chat.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def choose(request, turn_id):
    """A clarification's choice: the full answer from the chosen record, in place of the choices."""
    turn = get_object_or_404(Turn.objects.filter(user=request.user, channel=Turn.Channel.STAFF), pk=turn_id)
    return _choose(request, turn, public=False)


def _choose(request, turn, *, public):
    try:
        services.choose(request.user if not public else None, turn, request.POST.get("record", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return render(request, "assistant/includes/turn.html",
                      {"turn": _decorate([turn], request.user, public=public)[0], "public": public, "oob_conversation": None})  # fmt: skip
    if public:
        return redirect(f"{reverse('assistant:public')}?turn={turn.pk}#turn-{turn.pk}")
    return redirect(f"{reverse('assistant:chat')}?c={turn.conversation_id}#turn-{turn.pk}")


@login_required
@require_POST
def feedback(request, turn_id):
    turn = get_object_or_404(Turn.objects.filter(user=request.user, channel=Turn.Channel.STAFF), pk=turn_id)
    return _feedback(request, turn, public=False)


def _feedback(request, turn, *, public):
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.give_feedback(
                request.user if not public else None, turn, helpful=form.cleaned_data["helpful"],
                reasons=form.cleaned_data["reasons"], comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        turn.feedback_form = form
        turn.hotline_link = "" if public else escalation_link(request.user, turn)
        return render(
            request, "assistant/includes/feedback.html", {"turn": turn, "public": public}, status=400
        )
    if request.htmx:
        turn.hotline_link = "" if public else escalation_link(request.user, turn)
        helpful = form.cleaned_data["helpful"]
        return render(request, "assistant/includes/feedback_done.html", {"turn": turn, "helpful": helpful})
    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    if public:
        return redirect("assistant:public")
    return redirect(f"{reverse('assistant:chat')}?c={turn.conversation_id}#turn-{turn.pk}")


def public_chat(request):
    """Citizens' page: no login, answers only from published content, no hotline escalation."""
    form = AskForm(request.POST or None)
    turn = None
    status = 200
    if request.method == "POST" and form.is_valid() and _public_limited(request):
        form.add_error(
            "q",
            _(
                "Địa chỉ của bạn đã hỏi nhiều câu trong ít phút. Hãy thử lại sau %(n)s phút; câu hỏi vẫn được giữ."
            )
            % {"n": conf.PUBLIC_WINDOW_SECONDS // 60},
        )
        status = 429
    if request.method == "POST" and form.is_valid():
        try:
            turn, _response = services.ask(None, form.cleaned_data["q"], channel=Turn.Channel.PUBLIC)
        except ValidationError as exc:
            form.add_error("q", exc)
        else:
            mine = request.session.get(PUBLIC_SESSION_KEY, [])[-49:]
            request.session[PUBLIC_SESSION_KEY] = [*mine, turn.pk]
            _decorate([turn], public=True)
            if request.htmx:
                return render(request, "assistant/includes/turn.html",
                              {"turn": turn, "public": True, "oob_conversation": None})  # fmt: skip
            form = AskForm()
    elif request.method == "GET" and request.GET.get("turn", "").isdigit():
        # Back from a choice made without JavaScript: show that turn again (only one of this browser's own).
        turn_id = int(request.GET["turn"])
        if turn_id in request.session.get(PUBLIC_SESSION_KEY, []):
            turn = Turn.objects.filter(channel=Turn.Channel.PUBLIC, pk=turn_id).first()
            if turn is not None:
                _decorate([turn], public=True)
    context = {"form": form, "turn": turn, "public": True, "oob_conversation": None}
    if form.errors and request.htmx:
        return _form_in_place(request, form, conversation=None, public=True)
    if form.errors and status == 200:
        status = 400
    return render(request, "assistant/public.html", context, status=status)


def _form_in_place(request, form, *, conversation, public):
    """A refused question, for htmx: the form again with its error and the question kept, in place of the form.

    htmx does not swap a 4xx answer, so without this an empty or refused question showed nothing at all."""
    response = render(
        request,
        "assistant/includes/ask_form.html",
        {"form": form, "conversation": conversation, "public": public},
    )
    return reswap(retarget(response, "#ask-form"), "outerHTML")


def _public_limited(request):
    """The public page answers anyone: one address gets `ASSISTANT_PUBLIC_LIMIT` questions per 10 minutes."""
    key = f"assistant-public:{client_ip(request)}"
    return throttle.attempt(key, conf.PUBLIC_WINDOW_SECONDS) > conf.public_limit()


@require_POST
def public_choose(request, turn_id):
    if turn_id not in request.session.get(PUBLIC_SESSION_KEY, []):
        raise PermissionDenied
    turn = get_object_or_404(Turn.objects.filter(channel=Turn.Channel.PUBLIC), pk=turn_id)
    return _choose(request, turn, public=True)


@require_POST
def public_feedback(request, turn_id):
    if turn_id not in request.session.get(PUBLIC_SESSION_KEY, []):
        raise PermissionDenied
    turn = get_object_or_404(Turn.objects.filter(channel=Turn.Channel.PUBLIC), pk=turn_id)
    return _feedback(request, turn, public=True)


@login_required
def gaps(request):
    if not can_see_gaps(request.user):
        raise PermissionDenied
    days = request.GET.get("days", "")
    days = int(days) if days.isdigit() else None
    context = {"groups": queries.gaps(request.user, days=days), "days": days,
               "stats": queries.stats(request.user)}  # fmt: skip
    template = "assistant/includes/gap_groups.html" if request.htmx else "assistant/gaps.html"
    return render(request, template, context)


@login_required
@require_POST
def rebuild(request):
    job = services.start_rebuild(request.user)
    return redirect("job_detail", job_id=job.pk)
