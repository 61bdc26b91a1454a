"""Every write to the handbook: editing with revisions, the review workflow, FAQ drafts, import and the seed.

Workflow (docs/handbook.md): draft → in review → published → archived. A change to a *published* record does not
touch the live text: it waits as a pending revision (draft, then in review) and replaces the live text when a reviewer
publishes it. Every transition checks permissions (permissions.py), runs in a transaction and is written to the
audit log; publishing, archiving and verifying run `on_publish_hooks`.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.models import Department
from civicdesk.kernel.actors import is_system, person
from civicdesk.kernel.languages import VIETNAMESE, is_language_code, language_name
from civicdesk.kernel.roles import Role

from . import legal_changes, permissions
from .hooks import on_publish_hooks, run_hooks
from .models import Content, Faq, Field, Guide, LegalFlag, Procedure, Translation
from .records import (
    add_revision,
    apply_data,
    authors_since_publication,
    build_context,
    get_model,
    record_data,
    set_m2m,
    set_verification,
    working_data,
)
from .schema import KEY_FIELD, validate
from .text import fold

Status = Content.Status


def _province_id(actor):
    return getattr(actor, "province_id", None)


def _clean_for_save(actor, record, data, ctx):
    """Validate `data` for `record` (None: a new record); raise ValidationError with messages per field."""
    kind = record.kind if record is not None else data.get("kind")
    data = {**data, "kind": kind}
    if "department" not in data:
        if record is not None:
            data["department"] = record.department.code if record.department_id else None
        elif not is_system(actor) and actor.role == Role.DEPARTMENT_EXPERT and kind == "guide":
            data["department"] = actor.department.code
    clean, problems = validate(data, ctx, for_import=False)
    errors = {}
    for field, message in problems:
        errors.setdefault(field.split("[")[0].split(".")[0], []).append(message)
    if clean is None:
        raise ValidationError(errors)
    key_field = KEY_FIELD[kind]
    if record is None:
        if clean[key_field] and get_model(kind).objects.filter(**{key_field: clean[key_field]}).exists():
            errors.setdefault(key_field, []).append(_("Mã này đã được dùng cho một nội dung khác."))
    elif clean[key_field] != record.key:
        errors.setdefault(key_field, []).append(_("Không đổi được mã, định danh của nội dung đã tạo."))
    if errors:
        raise ValidationError(errors)
    return clean


def _check_department_change(actor, record, clean, ctx):
    if is_system(actor) or actor.is_province_admin:
        return
    department = ctx.departments.get(clean["department"]) if clean["department"] else None
    current = record.department_id if record is not None else None
    if (department.pk if department else None) != current and not permissions.can_create(
        actor, department.pk if department else None
    ):
        raise PermissionDenied(_("Bạn chỉ soạn được nội dung do sở, ngành của mình chịu trách nhiệm."))


@transaction.atomic
def save_record(actor, record, data, *, note=""):
    """Create (`record` None, `data["kind"]` required) or edit a record from a schema dict, creating a Revision.

    Editing a published record keeps the live text and stores the change as its pending revision (it goes live when
    published). Editing a draft or a record in review changes it directly. An edit that changes nothing creates no
    revision. Raises ValidationError (messages per field) or PermissionDenied.
    """
    ctx = build_context(province_id=_province_id(actor))
    clean = _clean_for_save(actor, record, data, ctx)
    if record is None:
        department = ctx.departments.get(clean["department"]) if clean["department"] else None
        if not is_system(actor) and not permissions.can_create(actor, department.pk if department else None):
            raise PermissionDenied(_("Bạn không có quyền soạn nội dung cho sở, ngành này."))
        return _create(actor, clean, ctx, note=note or _("Tạo mới"))
    if not is_system(actor) and not permissions.can_edit(actor, record):
        raise PermissionDenied(
            _("Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được sửa.")
        )
    _check_department_change(actor, record, clean, ctx)
    if record.status == Status.ARCHIVED:
        raise ValidationError(_("Nội dung đã lưu trữ: hãy đưa về bản nháp trước khi sửa."))
    before = working_data(record)
    if clean == before:
        return record
    changed = sorted(name for name in clean if clean.get(name) != before.get(name))
    if record.status == Status.PUBLISHED:
        state = record.pending_revision.status if record.pending_revision_id else Status.DRAFT
        record.pending_revision = add_revision(record, clean, author=person(actor), note=note, status=state)
        record.save(update_fields=["pending_revision", "updated_at"])
    else:
        set_m2m(record, apply_data(record, clean, ctx))
        record.save()
        add_revision(record, record_data(record), author=person(actor), note=note, status=record.status)
    audit.record(actor, audit.Action.UPDATE, record, changes={"fields": changed}, reason=note)
    return record


def _create(actor, clean, ctx, *, note):
    record = get_model(clean["kind"])(created_by=person(actor), status=Status.DRAFT)
    m2m = apply_data(record, clean, ctx)
    record.save()
    set_m2m(record, m2m)
    add_revision(record, record_data(record), author=person(actor), note=note, status=Status.DRAFT)
    audit.record(actor, audit.Action.CREATE, record, changes={"kind": record.kind, "key": record.key})
    return record


def _unique_slug(question):
    base = slugify(re.sub(r"[^a-z0-9 ]", " ", fold(question)))[:80].strip("-") or "hoi-dap"
    slug, n = base, 2
    while Faq.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_faq_draft(
    actor, *, question, answer, field=None, sources=(), related_procedures=(), department=None, keywords=()
):
    """Create a draft FAQ entry (with its first revision and an audit record) and return it.

    Used by the hotline's knowledge loop: hotline operators, department experts and province admins may call it.
    `field` and `department` are instances or codes; `related_procedures` are Procedures or codes. The responsible
    department is `department`, else the field's default department, else the actor's department; its experts
    review the draft. Raises ValidationError for bad input.
    """
    if not is_system(actor) and not (permissions.is_editor(actor) or actor.role == Role.HOTLINE_OPERATOR):
        raise PermissionDenied(_("Bạn không có quyền tạo bản nháp hỏi đáp."))
    ctx = build_context(province_id=_province_id(actor))
    department_code = department.code if isinstance(department, Department) else department
    if department_code is None and field is None and getattr(actor, "department_id", None):
        department_code = actor.department.code
    data = {
        "kind": "faq",
        "slug": _unique_slug(question),
        "question": question,
        "answer": answer,
        "field": field.code if isinstance(field, Field) else field,
        "sources": list(sources),
        "related_procedures": [p.code if isinstance(p, Procedure) else p for p in related_procedures],
        "keywords": list(keywords),
        "verification": "needs_verification",
    }
    if department_code:
        data["department"] = department_code
    clean = _clean_for_save(actor, None, data, ctx)
    if not is_system(actor) and actor.role == Role.DEPARTMENT_EXPERT:
        _check_department_change(actor, None, clean, ctx)
    return _create(actor, clean, ctx, note=_("Bản nháp hỏi đáp"))


def _set_state(record, state):
    """Move the editable version (the pending change, else the record) to `state`."""
    if record.pending_revision_id:
        record.pending_revision.status = state
        record.pending_revision.save(update_fields=["status"])
    else:
        record.status = state


def _transition(actor, record, old, new, reason=""):
    audit.record(actor, audit.Action.TRANSITION, record, changes={"status": [old, new]}, reason=reason)


@transaction.atomic
def submit_for_review(actor, record, reviewer=None):
    """Send a draft (or a published record's pending change) for review, optionally naming the reviewer."""
    if not is_system(actor) and not permissions.can_edit(actor, record):
        raise PermissionDenied(_("Chỉ người biên tập của sở, ngành chịu trách nhiệm được gửi duyệt."))
    state = record.workflow_state
    if state != Status.DRAFT or record.status == Status.ARCHIVED:
        raise ValidationError(_("Chỉ gửi duyệt được bản nháp."))
    if reviewer is not None:
        if not permissions.can_review(reviewer, record):
            raise ValidationError(
                _("Người duyệt phải là chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh.")
            )
        if not is_system(actor) and reviewer.pk == actor.pk:
            raise ValidationError(_("Không thể tự duyệt thay đổi của mình; hãy chọn người duyệt khác."))
    _set_state(record, Status.IN_REVIEW)
    record.reviewer = reviewer
    record.save()
    _transition(actor, record, state, Status.IN_REVIEW)
    return record


@transaction.atomic
def publish(actor, record):
    """Publish a record in review (a pending change replaces the live text). The reviewer may not be an author."""
    state = record.workflow_state
    if not is_system(actor):
        refusal = permissions.publish_refusal(actor, record, authors_since_publication(record))
        if refusal:
            raise PermissionDenied(refusal)
        if state != Status.IN_REVIEW:
            raise ValidationError(_("Chỉ công bố được nội dung đang chờ duyệt; hãy gửi duyệt trước."))
    old = state
    if record.pending_revision_id:
        ctx = build_context(province_id=_province_id(actor))
        set_m2m(record, apply_data(record, record.pending_revision.data, ctx))
        record.pending_revision = None
    record.status = Status.PUBLISHED
    record.published_at = timezone.now()
    if not is_system(actor):
        record.reviewer = actor
    record.save()
    add_revision(
        record, record_data(record), author=person(actor), note=_("Công bố"), status=Status.PUBLISHED
    )
    _transition(actor, record, old, Status.PUBLISHED)
    run_hooks(record)
    return record


@transaction.atomic
def return_to_draft(actor, record, reason):
    """Return a record in review to its authors (or bring an archived record back as a draft), saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do trả lại để người soạn biết cần sửa gì."))
    state = record.workflow_state
    if record.status == Status.ARCHIVED:
        allowed = is_system(actor) or permissions.can_review(actor, record)
    elif state == Status.IN_REVIEW:
        allowed = (
            is_system(actor) or permissions.can_edit(actor, record) or permissions.can_review(actor, record)
        )
    else:
        raise ValidationError(_("Chỉ trả lại được nội dung đang chờ duyệt hoặc đã lưu trữ."))
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền trả lại nội dung này."))
    if record.status == Status.ARCHIVED:
        record.status = Status.DRAFT
    else:
        _set_state(record, Status.DRAFT)
    record.save()
    _transition(actor, record, state, Status.DRAFT, reason=reason)
    return record


@transaction.atomic
def archive(actor, record):
    """Take a record out of use (off the public pages and the assistant); its history stays."""
    if not is_system(actor) and not permissions.can_review(actor, record):
        raise PermissionDenied(
            _("Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được lưu trữ.")
        )
    if record.status == Status.ARCHIVED:
        raise ValidationError(_("Nội dung này đã được lưu trữ."))
    old = record.status
    record.status = Status.ARCHIVED
    record.pending_revision = None
    record.save()
    _transition(actor, record, old, Status.ARCHIVED)
    run_hooks(record)
    return record


@transaction.atomic
def mark_verified(actor, record, note=None):
    """Record that the responsible department checked the content against its legal sources today.

    It closes the record's open legal-change flags (`legal_changes.py`): the reviewer checked it against the texts
    in force, the replaced ones included.
    """
    if not is_system(actor) and not permissions.can_review(actor, record):
        raise PermissionDenied(
            _("Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được xác nhận.")
        )
    if record.status == Status.ARCHIVED:
        raise ValidationError(_("Nội dung đã lưu trữ không cần kiểm chứng."))
    set_verification(
        record,
        Content.Verification.VERIFIED,
        record.verification_note if note is None else note,
        verified_by=person(actor),
        verified_at=timezone.now(),
    )
    changes = {"verification": "verified", "verified_at": record.verified_at.isoformat()}
    closed = legal_changes.close_flags(actor, record, LegalFlag.Resolution.VERIFIED, note or "")
    if closed:
        changes["legal_flags_closed"] = closed
    audit.record(actor, audit.Action.UPDATE, record, changes=changes, reason=(note or "")[:255])
    if record.status == Status.PUBLISHED:
        run_hooks(record)
    return record


def restore_revision(actor, revision):
    """Make an earlier revision's content the current (or, for a published record, the pending) version."""
    record = revision.record
    return save_record(
        actor, record, revision.data, note=_("Khôi phục phiên bản #%(n)s") % {"n": revision.number}
    )


def note_view(record):
    """Count a visit to a procedure page (the home page lists the most used ones); not audited."""
    if isinstance(record, Procedure):
        Procedure.objects.filter(pk=record.pk).update(view_count=F("view_count") + 1)


# Translations into minority languages (docs/handbook.md, "Translations and the honesty rule").

TRANSLATION_TEXT = ("language", "title", "summary")
TRANSLATION_FIELDS = (*TRANSLATION_TEXT, "translator_name", "source")
_TRANSLATION_REQUIRED = {
    "language": _("Hãy chọn ngôn ngữ của bản dịch."),
    "title": _("Hãy ghi tiêu đề bằng tiếng này."),
    "summary": _("Hãy ghi phần tóm tắt: người dân cần mang gì, làm gì."),
    "translator_name": _("Hãy ghi tên người dịch: bản dịch phải do người nói tiếng này viết."),
}


def _require_translation_editor(actor, record):
    if is_system(actor) or permissions.can_edit(actor, record):
        return
    raise PermissionDenied(
        _(
            "Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được quản lý bản dịch của nội "
            "dung này."
        )
    )


def _translation_record(translation):
    record = translation.record
    if record is None:  # the record was deleted under it
        raise ValidationError(_("Không còn nội dung gốc của bản dịch này."))
    return record


def _clean_translation(record, data, translation):
    """The cleaned fields of a translation of `record`; ValidationError with messages per field."""
    clean = {name: str(data.get(name) or "").strip() for name in TRANSLATION_FIELDS}
    clean["language"] = clean["language"].lower()
    errors = {}
    for name, message in _TRANSLATION_REQUIRED.items():
        if not clean[name]:
            errors.setdefault(name, []).append(message)
    language = clean["language"]
    if language and language == VIETNAMESE:
        errors.setdefault("language", []).append(
            _("Văn bản tiếng Việt là bản gốc; bản dịch là sang một tiếng khác.")
        )
    elif language and not is_language_code(language):
        errors.setdefault("language", []).append(
            _("“%(code)s” không phải mã ngôn ngữ ISO 639-3 (ví dụ: kpm cho tiếng K'Ho, cma cho tiếng Mạ).")
            % {"code": language}
        )
    elif language:
        others = Translation.objects.of(record).filter(language=language)
        if translation is not None:
            others = others.exclude(pk=translation.pk)
        if others.exists():
            errors.setdefault("language", []).append(
                _("Nội dung này đã có bản dịch tiếng %(language)s; hãy sửa bản đó.")
                % {"language": language_name(language)}
            )
    for name in TRANSLATION_FIELDS:
        limit = Translation._meta.get_field(name).max_length
        if limit and len(clean[name]) > limit:
            errors.setdefault(name, []).append(
                _("Tối đa %(n)s ký tự (đang có %(m)s).") % {"n": limit, "m": len(clean[name])}
            )
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def save_translation(actor, record, data, translation=None):
    """Add a translation of `record` (`translation` None) or change one, from a dict of TRANSLATION_FIELDS.

    A new translation, and one whose language, title or summary changed, needs a speaker's check again
    (`verify_translation`) before readers see it. Editors of the record only; refused on an archived record.
    Raises ValidationError (messages per field) or PermissionDenied.
    """
    if not isinstance(record, Procedure | Guide | Faq):
        raise TypeError(f"Not a handbook record: {record!r}")
    _require_translation_editor(actor, record)
    if translation is not None and (
        translation.object_id != record.pk or translation.content_type.model_class() is not type(record)
    ):
        raise ValueError("The translation belongs to another record.")
    if record.status == Status.ARCHIVED:
        raise ValidationError(_("Nội dung đã lưu trữ: không thêm, không sửa bản dịch."))
    clean = _clean_translation(record, data, translation)
    if translation is None:
        translation = Translation(record=record, created_by=person(actor), **clean)
        translation.save()
        audit.record(
            actor,
            audit.Action.CREATE,
            translation,
            changes={"record": f"{record.kind}:{record.key}", "language": translation.language},
        )
        return translation
    changed = [name for name in TRANSLATION_FIELDS if getattr(translation, name) != clean[name]]
    if not changed:
        return translation
    for name in changed:
        setattr(translation, name, clean[name])
    changes = {"fields": changed}
    if translation.is_verified and set(changed) & set(TRANSLATION_TEXT):
        # The speaker checked the old text, not this one.
        changes["verification"] = [translation.verification, Translation.Verification.NEEDS_VERIFICATION]
        translation.verification = Translation.Verification.NEEDS_VERIFICATION
        translation.verifier_name = ""
        translation.verified_at = None
        translation.verified_by = None
    translation.save()
    audit.record(actor, audit.Action.UPDATE, translation, changes=changes)
    return translation


@transaction.atomic
def verify_translation(actor, translation, verifier_name):
    """Record that `verifier_name`, a speaker of the language, checked this translation: now, noted by `actor`.

    One translation at a time, always naming the speaker; the speaker must not be the translator (a second
    person checks, as a second reviewer publishes a change). Checking again later (after the Vietnamese text
    changed) records the new check.
    """
    record = _translation_record(translation)
    _require_translation_editor(actor, record)
    if record.status == Status.ARCHIVED:
        raise ValidationError(_("Nội dung đã lưu trữ: không xác nhận bản dịch."))
    verifier_name = str(verifier_name or "").strip()
    if not verifier_name:
        raise ValidationError(
            {"verifier_name": [_("Hãy ghi tên người nói tiếng này đã đọc và kiểm tra bản dịch.")]}
        )
    limit = Translation._meta.get_field("verifier_name").max_length
    if len(verifier_name) > limit:
        raise ValidationError({"verifier_name": [_("Tối đa %(n)s ký tự.") % {"n": limit}]})
    if fold(verifier_name) == fold(translation.translator_name):
        raise ValidationError(
            {
                "verifier_name": [
                    _("Người kiểm tra phải là một người nói tiếng này khác với người dịch (%(name)s).")
                    % {"name": translation.translator_name}
                ]
            }
        )
    old = translation.verification
    translation.verification = Translation.Verification.VERIFIED
    translation.verifier_name = verifier_name
    translation.verified_at = timezone.now()
    translation.verified_by = person(actor)
    translation.save(
        update_fields=["verification", "verifier_name", "verified_at", "verified_by", "updated_at"]
    )
    audit.record(
        actor,
        audit.Action.UPDATE,
        translation,
        changes={
            "verification": [old, translation.verification],
            "verifier_name": verifier_name,
            "verified_at": translation.verified_at.isoformat(),
        },
    )
    return translation


@transaction.atomic
def delete_translation(actor, translation):
    """Remove a translation (a wrong one is better gone than shown); the audit log keeps what it was."""
    record = translation.record
    if record is not None:
        _require_translation_editor(actor, record)
    elif not is_system(actor) and not permissions.is_editor(actor):
        raise PermissionDenied(_("Chỉ người biên tập cẩm nang được xóa bản dịch."))
    audit.record(
        actor,
        audit.Action.DELETE,
        translation,
        changes={
            "record": f"{record.kind}:{record.key}" if record is not None else None,
            "language": translation.language,
            "verification": translation.verification,
        },
    )
    translation.delete()


from .legal_changes import confirm_unchanged, mark_superseded, reinstate  # noqa: E402
from .legal_texts import build_catalogue as build_legal_catalogue  # noqa: E402
from .legal_texts import save_legal_text  # noqa: E402
from .national_codes import accept as accept_national_codes  # noqa: E402
from .national_codes import set_national_code  # noqa: E402
from .national_codes import upload_list as upload_national_list  # noqa: E402
from .review import request_changes  # noqa: E402
from .review import verify as verify_reviewed  # noqa: E402
from .transfer import (  # noqa: E402
    ImportReport,
    export_records,
    import_records,
    import_text,
    load_seed,
    start_import,
)

__all__ = [
    "ImportReport",
    "accept_national_codes",
    "archive",
    "build_legal_catalogue",
    "confirm_unchanged",
    "create_faq_draft",
    "delete_translation",
    "export_records",
    "import_records",
    "import_text",
    "load_seed",
    "mark_superseded",
    "mark_verified",
    "note_view",
    "on_publish_hooks",
    "publish",
    "reinstate",
    "request_changes",
    "restore_revision",
    "return_to_draft",
    "save_legal_text",
    "save_record",
    "save_translation",
    "set_national_code",
    "start_import",
    "submit_for_review",
    "upload_national_list",
    "verify_reviewed",
    "verify_translation",
]
