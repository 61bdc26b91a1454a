"""The counter: find a procedure, check the components, register the dossier (or print what is missing)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.handbook import queries as handbook_queries
from civicdesk.handbook.models import Procedure
from civicdesk.handbook.text import fold

from .. import permissions, services
from ..due import DueDates
from ..forms import IntakeForm, add_service_errors
from ..models import CHANNEL_METHOD, Channel, IntakeCheck

MATCH_LIMIT = 30  # the narrowed <select>; a search that matches more is too vague to help
LISTBOX_ROWS = 8


def _procedures():
    return list(
        Procedure.objects.exclude(status=Procedure.Status.ARCHIVED)
        .select_related("field")
        .only("code", "name", "keywords", "field__name", "field__order", "methods", "components")
        .order_by("field__order", "field__name", "code")
    )


def _grouped(procedures):
    groups = {}
    for p in procedures:
        groups.setdefault(p.field.name, []).append(p)
    return list(groups.items())


def _compact(text):
    return re.sub(r"[^0-9a-z]", "", fold(text))


def _syllables(text):
    return re.findall(r"[0-9a-z]+", fold(text))


def _says(text, words):
    """Every typed word is a syllable of `text`, the last one possibly unfinished (the officer is still typing)."""
    syllables = _syllables(text)
    *whole, last = words
    return all(w in syllables for w in whole) and any(s.startswith(last) for s in syllables)


def _shortest_first(procedures):
    return sorted(procedures, key=lambda p: len(p.name))


def _matching(procedures, query):
    """The counter's procedures an officer means by `query`, best first.

    A code ("HT-001", "ht001", or a prefix such as "CTR") means exactly those procedures. Otherwise: the words of the
    name (accents optional, shorter names first, so "khai sinh" puts "Đăng ký khai sinh" before its variants), then
    what the handbook's search finds for the way citizens say it ("giấy độc thân", "nhập hộ khẩu": the assistant's
    index answers it, through `handbook.queries.register_search_backend`), then the everyday keywords of records
    that search does not hold (it has published records only; drafts reach the counter).
    """
    compact = _compact(query)
    by_code = [p for p in procedures if compact and _compact(p.code).startswith(compact)]
    if by_code:
        return sorted(by_code, key=lambda p: (_compact(p.code) != compact, p.code))[:MATCH_LIMIT]
    words = _syllables(query)
    if not words:
        return []
    ranked = {p.code: p for p in _shortest_first(p for p in procedures if _says(p.name, words))}
    index = {p.code: p for p in procedures}
    found = handbook_queries.search(query, None, 40, kinds=["procedure"], public=True)
    hits = [h for h in found if h.record.code in index]
    # The index ranks everything that shares a syllable; half the best score keeps the plausible ones.
    for hit in hits:
        if hit.score >= hits[0].score / 2:
            ranked.setdefault(hit.record.code, index[hit.record.code])
    for p in _shortest_first(p for p in procedures if _says(" ".join(p.keywords or []), words)):
        ranked.setdefault(p.code, p)
    return list(ranked.values())[:MATCH_LIMIT]


def _days_by_channel(procedure):
    return [(label, procedure.processing_days(CHANNEL_METHOD[value])) for value, label in Channel.choices]


def _received_message(dossier, due):
    message = _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả cho người dân.") % {
        "code": dossier.code
    }
    office = due.office_hours(dossier.received_at)
    if office.outside:
        message += " " + _(
            "Hồ sơ nhận ngoài giờ làm việc nên thời hạn giải quyết tính từ %(start)s; hãy báo để người dân biết."
        ) % {"start": date_format(timezone.localtime(office.counts_from), "H:i d/m/Y")}
    return message


def _after_intake(request, outcome, due):
    """The dossier's page (registered) or the printable supplement request (incomplete), with what happened."""
    result = outcome.result
    if result.complete:
        if outcome.replayed:
            messages.info(
                request,
                _(
                    "Biểu mẫu này đã được gửi trước đó: hồ sơ %(code)s đã được tiếp nhận, không tạo thêm hồ sơ mới."
                )
                % {"code": result.dossier.code},
            )
        else:
            messages.success(request, _received_message(result.dossier, due))
        return redirect("servicedesk:dossier", code=result.dossier.code)
    if outcome.replayed:
        messages.info(
            request,
            _(
                "Biểu mẫu này đã được gửi trước đó: hồ sơ chưa đầy đủ nên chưa tiếp nhận. In phiếu hướng dẫn bổ sung "
                "cho người dân."
            ),
        )
    else:
        messages.warning(
            request, _("Hồ sơ chưa đầy đủ nên chưa tiếp nhận. In phiếu hướng dẫn bổ sung cho người dân.")
        )
    return redirect("servicedesk:intake_check", pk=result.check.pk)


