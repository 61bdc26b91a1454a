"""The commune's register of people and their languages: list, one person (with their languages), CSV import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import audit
from civicdesk.kernel.languages import REGIONAL, language_name

from .. import permissions, services
from ..forms import ImportForm, LanguageForm, PersonForm, add_service_errors
from ..models import SKILLS, Person, PersonLanguage
from .requests import chosen_commune, communes_for

MAX_UPLOAD = 2 * 1024 * 1024


@login_required
def people(request):
    commune = chosen_commune(request)
    rows = Person.objects.visible_to(request.user).exclude(kind=Person.Kind.POOL)
    if commune is not None:
        rows = rows.filter(commune=commune)
    kind = request.GET.get("kind", "")
    if kind in Person.Kind.values:
        rows = rows.filter(kind=kind)
    language = request.GET.get("language", "")
    if language:
        rows = rows.filter(languages__code=language)
    query = (request.GET.get("q") or "").strip()
    if query:
        rows = rows.filter(full_name__icontains=query)
    rows = rows.select_related("hamlet", "commune").prefetch_related(
        Prefetch("languages", queryset=PersonLanguage.objects.order_by("-is_preferred", "code"))
    )
    context = {
        "commune": commune,
        "communes": communes_for(request.user) if not request.user.commune_id else [],
        "rows": rows.distinct()[:300],
        "kind": kind,
        "kinds": [(k.value, k.label) for k in Person.Kind if k != Person.Kind.POOL],
        "language": language,
        "languages": [(code, str(name)) for code, name in REGIONAL],
        "query": query,
        "can_manage": commune is not None and permissions.can_manage_people(request.user, commune),
        "personal": commune is not None and permissions.can_see_personal_data(request.user, commune.pk),
    }
    template = "community/includes/people_rows.html" if request.htmx else "community/people.html"
    return render(request, template, context)


@login_required
def person_new(request):
    commune = chosen_commune(request)
    if commune is None:
        raise Http404
    permissions.require_manage_people(request.user, commune)
    form = PersonForm(
        request.POST or None, commune=commune, initial={"kind": request.GET.get("kind", "official")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.save_person(request.user, commune=commune, data=form.cleaned_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã thêm %(name)s. Hãy ghi các ngôn ngữ người này nói.") % {"name": person}
            )
            return redirect("community:person", pk=person.pk)
    return render(request, "community/person_form.html", {"form": form, "commune": commune})


def _person(request, pk):
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("commune", "hamlet", "user"), pk=pk
    )


@login_required
def person_detail(request, pk):
    person = _person(request, pk)
    if person.commune is None:
        raise Http404  # the provincial pool's people are edited on staffing's pages
    can_edit = permissions.can_edit_person(request.user, person)
    personal = permissions.can_see_personal_data(request.user, person.commune_id) or (
        person.user_id is not None and person.user_id == request.user.pk
    )
    form = None
    if can_edit:
        form = PersonForm(
            request.POST or None, commune=person.commune, initial=PersonForm.initial_for(person)
        )
        if person.kind != Person.Kind.CITIZEN:
            form.fields["kind"].choices = [
                c for c in form.fields["kind"].choices if c[0] != Person.Kind.CITIZEN
            ]
        if request.method == "POST" and form.is_valid():
            try:
                services.save_person(
                    request.user, commune=person.commune, data=form.cleaned_for_service(), person=person
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("community:person", pk=person.pk)
    if personal and person.kind == Person.Kind.CITIZEN:
        audit.record_view(request.user, person, fields=["phone", "id_number", "address"])
    context = {
        "person": person,
        "form": form,
        "can_edit": can_edit,
        "personal": personal,
        "languages": [
            (lang, LanguageForm(initial=LanguageForm.initial_for(lang), prefix=f"l{lang.pk}"))
            for lang in person.languages.all()
        ],
        "new_language": LanguageForm(prefix="new"),
        "skills": SKILLS,
        "language_error": False,
        "visits": person.accompaniments.select_related("citizen", "hamlet").order_by("-date")[:20]
        if person.kind != Person.Kind.CITIZEN
        else person.accompaniments_needed.select_related("assignee", "hamlet").order_by("-date")[:20],
    }
    return render(request, "community/person_detail.html", context)


@login_required
@require_POST
def language_save(request, pk, language_id=None):
    person = _person(request, pk)
    language = get_object_or_404(person.languages, pk=language_id) if language_id else None
    prefix = f"l{language_id}" if language_id else "new"
    form = LanguageForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            saved = services.save_language(request.user, person, form.cleaned_data, language)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu tiếng %(name)s.") % {"name": language_name(saved.code)})
            return redirect("community:person", pk=person.pk)
    permissions.require_edit_person(request.user, person)
    context = {
        "person": person,
        "form": None,
        "can_edit": True,
        "personal": False,
        "languages": [
            (
                lang,
                form
                if language and lang.pk == language.pk
                else LanguageForm(initial=LanguageForm.initial_for(lang), prefix=f"l{lang.pk}"),
            )
            for lang in person.languages.all()
        ],
        "new_language": form if language is None else LanguageForm(prefix="new"),
        "skills": SKILLS,
        "visits": [],
        "language_error": True,
    }
    return render(request, "community/person_detail.html", context, status=422)


@login_required
@require_POST
def language_delete(request, pk, language_id):
    person = _person(request, pk)
    language = get_object_or_404(person.languages, pk=language_id)
    services.delete_language(request.user, language)
    messages.success(request, _("Đã xóa tiếng %(name)s.") % {"name": language.name})
    return redirect("community:person", pk=person.pk)


@login_required
def people_import(request):
    commune = chosen_commune(request)
    if commune is None:
        raise Http404
    permissions.require_manage_people(request.user, commune)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("Tệp lớn quá 2 MB; hãy chia thành nhiều tệp."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error(
                    "file", _("Tệp không phải UTF-8: trong Excel, chọn “Lưu dưới dạng” → “CSV UTF-8”.")
                )
            else:
                report = services.import_people(
                    request.user, commune, text, dry_run=form.cleaned_data["dry_run"]
                )
                if report.ok and not form.cleaned_data["dry_run"]:
                    messages.success(
                        request,
                        _("Đã nhập: %(c)s người mới, %(u)s người cập nhật, %(l)s dòng ngôn ngữ.")
                        % {"c": report.people_created, "u": report.people_updated, "l": report.languages},
                    )
                    return redirect(
                        f"{request.path}?commune={commune.code}"
                        if not request.user.commune_id
                        else request.path
                    )
    context = {
        "form": form,
        "report": report,
        "commune": commune,
        "columns": services.IMPORT_COLUMNS,
        "example": services.EXAMPLE_CSV,
    }
    return render(request, "community/people_import.html", context)
