"""Working a list: "my list" (who to contact next) and one citizen's page — what may be done on which channel and
why not, the call script from the handbook, the attempt form, messages, consent, do-not-contact, the dossier link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import audit
from civicdesk.kernel.phones import national

from .. import permissions, services
from ..forms import AttemptForm, ConsentForm, DoNotContactForm, LinkForm, MessageForm, add_service_errors
from ..models import ContactChannel, MessageTemplate, Target
from ..rules import contactable_channels, in_force


@login_required
def worklist(request):
    user = request.user
    rows = (
        Target.objects.visible_to(user)
        .filter(assignee=user)
        .open()
        .select_related("person", "person__hamlet", "campaign")
        .order_by(F("next_action_at").asc(nulls_first=True), "pk")
    )
    now = timezone.now()
    rows = list(rows[:500])
    with_phone = [t for t in rows if t.person.phone]
    if with_phone:  # the list shows each citizen's number, to call it with one tap
        audit.record_view(
            user,
            with_phone[0].campaign,
            fields=["phone"],
            reason=_("danh sách của tôi: %(n)s người") % {"n": len(with_phone)},
        )
    for target in rows:
        target.phone_display = national(target.person.phone) if target.person.phone else ""
    return render(
        request,
        "outreach/worklist.html",
        {
            "due": [t for t in rows if t.next_action_at is None or t.next_action_at <= now],
            "later": [t for t in rows if t.next_action_at is not None and t.next_action_at > now],
        },
    )


def _target(request, pk):
    return get_object_or_404(
        Target.objects.visible_to(request.user).select_related(
            "campaign", "person", "person__hamlet", "commune", "assignee", "dossier", "procedure"
        ),
        pk=pk,
    )


def _scripts(request, target):
    """The call script — the handbook record of the target's procedure (else the campaign's first), or of the one
    the officer picks among the campaign's (?script=CODE) — and the others to pick from."""
    choices = list(target.campaign.procedures.order_by("code"))
    if target.procedure is not None and target.procedure not in choices:
        choices.insert(0, target.procedure)
    picked = request.GET.get("script", "")
    script = (
        next((p for p in choices if p.code == picked), None)
        or target.procedure
        or (choices[0] if choices else None)
    )
    return script, [p for p in choices if p != script]


def _channels(target):
    """[(code, label, reasons, blocked)] per channel, and the reasons shared by every channel (said once, above)."""
    found = contactable_channels(target.person, target=target)
    shared = set.intersection(*({(b.code, b.message) for b in reasons} for reasons in found.values()))
    common = [b for b in found[ContactChannel.PHONE] if (b.code, b.message) in shared]
    rows = [
        (code, label, [b for b in found[code] if (b.code, b.message) not in shared], bool(found[code]))
        for code, label in ContactChannel.choices
    ]
    return rows, common


def _templates(user, target):
    return (
        MessageTemplate.objects.visible_to(user)
        .filter(is_active=True)
        .filter(Q(commune__isnull=True) | Q(commune=target.commune))
    )


def _page(request, target, **forms):
    user = request.user
    can_work = permissions.can_work_target(user, target)
    can_run = permissions.can_run_commune(user, target.commune)
    channels, common = _channels(target)
    script, other_scripts = _scripts(request, target)
    if can_work and (target.person.phone or target.person.address):
        audit.record_view(
            user, target.person, fields=["phone", "address"], reason=_("trang người cần tiếp cận")
        )
    context = {
        "target": target,
        "person": target.person,
        "phone": national(target.person.phone) if can_work else "",
        "channels": channels,
        "common_blockers": common,
        "blocks": list(in_force(target.person, timezone.now())),
        "consents": list(target.person.consents.all()),
        "attempts": list(target.attempts.select_related("by", "dossier", "message")),
        "script": script,
        "other_scripts": other_scripts,
        "suggestions": list(services.suggested_dossiers(target))
        if can_work and not target.dossier_id
        else [],
        "can_work": can_work,
        "can_run": can_run,
        "attempt_form": forms.get("attempt_form") or AttemptForm(),
        "message_form": forms.get("message_form") or MessageForm(templates=_templates(user, target)),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "dnc_form": forms.get("dnc_form") or DoNotContactForm(),
        "link_form": forms.get("link_form") or LinkForm(),
        "blocked": forms.get("blocked") or [],
    }
    return render(request, "outreach/target.html", context, status=400 if forms else 200)


@login_required
def target_detail(request, pk):
    return _page(request, _target(request, pk))


@login_required
@require_POST
def target_attempt(request, pk):
    target = _target(request, pk)
    permissions.require_work_target(request.user, target)
    form = AttemptForm(request.POST)
    if form.is_valid():
        try:
            services.record_attempt(
                request.user,
                target,
                channel=form.cleaned_data["channel"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                dossier_code=form.cleaned_data["dossier_code"],
                next_action_at=form.next_action_at(),
            )
        except services.ContactBlocked as exc:
            return _page(request, target, attempt_form=form, blocked=exc.reasons)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            target.refresh_from_db()
            messages.success(request, _("Đã ghi lần liên hệ. %(next)s") % {"next": _next_text(target)})
            return redirect("outreach:target", target.pk)
    return _page(request, target, attempt_form=form)


def _next_text(target):
    if target.next_action_at:
        when = timezone.localtime(target.next_action_at)
        return _("Liên hệ lại lúc %(t)s.") % {"t": when.strftime("%H:%M %d/%m/%Y")}
    return _("Trạng thái: %(s)s.") % {"s": target.get_status_display()}


@login_required
@require_POST
def target_message(request, pk):
    target = _target(request, pk)
    permissions.require_work_target(request.user, target)
    form = MessageForm(request.POST, templates=_templates(request.user, target))
    if form.is_valid():
        try:
            message = services.send_message(request.user, target, form.cleaned_data["template"])
        except services.ContactBlocked as exc:
            return _page(request, target, message_form=form, blocked=exc.reasons)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã đưa tin nhắn vào hàng gửi (mã %(id)s).") % {"id": message.tracking_id[:8]}
            )
            return redirect("outreach:target", target.pk)
    return _page(request, target, message_form=form)


def _target_form(request, pk, form_class, key, act, done):
    """A form of the target's page: on success the action's message and back to the page; else the page again with
    the form as typed and its errors (400)."""
    target = _target(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(target, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("outreach:target", target.pk)
    return _page(request, target, **{key: form})


@login_required
@require_POST
def target_consent(request, pk):
    def act(target, data):
        services.record_consent(request.user, target.person, **data)

    return _target_form(request, pk, ConsentForm, "consent_form", act, _("Đã ghi nhận."))


@login_required
@require_POST
def target_do_not_contact(request, pk):
    def act(target, data):
        services.add_do_not_contact(request.user, target.person, **data)

    return _target_form(request, pk, DoNotContactForm, "dnc_form", act, _("Đã ghi “không liên hệ”."))


@login_required
@require_POST
def target_link(request, pk):
    def act(target, data):
        services.link_dossier(request.user, target, data["dossier_code"])

    return _target_form(request, pk, LinkForm, "link_form", act, _("Đã gắn hồ sơ với lần liên hệ."))
