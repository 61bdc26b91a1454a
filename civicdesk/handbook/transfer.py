"""Import, export and the seed corpus (re-exported by services.py, which is where other apps import them from).

Import validates every record first and writes nothing unless all are valid; it is idempotent by code (procedures)
and slug (guides, FAQ entries), and skips records whose data has not changed since the last import (a hash of the
cleaned record), which keeps `civicdesk demo` fast on every run.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.jobs import start_job
from civicdesk.kernel.actors import is_system, person

from . import jobs, permissions
from .fields import ensure_fields
from .hooks import run_hooks
from .models import Content, Faq, Procedure
from .national import to_schema
from .records import (
    MODELS,
    add_revision,
    apply_data,
    build_context,
    digest,
    export_data,
    key_of,
    record_data,
    set_m2m,
)
from .schema import KEY_FIELD, ParseError, format_error, parse_text, validate
from .text import export_line

SEED_DIR = Path(__file__).resolve().parent / "seed"
Status = Content.Status


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    source_name: str = ""

    @property
    def ok(self):
        return not self.errors

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def _numbered(records):
    for index, item in enumerate(records, start=1):
        if isinstance(item, tuple) and len(item) == 2:
            yield item
        else:
            yield index, item


def _batch_codes(items):
    codes = set()
    for _line, raw in items:
        if isinstance(raw, dict):
            record = to_schema(raw)
            if record.get("kind") == "procedure" and isinstance(record.get("code"), str):
                codes.add(record["code"].strip())
    return codes


def import_records(records, *, actor, source_name="", dry_run=False):
    """Validate then write handbook records given as schema dicts (or national-database dicts); return a report.

    `records` is a list of dicts, or of (line, dict) pairs when the caller knows each record's line in its file.
    Errors read "dòng N, trường X: …". Nothing is written unless every record is valid (and nothing at all with
    `dry_run`). Province admins import anything; a department expert only records of their own department; `actor`
    may be the system (`kernel.actors.system`: the seed, the command line).
    """
    if not is_system(actor) and not permissions.is_editor(actor):
        raise PermissionDenied(_("Chỉ người biên tập cẩm nang được nhập dữ liệu."))
    report = ImportReport(source_name=source_name)
    items = list(_numbered(records))
    ctx = build_context(extra_codes=_batch_codes(items), province_id=getattr(actor, "province_id", None))
    cleaned, seen = [], {}
    for line, raw in items:
        clean, problems = validate(raw, ctx)
        report.errors += [format_error(line, name, message) for name, message in problems]
        if clean is None:
            continue
        key = (clean["kind"], key_of(clean))
        if key[1] and key in seen:
            report.errors.append(
                format_error(line, KEY_FIELD[clean["kind"]], _("trùng với dòng %(n)s.") % {"n": seen[key]})
            )
        seen[key] = line
        cleaned.append((line, clean))
    existing = _existing(cleaned)
    if not is_system(actor) and not actor.is_province_admin:
        for line, clean in cleaned:
            _check_owner(actor, line, clean, existing, ctx, report)
    if not report.ok:
        return report
    plan = []
    for _line, clean in cleaned:
        obj = existing.get((clean["kind"], key_of(clean)))
        if obj is not None and _same_as_current(obj, clean, ctx):
            report.unchanged += 1
        else:
            plan.append((clean, obj))
            report.created += obj is None
            report.updated += obj is not None
    if dry_run or not plan:
        return report
    with transaction.atomic():
        _write(plan, cleaned, actor, ctx, source_name)
    return report


def _same_as_current(obj, clean, ctx):
    """Whether importing `clean` would change nothing: same as the last import, or as the record's data now.

    Comparing with the record itself (through the same export and validation) keeps a re-import of our own export a
    no-op, even where the export carries what the original file left implicit (verification date, related
    procedures listed from the other side).
    """
    incoming = digest(clean)
    if obj.import_hash == incoming:
        return True
    data = export_data(obj)
    if obj.status not in (Status.PUBLISHED, Status.DRAFT):
        return False
    current, problems = validate(data, ctx)
    return current is not None and not problems and digest(current) == incoming


def _existing(cleaned):
    found = {}
    for kind, model in MODELS.items():
        keys = [key_of(c) for _line, c in cleaned if c["kind"] == kind]
        if keys:
            key_field = KEY_FIELD[kind]
            for obj in model.objects.filter(**{f"{key_field}__in": keys}):
                found[(kind, obj.key)] = obj
    return found


def _check_owner(actor, line, clean, existing, ctx, report):
    department = ctx.departments.get(clean["department"]) if clean["department"] else None
    obj = existing.get((clean["kind"], key_of(clean)))
    if not permissions.can_create(actor, department.pk if department else None) or (
        obj is not None and not permissions.can_edit(actor, obj)
    ):
        report.errors.append(
            format_error(line, "department", _("bạn không có quyền nhập nội dung của sở, ngành khác."))
        )


def _apply_state(obj, clean, actor, now):
    target = Status.PUBLISHED if clean["status"] == "published" else Status.DRAFT
    if target == Status.PUBLISHED:
        obj.published_at = now  # new content went live now
    obj.status = target
    if (
        clean["verification"] == "verified"
        and not clean["verified_at"]
        and (obj.verified_by or person(actor)) is None
    ):
        # A verification names its reviewer and its date (docs/handbook.md): the system — the seed, a scheduled
        # import — cannot vouch for a record today, so a record it loads as "verified" without the date of a check
        # waits for an editor like any other (an exported record keeps the date its reviewer checked it).
        obj.verification = Content.Verification.NEEDS_VERIFICATION
        obj.verified_at, obj.verified_by = None, None
        return
    if clean["verified_at"]:
        obj.verified_at = parse_datetime(clean["verified_at"])
        obj.verified_by = obj.verified_by or person(actor)
    elif clean["verification"] == "verified":
        if obj.verification != "verified" or obj.verified_at is None:
            obj.verified_at, obj.verified_by = now, person(actor)
    else:
        obj.verified_at, obj.verified_by = None, None


def _national_source(obj, clean, sourced, note):
    """Keep a national code's source true across imports (docs/handbook.md, "National codes").

    A file without a national code (the seed) keeps the code and online level an editor accepted with its source;
    a file that brings a code becomes that code's source.
    """
    if sourced is not None and not clean.get("national_code"):
        obj.national_code, obj.online_level, obj.national_code_source = sourced
    elif clean.get("national_code") and clean["national_code"] != (sourced or ("",))[0]:
        obj.national_code_source = str(note)
    elif not clean.get("national_code"):
        obj.national_code_source = ""


def _write(plan, cleaned, actor, ctx, source_name):
    now = timezone.now()
    note = _("Nhập dữ liệu: %(source)s") % {"source": source_name} if source_name else _("Nhập dữ liệu")
    written = []
    for clean, obj in plan:
        created = obj is None
        if created:
            obj = MODELS[clean["kind"]](created_by=person(actor))
        sourced = (
            (obj.national_code, obj.online_level, obj.national_code_source)
            if getattr(obj, "national_code_source", "")
            else None
        )
        m2m = apply_data(obj, clean, ctx)
        if clean["kind"] == "procedure":
            _national_source(obj, clean, sourced, note)
        _apply_state(obj, clean, actor, now)
        obj.import_hash = digest(clean)
        obj.save()
        written.append((obj, clean, m2m, created))
    _set_relations(written, cleaned)
    for obj, _clean, _m2m, _created in written:
        add_revision(obj, record_data(obj), author=person(actor), note=note, status=obj.status)
    published = [obj for obj, _c, _m, _n in written if obj.status == Status.PUBLISHED]
    if published:
        # Hooks mean "published content changed": one call per import, not one per record (a seed of 150 records
        # must not queue 150 index rebuilds).
        run_hooks(published[-1])
    audit.record(
        actor,
        audit.Action.IMPORT,
        object_type="handbook.content",
        object_repr=source_name or _("Nhập cẩm nang"),
        changes={
            "created": [f"{o.kind}:{o.key}" for o, _c, _m, new in written if new][:500],
            "updated": [f"{o.kind}:{o.key}" for o, _c, _m, new in written if not new][:500],
        },
    )


def _set_relations(written, cleaned):
    """Set many-to-many links; "related procedures" is symmetric, so the batch's links are merged, order-free."""
    own = {c["code"]: set(c["related"]) for _line, c in cleaned if c["kind"] == "procedure"}
    for obj, _clean, m2m, created in written:
        if obj.kind != "procedure":
            set_m2m(obj, m2m)
            continue
        desired = own[obj.code] | {other for other, links in own.items() if obj.code in links}
        if not created:
            desired |= {code for code in obj.related.values_list("code", flat=True) if code not in own}
        set_m2m(obj, {"related": sorted(desired)})


