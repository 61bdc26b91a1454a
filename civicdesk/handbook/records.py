"""Between schema dicts and model instances: snapshots for revisions and export, applying cleaned data, revisions.

Only services.py and transfer.py call `apply_data` and `add_revision` (they are the write path); the read helpers
(`record_data`, `export_data`, `get_model`) are used by views and the API too.
"""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max

from civicdesk.core.models import Department

from .models import Faq, Field, Guide, Procedure, Revision
from .schema import CONTENT_FIELDS, KEY_FIELD, Context

MODELS = {"procedure": Procedure, "guide": Guide, "faq": Faq}
# Schema fields stored as blank strings in the model but written as null in the schema.
NULLABLE_TEXT = {"national_code", "decision", "procedure_type", "online_level", "online_url"}
M2M = {"related", "related_procedures"}


def get_model(kind):
    return MODELS[kind]


def record_data(obj):
    """The schema dict of a record's current content (what a revision stores, what JSON export writes)."""
    data = {"kind": obj.kind}
    for name in CONTENT_FIELDS[obj.kind]:
        if name == "field":
            data[name] = obj.field.code if obj.field_id else None
        elif name == "department":
            data[name] = obj.department.code if obj.department_id else None
        elif name in M2M:
            data[name] = sorted(p.code for p in getattr(obj, name).all()) if obj.pk else []
        elif name in NULLABLE_TEXT:
            data[name] = getattr(obj, name) or None
        else:
            data[name] = getattr(obj, name)
    return data


def export_data(obj):
    """`record_data` plus the workflow state and verification date: the JSON export, which import reads back."""
    data = record_data(obj)
    data["status"] = obj.status
    data["verified_at"] = obj.verified_at.isoformat() if obj.verified_at else None
    return data


def working_data(obj):
    """The editable version: the pending change of a published record, else the record itself."""
    if obj.pending_revision_id:
        return obj.pending_revision.data
    return record_data(obj)


def digest(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build_context(*, extra_codes=(), province_id=None):
    """Validation context from the database: fields, departments (of one province when given), procedure codes."""
    from .fields import ensure_fields

    fields = {f.code: f for f in Field.objects.all()} or ensure_fields()
    departments = {}
    depts = Department.objects.select_related("province").order_by("province__code", "pk")
    if province_id:
        depts = depts.filter(province_id=province_id)
    for dept in depts:
        departments.setdefault(dept.code, dept)
    codes = set(Procedure.objects.values_list("code", flat=True)) | set(extra_codes)
    return Context(fields=fields, departments=departments, procedure_codes=codes)


def apply_data(obj, data, ctx):
    """Set the scalar fields of `obj` from cleaned `data`; return the many-to-many values ({name: [codes]})."""
    m2m = {}
    for name in CONTENT_FIELDS[data["kind"]]:
        value = data.get(name)
        if name == "field":
            obj.field = ctx.fields[value] if value else None
        elif name == "department":
            obj.department = ctx.departments.get(value) if value else None
        elif name in M2M:
            m2m[name] = value or []
        elif name in NULLABLE_TEXT:
            if name == "national_code" and (value or "") != obj.national_code:
                # The source named the old code; a code typed in the edit form has none (national_codes.py sets it).
                obj.national_code_source = ""
            setattr(obj, name, value or "")
        else:
            setattr(obj, name, value)
    return m2m


def set_m2m(obj, m2m):
    for name, codes in m2m.items():
        getattr(obj, name).set(Procedure.objects.filter(code__in=codes))


def add_revision(obj, data, *, author, note="", status=""):
    content_type = ContentType.objects.get_for_model(obj)
    last = Revision.objects.filter(content_type=content_type, object_id=obj.pk).aggregate(n=Max("number"))[
        "n"
    ]
    return Revision.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        number=(last or 0) + 1,
        data=data,
        author=author if author is not None and author.is_authenticated else None,
        note=str(note)[:255],
        status=status,
    )


def revisions_of(obj):
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("author")


def authors_since_publication(obj):
    """Ids of everyone who authored a revision after the last publication: they may not publish it themselves."""
    revisions = revisions_of(obj)
    last = revisions.filter(status="published").aggregate(n=Max("number"))["n"] or 0
    return set(revisions.filter(number__gt=last).exclude(author=None).values_list("author_id", flat=True))


def key_of(data):
    return data.get(KEY_FIELD[data["kind"]])


# The verification fields: a check of the content, not the content itself.
VERIFICATION_FIELDS = ("verification", "verification_note")


def content_digest(obj):
    """A hash of the record's editable content (a pending change included), its verification fields aside: it
    changes when someone edits the record, not when someone verifies or flags it."""
    data = {k: v for k, v in working_data(obj).items() if k not in VERIFICATION_FIELDS}
    return digest(data)


def set_verification(obj, verification, note, *, verified_by=None, verified_at=None):
    """Write a record's verification state (and who verified it when, for "verified"), keeping a pending change in
    step: the pending change carries the verification fields too, and publishing it must not undo this write.

    For services only (mark_verified, the review and the legal-change flags), which check permissions and audit.
    """
    fields = ["verification", "verification_note", "updated_at"]
    obj.verification = verification
    obj.verification_note = note
    if verified_at is not None:
        obj.verified_at, obj.verified_by = verified_at, verified_by
        fields += ["verified_at", "verified_by"]
    obj.save(update_fields=fields)
    if obj.pending_revision_id:
        pending = obj.pending_revision
        pending.data = {**pending.data, "verification": verification, "verification_note": note}
        pending.save(update_fields=["data"])