def _reused_message(stored):
    """The form's token was sent before with other content (the officer went back and changed it)."""
    if stored.complete:
        before = _("lần gửi đó đã tiếp nhận hồ sơ %(code)s") % {"code": stored.dossier.code}
    else:
        before = _("lần gửi đó chưa tiếp nhận vì hồ sơ chưa đầy đủ")
    return _(
        "Biểu mẫu này đã được gửi trước đó với nội dung khác (%(before)s); lần này chưa tiếp nhận. Kiểm tra lại rồi "
        "bấm “Kiểm tra và tiếp nhận” nếu đây là một hồ sơ mới."
    ) % {"before": before}


@login_required
def receive(request):
    """GET: find and pick a procedure (and its checklist form); POST: run the check and register or refuse.

    `q` narrows the procedure <select> (the htmx search box swaps only the choices; without JavaScript the "Tìm"
    button reloads the page with them); `procedure` opens its checklist.
    """
    user = request.user
    if not permissions.can_receive(user, user.commune_id):
        raise PermissionDenied
    procedures = _procedures()
    query = (request.GET.get("q") or "").strip()[:100]
    # "Tìm" searches again: it must not open the procedure still selected from the previous search.
    code = (
        "" if request.GET.get("find") else request.GET.get("procedure") or request.POST.get("procedure") or ""
    )
    procedure = next((p for p in procedures if p.code == code), None)
    if code and procedure is None:
        raise Http404
    matches = _matching(procedures, query) if query else None
    if procedure is not None and matches is not None and procedure not in matches:
        matches.insert(0, procedure)
    due = DueDates()
    context = {
        "groups": _grouped(procedures),
        "matches": matches,
        "listbox_rows": max(2, min(len(matches or ()), LISTBOX_ROWS)),
        "q": query,
        "procedure": procedure,
        "commune": user.commune,
        "office": due.office_hours(timezone.now()),
        "oob": bool(request.htmx),
    }
    if procedure is None:
        if not procedures:
            context["no_procedures"] = True
        template = (
            "servicedesk/includes/procedure_choices.html" if request.htmx else "servicedesk/receive.html"
        )
        return render(request, template, context)

    checklist = services.checklist_for(procedure)
    channel = request.POST.get("channel") or request.GET.get("channel") or Channel.TRUC_TIEP
    days = services.processing_days_for(
        procedure, channel if channel in Channel.values else Channel.TRUC_TIEP
    )
    form = IntakeForm(
        request.POST or None, checklist=checklist, days_known=days is not None, commune=request.user.commune
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            token = data["submission"]
            try:
                outcome = services.receive_dossier_once(
                    user,
                    token and str(token),
                    commune=user.commune,
                    procedure=procedure,
                    present=data["components"],
                    applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"],
                    applicant_phone=data["applicant_phone"],
                    channel=data["channel"],
                    appointment_at=data.get("appointment_at"),
                    note=data["note"],
                    served_language=data["served_language"],
                    interpreter_used=data["interpreter_used"],
                    assisted_by=data.get("assisted_by"),
                    documents_digitised=data["documents_digitised"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except services.IntakeKeyReused as reused:
                form.add_error(None, _reused_message(reused.stored))
                form.renew_submission()
            else:
                return _after_intake(request, outcome, due)
        elif "submission" in form.errors:
            form.renew_submission()
        status = 400
    context.update(
        {
            "form": form,
            "checklist": checklist,
            "days": days,
            "days_by_channel": _days_by_channel(procedure),
            "channel": channel,
            "due_preview": None if days is None else due.due_at(timezone.now(), days),
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
    show_name = permissions.can_see_personal_data(request.user, check.commune_id)
    if show_name and check.applicant_name:
        audit.record_view(request.user, check, fields=["applicant_name"], reason="phiếu hướng dẫn bổ sung")
    return render(
        request, "servicedesk/print/intake_supplement.html", {"check": check, "show_name": show_name}
    )
