"""Dossier register: list (with the KPI drill-down filters), detail, named transitions and printouts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import audit
from civicdesk.geo.models import Commune

from .. import links, permissions, services
from ..due import DueDates
from ..forms import (
    DelayForm,
    DigitisationForm,
    DossierFilterForm,
    LanguageForm,
    ReasonForm,
    SupplementForm,
    add_service_errors,
)
from ..models import ONLINE_CHANNELS, Channel, Dossier, DossierEvent

PERSONAL_FIELDS = ["applicant_name", "applicant_id_number", "applicant_phone"]

# The dossiers behind each number of the dashboard.
METRICS = {
    "received": Q(),
    "finished": Q(finished_at__isnull=False),
    "on_time": Q(is_on_time=True),
    "late": Q(finished_at__isnull=False) & ~Q(is_on_time=True),
    "online": Q(channel__in=ONLINE_CHANNELS),
    "assisted": Q(channel=Channel.TRUC_TUYEN_HO_TRO),
    "supplemented": Q(supplement_count__gte=1),
    "rated": Q(rating__isnull=False),
    "satisfied": Q(rating__gte=4),
    "unsatisfied": Q(rating__lte=3),
    "unknown_procedure": Q(procedure__isnull=True),
}


def _dossier_for(request, code):
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("commune", "commune__province", "procedure"),
        code=code,
    )


@login_required
def dossier_list(request):
    qs = Dossier.objects.visible_to(request.user)
    form = DossierFilterForm(request.GET or None)
    commune = None
    commune_code = request.GET.get("commune", "")
    if commune_code.isdigit():
        commune = get_object_or_404(Commune.objects.visible_to(request.user), code=int(commune_code))
        qs = qs.filter(commune=commune)
    # A filter that does not parse (a mistyped date) is named above the rows; the others still apply.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if data.get("q"):
        # The official code, or the provisional receipt a mobile team gave in the hamlet (the citizen holds that one).
        q = data["q"].strip()
        qs = qs.filter(Q(code__icontains=q) | Q(provisional_code=q.upper()))
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("date_from"):
        qs = qs.filter(received_date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(received_date__lte=data["date_to"])
    metric = request.GET.get("metric", "")
    if metric in METRICS:
        qs = qs.filter(METRICS[metric])
    elif metric == "overdue":
        qs = qs.overdue()
    qs = qs.select_related("commune").only(
        "code",
        "commune__name",
        "procedure_name",
        "procedure_code",
        "procedure_id",
        "channel",
        "status",
        "received_at",
        "due_at",
        "new_due_at",
        "finished_at",
        "is_on_time",
        "rating",
        "supplement_count",
    )
    page = Paginator(qs.order_by("-received_at", "-id"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "commune": commune,
        "metric": metric,
        "querystring": params.urlencode(),
        "show_commune": not request.user.is_commune_user,
        "can_receive": permissions.can_receive(request.user, request.user.commune_id),
        "overdue_count": Dossier.objects.visible_to(request.user).overdue().count()
        if request.user.is_commune_user
        else None,
    }
    template = "servicedesk/includes/dossier_rows.html" if request.htmx else "servicedesk/dossier_list.html"
    return render(request, template, context)


def _detail_context(request, dossier, **forms):
    can_process = permissions.can_process(request.user, dossier)
    show_personal = permissions.can_see_personal_data(request.user, dossier)
    if show_personal and dossier.applicant_id_number:
        audit.record_view(request.user, dossier, fields=PERSONAL_FIELDS, reason="xem chi tiết hồ sơ")
    actions = services.allowed_actions(dossier) if can_process else []
    return {
        "dossier": dossier,
        "events": dossier.events.select_related("actor"),
        "show_personal": show_personal,
        "can_process": can_process,
        "actions": actions,
        "labels": {
            "receive": _("Tiếp nhận hồ sơ"),
            **{name: label for name, (_s, _t, label) in services.ACTIONS.items()},
        },
        "supplement_form": forms.get("supplement_form") or SupplementForm(),
        "delay_form": forms.get("delay_form") or DelayForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "digitisation_form": forms.get("digitisation_form")
        or DigitisationForm(
            initial={
                "documents_digitised": dossier.documents_digitised,
                "result_electronic": dossier.result_electronic,
            }
        ),
        "language_form": forms.get("language_form")
        or LanguageForm(
            initial={"served_language": dossier.served_language, "interpreter_used": dossier.interpreter_used}
        ),
        "open_form": "",
        "action_errors": [],
        "error_summary": [],
        "refused_label": "",
        "office": DueDates().office_hours(dossier.received_at),
        "status_url": links.status_url(dossier),
        "now": timezone.now(),
    }


@login_required
def dossier_detail(request, code):
    dossier = _dossier_for(request, code)
    return render(request, "servicedesk/dossier_detail.html", _detail_context(request, dossier))


SIMPLE_ACTIONS = {
    "start_processing": services.start_processing,
    "resume_processing": services.resume_processing,
    "mark_done": services.mark_done,
    "return_result": services.return_result,
}

# action: (the form's name on the dossier page, its class, the service that takes its cleaned data)
FORM_ACTIONS = {
    "request_supplement": ("supplement_form", SupplementForm, services.request_supplement),
    "record_delay": ("delay_form", DelayForm, services.record_delay),
    "reject": ("reason_form", ReasonForm, services.reject),
    "withdraw": ("reason_form", ReasonForm, services.withdraw),
}


def _refused(request, dossier, action, form_name=None, form=None, errors=()):
    """The dossier page again (400), the refusal shown where it was made and summarised on top, input kept.

    A form still offered for the dossier's state shows its errors in place and opens; when the state changed under
    the officer (a colleague moved the dossier on), the errors go to the processing section instead.
    """
    dossier.refresh_from_db()
    context = _detail_context(request, dossier, **({form_name: form} if form is not None else {}))
    summary, errors = [], list(errors)
    if form is not None and action in context["actions"]:
        context["open_form"] = form_name
        for name, field_errors in form.errors.items():
            anchor = form[name].id_for_label if name in form.fields else "xu-ly"
            label = form.fields[name].label if name in form.fields else ""
            summary += [(f"{label}: {e}" if label else e, anchor) for e in field_errors]
    elif form is not None:
        errors += [e for field_errors in form.errors.values() for e in field_errors]
    summary += [(e, "xu-ly") for e in errors]
    context.update(action_errors=errors, error_summary=summary, refused_label=services.ACTIONS[action][2])
    return render(request, "servicedesk/dossier_detail.html", context, status=400)


@login_required
@require_POST
def dossier_action(request, code, action):
    dossier = _dossier_for(request, code)
    if action not in services.ACTIONS:
        raise Http404
    if not permissions.can_process(request.user, dossier):
        raise PermissionDenied
    if action in SIMPLE_ACTIONS:
        # The result step records whether the result was issued electronically (Decision 766, digitisation).
        extra = (
            {"result_electronic": request.POST.get("result_electronic") == "on"}
            if action == "mark_done"
            else {}
        )
        try:
            SIMPLE_ACTIONS[action](request.user, dossier, **extra)
        except ValidationError as exc:
            return _refused(request, dossier, action, errors=exc.messages)
    else:
        form_name, form_class, service = FORM_ACTIONS[action]
        form = form_class(request.POST)
        if not form.is_valid():
            return _refused(request, dossier, action, form_name, form)
        try:
            service(request.user, dossier, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return _refused(request, dossier, action, form_name, form)
    messages.success(request, _("Đã cập nhật hồ sơ: %(label)s.") % {"label": services.ACTIONS[action][2]})
    if action == "record_delay":
        return redirect("servicedesk:apology", code=dossier.code)
    if action == "request_supplement":
        event = dossier.events.filter(action="request_supplement").order_by("-at", "-id").first()
        return redirect("servicedesk:supplement", code=dossier.code, event_id=event.pk)
    return redirect("servicedesk:dossier", code=dossier.code)


@login_required
@require_POST
def dossier_language(request, code):
    """Record or correct the language the applicant was served in and whether an interpreter helped.

    A refusal re-renders the dossier page (400) with the form open, what was chosen kept, the errors in place and
    summarised on top."""
    dossier = _dossier_for(request, code)
    if not permissions.can_process(request.user, dossier):
        raise PermissionDenied
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.set_language_service(request.user, dossier, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu ngôn ngữ phục vụ của hồ sơ."))
            return redirect("servicedesk:dossier", code=dossier.code)
    return _form_refused(request, dossier, form, "language_form", "ngon-ngu", _("Ngôn ngữ phục vụ"))


@login_required
@require_POST
def dossier_digitisation(request, code):
    """Record or correct whether the components were digitised and the result issued electronically.

    A refusal re-renders the dossier page (400) with the form open and its errors summarised on top."""
    dossier = _dossier_for(request, code)
    if not permissions.can_process(request.user, dossier):
        raise PermissionDenied
    form = DigitisationForm(request.POST)
    if form.is_valid():
        try:
            services.record_digitisation(request.user, dossier, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin số hóa của hồ sơ."))
            return redirect("servicedesk:dossier", code=dossier.code)
    return _form_refused(request, dossier, form, "digitisation_form", "so-hoa", _("Số hóa"))


def _form_refused(request, dossier, form, form_name, section, label):
    """The dossier page again (400) with `form` open in its section, what was chosen kept, its errors in place and
    summarised on top (each linking to its field, or to the section for a form-wide error)."""
    context = _detail_context(request, dossier, **{form_name: form})
    summary = []
    for name, field_errors in form.errors.items():
        anchor = form[name].id_for_label if name in form.fields else section
        field_label = form.fields[name].label if name in form.fields else ""
        summary += [(f"{field_label}: {e}" if field_label else e, anchor) for e in field_errors]
    context.update(open_form=form_name, error_summary=summary, refused_label=label)
    return render(request, "servicedesk/dossier_detail.html", context, status=400)


def _print_context(request, dossier, reason):
    show_personal = permissions.can_see_personal_data(request.user, dossier)
    if show_personal:
        audit.record_view(request.user, dossier, fields=["applicant_name"], reason=reason)
    return {"dossier": dossier, "show_personal": show_personal, "printed_at": timezone.now()}


@login_required
def receipt(request, code):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the QR code to the public status page."""
    dossier = _dossier_for(request, code)
    if not permissions.can_receive(request.user, dossier.commune_id):
        raise PermissionDenied
    context = _print_context(request, dossier, "in giấy tiếp nhận")
    context.update(
        {
            "office": DueDates().office_hours(dossier.received_at),
            "status_url": links.status_url(dossier),
            "qr": links.qr_svg(links.status_url(dossier)),
            "survey_qr": links.qr_svg(links.survey_url(dossier), scale=2),
            "survey_url": links.survey_url(dossier),
            "received_by": dossier.received_by,
        }
    )
    return render(request, "servicedesk/print/receipt.html", context)


