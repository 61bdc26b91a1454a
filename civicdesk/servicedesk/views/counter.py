"""The counter: pick a procedure, check the components, register the dossier (or print what is missing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.handbook.models import Procedure

from .. import services
from ..forms import IntakeForm
from ..models import CHANNEL_METHOD, Channel, IntakeCheck


def _procedures():
    return (
        Procedure.objects.exclude(status=Procedure.Status.ARCHIVED)
        .select_related("field")
        .only("code", "name", "field__name", "field__order", "methods", "components")
        .order_by("field__order", "field__name", "code")
    )


def _grouped(procedures):
    groups = {}
    for p in procedures:
        groups.setdefault(p.field.name, []).append(p)
    return list(groups.items())


def _days_by_channel(procedure):
    return [(label, procedure.processing_days(CHANNEL_METHOD[value])) for value, label in Channel.choices]


@login_required
def receive(request):
    """GET: procedure picker (and its checklist form); POST: run the check and register or refuse."""
    user = request.user
    if not services.can_receive(user, user.commune_id):
        raise PermissionDenied
    procedures = _procedures()
    code = request.GET.get("procedure") or request.POST.get("procedure") or ""
    procedure = get_object_or_404(procedures, code=code) if code else None
    context = {"groups": _grouped(procedures), "procedure": procedure, "commune": user.commune}
    if procedure is None:
        if not procedures:
            context["no_procedures"] = True
        return render(request, "servicedesk/receive.html", context)

    checklist = services.checklist_for(procedure)
    channel = request.POST.get("channel") or request.GET.get("channel") or Channel.TRUC_TIEP
    days = services.processing_days_for(
        procedure, channel if channel in Channel.values else Channel.TRUC_TIEP
    )
    form = IntakeForm(request.POST or None, checklist=checklist, days_known=days is not None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.receive_dossier(
                    user,
                    commune=user.commune,
                    procedure=procedure,
                    present=data["components"],
                    applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"],
                    applicant_phone=data["applicant_phone"],
                    channel=data["channel"],
                    appointment_at=data.get("appointment_at"),
                    note=data["note"],
                )
            except ValidationError as exc:
                for fname, errors in exc.message_dict.items():
                    form.add_error(fname if fname in form.fields else None, errors)
            else:
                if result.complete:
                    messages.success(
                        request,
                        _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả cho người dân.")
                        % {"code": result.dossier.code},
                    )
                    return redirect("servicedesk:dossier", code=result.dossier.code)
                messages.warning(
                    request,
                    _("Hồ sơ chưa đầy đủ nên chưa tiếp nhận. In phiếu hướng dẫn bổ sung cho người dân."),
                )
                return redirect("servicedesk:intake_check", pk=result.check.pk)
        status = 400
    context.update(
        {
            "form": form,
            "checklist": checklist,
            "days": days,
            "days_by_channel": _days_by_channel(procedure),
            "channel": channel,
        }
    )
    template = "servicedesk/includes/intake_form.html" if request.htmx else "servicedesk/receive.html"
    return render(request, template, context, status=status)


@login_required
def intake_check(request, pk):
    """The printable supplement request for a dossier refused at the counter as incomplete."""
    check = get_object_or_404(
        IntakeCheck.objects.visible_to(request.user).select_related("commune", "commune__province"), pk=pk
    )
    show_name = services.can_see_personal_data(request.user, check.commune_id)
    if show_name and check.applicant_name:
        audit.record_view(request.user, check, fields=["applicant_name"], reason="phiếu hướng dẫn bổ sung")
    return render(
        request, "servicedesk/print/intake_supplement.html", {"check": check, "show_name": show_name}
    )