def import_text(text, *, actor, source_name="", dry_run=False):
    """Import a JSON or JSONL file's text; a file that is not valid JSON gives one error naming the line."""
    try:
        items = parse_text(text)
    except ParseError as exc:
        return ImportReport(errors=[format_error(exc.line, "-", str(exc))], source_name=source_name)
    return import_records(items, actor=actor, source_name=source_name, dry_run=dry_run)


def start_import(actor, text, *, source_name=""):
    """Check an uploaded file now and, if it is valid, write it in a background job.

    `actor` is the editor (a person: the job and its page are theirs). Returns (report, job): the dry run's report (errors by line and field, nothing written) and the job, or None
    when the file has errors. The job checks again before writing: another import may have changed the data.
    """
    report = import_text(text, actor=actor, source_name=source_name, dry_run=True)
    if not report.ok:
        return report, None
    job = start_job(
        actor,
        "handbook_import",
        _("Nhập cẩm nang từ %(name)s") % {"name": source_name},
        jobs.run_import,
        text=text,
        actor_id=actor.pk,
        source_name=source_name,
    )
    return report, job


def load_seed(actor, seed_dir=None):
    """Load the field list and every seed/*.json file, published, with revisions. Idempotent; unchanged records
    are skipped. Raises ImproperlyConfigured listing the errors if a seed file breaks the schema."""
    ensure_fields()
    items, errors = [], []
    for path in sorted(Path(seed_dir or SEED_DIR).glob("*.json")):
        try:
            parsed = parse_text(path.read_text(encoding="utf-8"))
        except ParseError as exc:
            errors.append(f"{path.name}: " + format_error(exc.line, "-", str(exc)))
            continue
        items += [(f"{line} ({path.name})", record) for line, record in parsed]
    if errors:
        raise ImproperlyConfigured("\n".join(errors))
    report = import_records(items, actor=actor, source_name="seed")
    if not report.ok:
        raise ImproperlyConfigured(_("Dữ liệu mẫu của cẩm nang có lỗi:") + "\n" + "\n".join(report.errors))
    return report