@login_required
def apology(request, code):
    """Văn bản xin lỗi và hẹn lại ngày trả kết quả."""
    dossier = _dossier_for(request, code)
    if not permissions.can_process(request.user, dossier):
        raise PermissionDenied
    if dossier.apology_at is None:
        raise Http404
    return render(
        request, "servicedesk/print/apology.html", _print_context(request, dossier, "in văn bản xin lỗi")
    )


@login_required
def supplement(request, code, event_id):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ for a request made during processing."""
    dossier = _dossier_for(request, code)
    if not permissions.can_process(request.user, dossier):
        raise PermissionDenied
    event = get_object_or_404(DossierEvent, pk=event_id, dossier=dossier, action="request_supplement")
    context = _print_context(request, dossier, "in phiếu yêu cầu bổ sung")
    context["event"] = event
    return render(request, "servicedesk/print/supplement.html", context)


@login_required
def centre_qr(request):
    """A printable poster with the centre's survey QR code, for the counter."""
    commune = request.user.commune
    if commune is None or not permissions.can_receive(request.user, commune.pk):
        raise PermissionDenied
    url = links.centre_survey_url(commune)
    return render(
        request,
        "servicedesk/print/centre_qr.html",
        {"commune": commune, "url": url, "qr": links.qr_svg(url, 6)},
    )
