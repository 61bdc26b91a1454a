"""Accompaniment requests: the list, a new request, one request with its proposals, and the week's matching."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.geo.models import Commune
from civicdesk.handbook.models import Procedure
from civicdesk.hotline.models import Ticket
from civicdesk.servicedesk.models import Dossier

from .. import matchmaking, permissions, services
from ..forms import CancelForm, RequestForm, RespondForm, VisitForm, add_service_errors
from ..models import Accompaniment, Person
from ..reasons import render as render_reason


def communes_for(user):
    """The communes whose requests the user works on: their own, or the province's for province roles."""
    return Commune.objects.visible_to(user).order_by("name")


def chosen_commune(request):
    """The commune a page is about: the user's own, else `?commune=<code>` among the visible ones (None if none)."""
    user = request.user
    if user.commune_id:
        return user.commune
    code = request.GET.get("commune") or request.POST.get("commune") or ""
    if not code.isdigit():
        return None
    return communes_for(user).filter(code=int(code)).first()


def _procedures():
    return Procedure.objects.published().order_by("name")


@login_required
def index(request):
    commune = chosen_commune(request)
    rows = Accompaniment.objects.visible_to(request.user).select_related(
        "commune", "citizen", "hamlet", "assignee"
    )
    if commune is not None:
        rows = rows.filter(commune=commune)
    status = request.GET.get("status", "active")
    if status == "active":
        rows = rows.active()
    elif status in Accompaniment.Status.values:
        rows = rows.filter(status=status)
    today = timezone.localdate()
    context = {
        "commune": commune,
        "communes": communes_for(request.user) if not request.user.commune_id else [],
        "rows": rows.order_by("date", "slot", "pk")[:200],
        "status": status,
        "statuses": Accompaniment.Status.choices,
        "monday": today - timedelta(days=today.weekday()),
        "can_request": commune is not None and permissions.can_request(request.user, commune),
        "can_assign": commune is not None and permissions.can_assign(request.user, commune),
        "now": timezone.now(),
    }
    return render(request, "community/index.html", context)


def _citizen_for(user, commune, form):
    """The citizen chosen in the form, or a new one added to the commune's list (same transaction as the request)."""
    data = form.cleaned_data
    if data.get("citizen"):
        return data["citizen"]
    return services.save_person(
        user,
        commune=commune,
        data={
            "kind": Person.Kind.CITIZEN,
            "full_name": data["new_citizen"].strip(),
            "phone": data.get("new_citizen_phone", "").strip(),
            "hamlet": data.get("hamlet"),
            "preferred_language": data["language"],
            "interpreter_needed": True,
        },
    )


def _origin(request, commune):
    """The dossier (`?dossier=<code>`) or hotline ticket (`?ticket=<id>`) the request comes from, when the user may see
    it and it is the commune's; with the form's initial values it implies."""
    code = request.GET.get("dossier") or request.POST.get("origin_dossier") or ""
    ticket_id = request.GET.get("ticket") or request.POST.get("origin_ticket") or ""
    if code:
        dossier = Dossier.objects.visible_to(request.user).filter(code=code, commune=commune).first()
        if dossier is not None:
            initial = {"origin": Accompaniment.Origin.DOSSIER, "procedure": dossier.procedure_id}
            if dossier.served_language:
                initial["language"] = dossier.served_language
            return {"origin_dossier": dossier}, initial
    if ticket_id.isdigit():
        ticket = Ticket.objects.visible_to(request.user).filter(pk=int(ticket_id), commune=commune).first()
        if ticket is not None:
            initial = {"origin": Accompaniment.Origin.HOTLINE, "procedure_name": ticket.title[:400]}
            if ticket.served_language:
                initial["language"] = ticket.served_language
            return {"ticket": ticket}, initial
    return {}, {}