def _export_queryset(kind, include_unpublished):
    model = MODELS[kind]
    qs = model.objects.all() if include_unpublished else model.objects.published()
    qs = qs.select_related("department")
    if model is Procedure:
        return qs.select_related("field").prefetch_related("related").order_by("code")
    if model is Faq:
        return qs.select_related("field").prefetch_related("related_procedures").order_by("slug")
    return qs.prefetch_related("related_procedures").order_by("slug")


def export_records(fmt="jsonl", *, kinds=None, include_unpublished=False):
    """Yield the export as text chunks: one JSON line per published record (jsonl), or a JSON array of full records
    (json) that `import_text` reads back unchanged."""
    kinds = kinds or list(MODELS)
    if fmt == "jsonl":
        for kind in kinds:
            for obj in _export_queryset(kind, include_unpublished):
                yield json.dumps(export_line(obj), ensure_ascii=False) + "\n"
        return
    if fmt != "json":
        raise ValueError(_("Định dạng xuất không hỗ trợ: %(fmt)s") % {"fmt": fmt})
    yield "[\n"
    first = True
    for kind in kinds:
        for obj in _export_queryset(kind, include_unpublished):
            data = export_data(obj)
            if obj.status not in (Status.PUBLISHED, Status.DRAFT):
                data["status"] = Status.DRAFT  # the import schema knows published and draft only
            yield ("" if first else ",\n") + json.dumps(data, ensure_ascii=False, indent=1)
            first = False
    yield "\n]\n"


__all__ = ["ImportReport", "export_records", "import_records", "import_text", "load_seed"]
