"""The verification queue by department (docs/handbook.md, "Verification queue"): what needs checking, and the
two answers a reviewer gives on a record's review page.

A record needs checking when its verification says so or when a change of law flagged it (`LegalFlag`, open). A
department expert sees their own department's records; a province admin chooses a department, the records with no
department, or all of them (grouped by department). Answers:

- `verify(actor, record, note)` — "Đã kiểm chứng": verified now by the reviewer, with a note of what was checked.
  Always a named person: the system never verifies through this page.
- `request_changes(actor, record, note)` — "Cần sửa": the record stays "needs verification", the note says what to
  fix; flags stay open until the fixed record is verified.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.models import Department
from civicdesk.kernel.actors import is_system

from . import permissions
from .hooks import run_hooks
from .models import Content, Faq, Guide, LegalFlag, Procedure
from .records import set_verification

MODELS = {"procedure": Procedure, "guide": Guide, "faq": Faq}
Status = Content.Status
Verification = Content.Verification
ALL = "all"
NO_DEPARTMENT = "none"
NOTE_LIMIT = 2000


def _open_flag(model):
    return Exists(
        LegalFlag.objects.open().filter(
            content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
        )
    )


def needing_review(model, user):
    """The records of `model` `user` reads that need checking (archived ones aside), annotated `flagged`."""
    return (
        model.objects.visible_to(user)
        .exclude(status=Status.ARCHIVED)
        .annotate(flagged=_open_flag(model))
        .filter(Q(verification=Verification.NEEDS_VERIFICATION) | Q(flagged=True))
    )


def departments_for(user):
    """The departments `user` may choose in the queue (none for an expert: theirs is fixed)."""
    if not permissions.is_editor(user):
        return Department.objects.none()
    if user.is_superuser or user.is_province_admin:
        qs = Department.objects.filter(is_active=True).order_by("name")
        return qs.filter(province_id=user.province_id) if user.province_id else qs
    return Department.objects.filter(pk=user.department_id)


def chosen_department(user, value):
    """The department filter for `user`: an expert's own department whatever is asked; for a province admin the
    asked department code, NO_DEPARTMENT, or ALL (the default)."""
    if not (user.is_superuser or user.is_province_admin):
        return user.department
    if value == NO_DEPARTMENT:
        return NO_DEPARTMENT
    if value and value != ALL:
        return departments_for(user).filter(code=value).first() or ALL
    return ALL


def _department_q(department):
    if department == ALL:
        return Q()
    if department == NO_DEPARTMENT:
        return Q(department__isnull=True)
    return Q(department=department)


@dataclass
class Row:
    record: object
    flagged: bool

    @property
    def department_name(self):
        department = self.record.department
        return department.name if department else _("Chưa có sở, ngành chịu trách nhiệm")


def queue(user, *, department=ALL, kind="", flagged_only=False):
    """The rows of the queue, grouped by department (name order; no department last), changes of law first, then
    the oldest verification first. Reads only the columns the list shows."""
    kinds = [kind] if kind in MODELS else list(MODELS)
    rows = []
    for name in kinds:
        qs = needing_review(MODELS[name], user).filter(_department_q(department))
        if flagged_only:
            qs = qs.filter(flagged=True)
        fields = [
            "pk",
            "status",
            "verification",
            "verification_note",
            "verified_at",
            "updated_at",
            "department",
        ]
        fields += (
            ["code", "name"] if name == "procedure" else ["slug", "question" if name == "faq" else "title"]
        )
        qs = qs.select_related("department").only(*fields, "department__name", "department__short_name")
        rows += [Row(record, record.flagged) for record in qs]
    rows.sort(
        key=lambda row: (
            row.record.department is None,
            row.department_name,
            not row.flagged,
            # Never verified first, then the longest ago.
            row.record.verified_at is not None,
            row.record.verified_at.timestamp() if row.record.verified_at else 0,
            str(row.record.title),
        )
    )
    return rows


def counts_by_department(user):
    """{department id or None: number of records needing review} over what `user` reads."""
    counts = {}
    for model in MODELS.values():
        for row in needing_review(model, user).values("department").annotate(n=Count("pk")).order_by():
            counts[row["department"]] = counts.get(row["department"], 0) + row["n"]
    return counts


def _require_reviewer(actor, record):
    if is_system(actor):
        raise PermissionDenied(_("Kiểm chứng phải do một người duyệt có tên thực hiện."))
    if not permissions.can_review(actor, record):
        raise PermissionDenied(
            _(
                "Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được kiểm chứng nội dung này."
            )
        )
    if record.status == Status.ARCHIVED:
        raise ValidationError(_("Nội dung đã lưu trữ không cần kiểm chứng."))


def _clean_note(note, message):
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [message]})
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": [_("Tối đa %(n)s ký tự.") % {"n": NOTE_LIMIT}]})
    return note


@transaction.atomic
def verify(actor, record, note):
    """ "Đã kiểm chứng": the reviewer (a person who may review the record) checked it today; `note` says against
    what. Closes its legal-change flags (`services.mark_verified`)."""
    from .services import mark_verified

    _require_reviewer(actor, record)
    note = _clean_note(note, _("Hãy ghi đã đối chiếu với văn bản, nguồn nào."))
    return mark_verified(actor, record, note=note)


@transaction.atomic
def request_changes(actor, record, note):
    """ "Cần sửa": the record needs fixing before it can be verified; `note` (required) says what. Audited."""
    _require_reviewer(actor, record)
    note = _clean_note(note, _("Hãy ghi cần sửa gì để người soạn biết."))
    old = record.verification
    day = date_format(timezone.localdate(), "d/m/Y")
    text = _("Cần sửa (%(who)s, %(day)s): %(note)s") % {
        "who": actor.get_full_name(),
        "day": day,
        "note": note,
    }
    set_verification(record, Verification.NEEDS_VERIFICATION, text)
    audit.record(
        actor,
        audit.Action.UPDATE,
        record,
        changes={"verification": [old, record.verification], "review": "changes_requested"},
        reason=note[:255],
    )
    if record.status == Status.PUBLISHED and old != record.verification:
        run_hooks(record)
    return record