@login_required
def request_new(request):
    commune = chosen_commune(request)
    if commune is None:
        raise Http404
    permissions.require_request(request.user, commune)
    origin, initial = _origin(request, commune)
    form = RequestForm(request.POST or None, commune=commune, procedures=_procedures(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                citizen = _citizen_for(request.user, commune, form)
                acc = services.request_accompaniment(
                    request.user,
                    commune=commune,
                    citizen=citizen,
                    language=data["language"],
                    date=data["date"],
                    slot=data["slot"],
                    dialect=data["dialect"],
                    min_level=data["min_level"],
                    hamlet=data["hamlet"] or citizen.hamlet,
                    address=data["address"],
                    procedure=data["procedure"],
                    procedure_name=(data["procedure_name"] or "").strip(),
                    origin=data["origin"],
                    note=data["note"],
                    **origin,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi đề nghị. Dưới đây là những người phù hợp nhất."))
            return redirect("community:request", pk=acc.pk)
    return render(
        request, "community/request_form.html", {"form": form, "commune": commune, "origin": origin}
    )


def _get(request, pk):
    return get_object_or_404(
        Accompaniment.objects.visible_to(request.user).select_related(
            "commune", "citizen", "citizen__hamlet", "hamlet", "assignee", "dossier", "procedure"
        ),
        pk=pk,
    )


def _explained(candidates):
    return [
        {
            "person": c.person,
            "proposal": c.proposal,
            "reasons": [render_reason(r) for r in c.proposal.reasons],
        }
        for c in candidates
    ]


def _detail_context(request, acc, **forms):
    user = request.user
    context = {
        "acc": acc,
        "can_assign": permissions.can_assign(user, acc.commune),
        "can_answer": permissions.can_answer_for(user, acc),
        "personal": permissions.can_see_personal_data(user, acc.commune_id),
        "reasons": [render_reason(r) for r in acc.match_reasons],
        "respond_form": forms.get("respond_form") or RespondForm(),
        "visit_form": forms.get("visit_form") or VisitForm(initial={"visited_at": timezone.localtime()}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "declined": list(acc.declined_by.all()),
        "candidates": None,
        "excluded": [],
    }
    if acc.status in (Accompaniment.Status.OPEN, Accompaniment.Status.ASSIGNED) and context["can_assign"]:
        candidates, excluded = matchmaking.proposals(acc)
        context["candidates"] = _explained(candidates)
        context["excluded"] = [
            (render_reason({"code": code, "params": {"count": count}}), count)
            for code, count in sorted(excluded.items())
        ]
    return context


@login_required
def request_detail(request, pk):
    acc = _get(request, pk)
    return render(request, "community/request_detail.html", _detail_context(request, acc))


@login_required
@require_POST
def request_action(request, pk, action):
    acc = _get(request, pk)
    user = request.user
    forms = {}
    try:
        if action == "assign":
            permissions.require_assign(user, acc.commune)
            person = get_object_or_404(Person.objects.visible_to(user), pk=request.POST.get("person"))
            services.assign(user, acc, person)
            messages.success(request, _("Đã phân công %(name)s.") % {"name": person.full_name})
        elif action == "respond":
            form = forms["respond_form"] = RespondForm(request.POST)
            if form.is_valid():
                services.respond(
                    user, acc, accept=form.cleaned_data["accept"], reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Đã ghi câu trả lời."))
        elif action == "visit":
            form = forms["visit_form"] = VisitForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                services.record_visit(
                    user,
                    acc,
                    outcome=data["outcome"],
                    note=data["note"],
                    dossier_code=data["dossier_code"],
                    visited_at=data["visited_at"],
                )
                messages.success(request, _("Đã ghi kết quả chuyến đi."))
        elif action == "cancel":
            form = forms["cancel_form"] = CancelForm(request.POST)
            if form.is_valid():
                services.cancel(user, acc, reason=form.cleaned_data["reason"])
                messages.success(request, _("Đã hủy đề nghị."))
        else:
            raise Http404
    except ValidationError as exc:
        form = next(iter(forms.values()), None)
        if form is None:
            messages.error(request, " ".join(exc.messages))
        else:
            add_service_errors(form, exc)
    if any(f.errors for f in forms.values()):
        acc.refresh_from_db()
        return render(
            request, "community/request_detail.html", _detail_context(request, acc, **forms), status=422
        )
    return redirect("community:request", pk=acc.pk)


def _monday(request):
    try:
        day = date.fromisoformat(request.GET.get("week") or request.POST.get("week") or "")
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def _plan_rows(plan):
    result = plan["optimal"]
    rows = []
    for request_id, acc in sorted(
        plan["accompaniments"].items(), key=lambda kv: (kv[1].date, kv[1].slot, kv[0])
    ):
        proposal = result.assignments.get(request_id)
        rows.append(
            {
                "acc": acc,
                "person": plan["people"].get(proposal.speaker_id) if proposal else None,
                "proposal": proposal,
                "reasons": [render_reason(r) for r in proposal.reasons] if proposal else [],
                "unassigned": render_reason(result.unassigned[request_id])
                if request_id in result.unassigned
                else "",
            }
        )
    return rows


@login_required
def week(request):
    """The week's open requests matched at once, optimally; a preview first, then "assign all"."""
    commune = chosen_commune(request)
    if commune is None:
        raise Http404
    permissions.require_assign(request.user, commune)
    monday = _monday(request)
    if request.method == "POST":
        plan = services.assign_week(request.user, commune, monday)
        messages.success(
            request,
            _("Đã phân công %(n)s đề nghị theo phương án tối ưu.") % {"n": len(plan["assigned"])},
        )
        return redirect(f"{request.path}?week={monday.isoformat()}&commune={commune.code}")
    plan = matchmaking.solve_week(commune, monday)
    context = {
        "commune": commune,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "rows": _plan_rows(plan),
        "optimal": plan["optimal"],
        "greedy": plan["greedy"],
    }
    return render(request, "community/week.html", context)
