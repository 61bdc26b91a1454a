"""Translations of a record into a minority language, managed from the record's page (POST only).

Each view answers the record's page again (status 400) when the input is refused, so what was typed stays in the
form; on success it redirects to the page's "Bản dịch tiếng dân tộc" section.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..forms import TranslationForm, VerifyTranslationForm
from ..models import Translation
from ..records import get_model
from ..schema import KEY_FIELD
from .reader import render_record


def _record(request, kind, key):
    qs = (
        get_model(kind)
        .objects.visible_to(request.user)
        .select_related("department", "verified_by", "reviewer")
    )
    return get_object_or_404(qs, **{KEY_FIELD[kind]: key})


def _require_editor(user, record):
    if not permissions.can_edit(user, record):
        raise PermissionDenied(
            _("Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được quản lý bản dịch.")
        )


def _section(record):
    return redirect(f"{record.get_absolute_url()}#translations")


def _attach(form, exc):
    """Put a service's ValidationError on the form: by field where the form has it, else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _save(request, record, translation):
    user = request.user
    _require_editor(user, record)
    form = TranslationForm(
        request.POST, current_language=request.POST.get("tr-language") or getattr(translation, "language", "")
    )
    if form.is_valid():
        try:
            saved = services.save_translation(user, record, form.to_data(), translation=translation)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            if saved.is_verified:
                messages.success(request, _("Đã lưu bản dịch."))
            else:
                messages.success(
                    request,
                    _(
                        "Đã lưu bản dịch. Người đọc chỉ thấy bản dịch sau khi một người nói tiếng này kiểm tra."
                    ),
                )
            return _section(record)
    return render_record(request, record, status=400, form=form, editing=translation)


@login_required
@require_POST
def add(request, kind, key):
    return _save(request, _record(request, kind, key), None)


@login_required
@require_POST
def act(request, kind, key, pk, action):
    """edit, verify or delete one translation of the record."""
    record = _record(request, kind, key)
    translation = get_object_or_404(Translation.objects.of(record).visible_to(request.user), pk=pk)
    if action == "edit":
        return _save(request, record, translation)
    _require_editor(request.user, record)
    if action == "delete":
        try:
            services.delete_translation(request.user, translation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Đã xóa bản dịch tiếng %(language)s.") % {"language": translation.language_name}
            )
        return _section(record)
    form = VerifyTranslationForm(request.POST, translation=translation)
    if form.is_valid():
        try:
            services.verify_translation(request.user, translation, form.cleaned_data["verifier_name"])
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi nhận: %(name)s đã kiểm tra bản dịch tiếng %(language)s.")
                % {"name": translation.verifier_name, "language": translation.language_name},
            )
            return _section(record)
    return render_record(request, record, status=400, verify_forms={translation.pk: form})
