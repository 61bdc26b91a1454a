"""The handbook record schema (docs/handbook/schema.md): reading files, national-database names, validation.

A *record* is the plain dict of the schema. `parse_text()` reads JSON or JSONL and remembers the line each record
starts on; `national.to_schema()` maps the national procedure database's Vietnamese field names; `validate()` returns
the cleaned record and the problems found, as (field, message) pairs. Import, the edit forms (through
`services.save_record`) and export all use these, so what the form accepts is exactly what a file may contain.
"""

import json
import re
import unicodedata
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .national import to_schema
from .text import fold

KINDS = ("procedure", "guide", "faq")
LEVELS = ("xa", "tinh", "lien_thong")
METHODS = ("truc_tiep", "truc_tuyen", "buu_chinh")
ONLINE_LEVELS = ("toan_trinh", "mot_phan")
HANDBOOKS = ("professional", "technology")
AUDIENCES = ("officials", "citizens", "both")
VERIFICATIONS = ("verified", "needs_verification")
STATUSES = ("published", "draft")

COMMON = ["keywords", "source", "verification", "verification_note", "department"]
CONTENT_FIELDS = {
    "procedure": [
        "code",
        "national_code",
        "name",
        "decision",
        "level",
        "procedure_type",
        "field",
        "agency",
        "applicants",
        "steps",
        "methods",
        "components",
        "requirements",
        "result",
        "legal_basis",
        "online_level",
        "online_url",
        "related",
        "summary",
        "notes",
        "police",
        *COMMON,
    ],
    "guide": [
        "slug",
        "handbook",
        "title",
        "audience",
        "summary",
        "sections",
        "tags",
        "related_procedures",
        *COMMON,
    ],
    "faq": ["slug", "question", "answer", "field", "sources", "related_procedures", *COMMON],
}
# Fields an import file may carry besides the content: the workflow state and when it was last verified.
META_FIELDS = ["kind", "status", "verified_at"]
KEY_FIELD = {"procedure": "code", "guide": "slug", "faq": "slug"}

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_https = URLValidator(schemes=["https"])


class ParseError(ValueError):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


def parse_text(text):
    """Records of a JSON array, one JSON object, or JSONL, as a list of (line number, dict).

    Nesting deeper than Python's recursion limit (a hostile or broken file) is a ParseError naming the line where
    the record starts, not a RecursionError."""
    try:
        return _parse_text(text)
    except RecursionError:
        raise ParseError(
            _deep_line(text),
            _("dữ liệu lồng nhau quá sâu (mảng hoặc đối tượng lồng trong nhau quá nhiều tầng)."),
        ) from None


def _deep_line(text):
    """The line where nesting first goes past a hundred levels (where the trouble is), else 1."""
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > 100:
                return text.count("\n", 0, index) + 1
        elif char in "]}":
            depth -= 1
    return 1


def _parse_text(text):
    text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    if stripped.startswith("["):
        return _parse_array(text, offset + 1)
    if stripped.startswith("{") and _is_single_object(stripped):
        return [(text.count("\n", 0, offset) + 1, json.loads(stripped))]
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ParseError(number, _("không đọc được JSON (%(error)s).") % {"error": exc.msg}) from exc
    return records


def _is_single_object(text):
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _parse_array(text, index):
    decoder = json.JSONDecoder()
    records = []
    ws = re.compile(r"[\s,]*")
    while True:
        index = ws.match(text, index).end()
        if index >= len(text):
            raise ParseError(text.count("\n") + 1, _("tệp JSON kết thúc đột ngột (thiếu dấu ]).")) from None
        if text[index] == "]":
            break
        line = text.count("\n", 0, index) + 1
        try:
            record, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise ParseError(exc.lineno, _("không đọc được JSON (%(error)s).") % {"error": exc.msg}) from exc
        records.append((line, record))
    return records


class Context:
    """What validation looks up: fields, departments and the procedure codes that exist or arrive with the batch."""

    def __init__(self, *, fields, departments, procedure_codes):
        self.fields = fields
        self.field_by_name = {fold(f.name): code for code, f in fields.items()}
        self.departments = departments
        self.procedure_codes = set(procedure_codes)

    def field_code(self, value):
        if value in self.fields:
            return value
        return self.field_by_name.get(fold(value))


class Checker:
    """Collects (field, message) problems while cleaning one record."""

    def __init__(self):
        self.errors = []

    def add(self, field, message):
        self.errors.append((field, message))

    def text(self, raw, field, *, max_length=None, required=False, label=None):
        value = raw.get(field)
        field = label or field
        if value is None:
            value = ""
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n".join(value)
        elif not isinstance(value, str):
            self.add(field, _("phải là chuỗi văn bản."))
            return ""
        value = unicodedata.normalize("NFC", value).strip()
        if required and not value:
            self.add(field, _("không được để trống."))
        if max_length and len(value) > max_length:
            self.add(field, _("dài quá %(n)s ký tự.") % {"n": max_length})
        return value

    def choice(self, raw, field, choices, *, default=None, label=None):
        value = raw.get(field)
        field = label or field
        if value in (None, ""):
            if default is None:
                self.add(field, _("bắt buộc, một trong: %(choices)s.") % {"choices": ", ".join(choices)})
            return default
        if value not in choices:
            self.add(
                field,
                _("giá trị “%(value)s” không hợp lệ; dùng một trong: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices)},
            )
            return default
        return value

    def strings(self, raw, field, *, split=r"\n"):
        value = raw.get(field)
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = re.split(split, value)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(field, _("phải là danh sách chuỗi văn bản."))
            return []
        return [unicodedata.normalize("NFC", v).strip() for v in value if v.strip()]

    def integer(self, value, field, *, minimum=0, nullable=True):
        if value is None or value == "":
            if not nullable:
                self.add(field, _("bắt buộc, là số nguyên."))
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
            self.add(field, _("“%(value)s” không phải là số nguyên.") % {"value": value})
            return None
        if value < minimum:
            self.add(field, _("phải lớn hơn hoặc bằng %(n)s.") % {"n": minimum})
            return None
        return int(value)

    def boolean(self, value, field, default):
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(field, _("phải là true hoặc false."))
            return default
        return value


def validate(raw, ctx, *, for_import=True):
    """Clean one record. Return (record, [(field, message)]); the record holds every content field of its kind."""
    check = Checker()
    if not isinstance(raw, dict):
        check.add("kind", _("mỗi bản ghi phải là một đối tượng JSON {…}."))
        return None, check.errors
    raw = to_schema(raw)
    kind = raw.get("kind")
    if kind not in KINDS:
        check.add("kind", _("phải là một trong: %(choices)s.") % {"choices": ", ".join(KINDS)})
        return None, check.errors
    allowed = set(CONTENT_FIELDS[kind]) | set(META_FIELDS)
    for name in raw:
        if name not in allowed:
            check.add(name, _("trường không có trong lược đồ của loại “%(kind)s”.") % {"kind": kind})
    record = {"kind": kind}
    record.update(_CLEANERS[kind](raw, check, ctx))
    _clean_common(raw, record, check, ctx)
    if for_import:
        record["status"] = check.choice(raw, "status", STATUSES, default="published")
        record["verified_at"] = _verified_at(raw, check)
    return record, check.errors


def _key(raw, check, field, pattern, max_length, hint):
    value = check.text(raw, field, max_length=max_length, required=True)
    if value and not pattern.match(value):
        check.add(field, hint)
    return value


def _related(raw, field, check, ctx, own_code=None):
    codes = check.strings(raw, field, split=r"[,;\n]")
    for code in codes:
        if code == own_code:
            check.add(field, _("thủ tục không thể liên quan đến chính nó."))
        elif code not in ctx.procedure_codes:
            check.add(field, _("không có thủ tục mã “%(code)s”.") % {"code": code})
    return sorted(set(codes) - {own_code})


def _field(raw, check, ctx, *, required):
    value = raw.get("field")
    if value in (None, ""):
        if required:
            check.add("field", _("bắt buộc: mã lĩnh vực (xem docs/handbook/schema.md)."))
        return None
    code = ctx.field_code(value) if isinstance(value, str) else None
    if code is None:
        check.add("field", _("không có lĩnh vực “%(value)s”.") % {"value": value})
    return code


def _procedure(raw, check, ctx):
    code = _key(raw, check, "code", CODE_RE, 40, _("chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang."))
    record = {
        "code": code,
        "national_code": check.text(raw, "national_code", max_length=40) or None,
        "name": check.text(raw, "name", max_length=400, required=True),
        "decision": check.text(raw, "decision", max_length=200) or None,
        "level": check.choice(raw, "level", LEVELS, default="xa"),
        "procedure_type": check.text(raw, "procedure_type", max_length=200) or None,
        "field": _field(raw, check, ctx, required=True),
        "agency": check.text(raw, "agency", max_length=500),
        "applicants": check.text(raw, "applicants"),
        "steps": check.strings(raw, "steps"),
        "methods": _methods(raw.get("methods"), check),
        "components": _components(raw.get("components"), check),
        "requirements": check.text(raw, "requirements"),
        "result": check.text(raw, "result"),
        "legal_basis": check.strings(raw, "legal_basis"),
        "online_level": None,
        "online_url": None,
        "related": _related(raw, "related", check, ctx, own_code=code),
        "summary": check.text(raw, "summary"),
        "notes": check.text(raw, "notes"),
        "police": check.boolean(raw.get("police"), "police", False),
    }
    if raw.get("online_level") not in (None, ""):
        record["online_level"] = check.choice(raw, "online_level", ONLINE_LEVELS)
    url = check.text(raw, "online_url", max_length=200)
    if url:
        try:
            _https(url)
        except ValidationError:
            check.add("online_url", _("phải là địa chỉ https:// hợp lệ."))
        record["online_url"] = url
    return record


def _methods(value, check):
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        check.add("methods", _("phải là danh sách cách thức thực hiện."))
        return []
    methods, seen = [], set()
    for number, item in enumerate(value, start=1):
        label = f"methods[{number}]"
        if not isinstance(item, dict):
            check.add(label, _("phải là một đối tượng {method, processing_days, …}."))
            continue
        for name in item:
            if name not in ("method", "processing_days", "processing_text", "fee_text", "fee_amount"):
                check.add(f"{label}.{name}", _("trường không có trong lược đồ."))
        method = check.choice(item, "method", METHODS, label=f"{label}.method")
        if method in seen:
            check.add(f"{label}.method", _("cách thức “%(m)s” bị lặp.") % {"m": method})
        seen.add(method)
        methods.append(
            {
                "method": method,
                "processing_days": check.integer(item.get("processing_days"), f"{label}.processing_days"),
                "processing_text": check.text(item, "processing_text", label=f"{label}.processing_text"),
                "fee_text": check.text(item, "fee_text", label=f"{label}.fee_text"),
                "fee_amount": check.integer(item.get("fee_amount"), f"{label}.fee_amount"),
            }
        )
    return methods


def _components(value, check):
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        check.add("components", _("phải là danh sách thành phần hồ sơ."))
        return []
    components = []
    for number, item in enumerate(value, start=1):
        label = f"components[{number}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            check.add(label, _("phải là một đối tượng {name, original, copy, …}."))
            continue
        for name in item:
            if name not in ("name", "original", "copy", "form", "required", "note"):
                check.add(f"{label}.{name}", _("trường không có trong lược đồ."))
        components.append(
            {
                "name": check.text(item, "name", required=True, label=f"{label}.name"),
                "original": check.integer(item.get("original", 0), f"{label}.original") or 0,
                "copy": check.integer(item.get("copy", 0), f"{label}.copy") or 0,
                "form": check.text(item, "form", label=f"{label}.form") or None,
                "required": check.boolean(item.get("required"), f"{label}.required", True),
                "note": check.text(item, "note", label=f"{label}.note"),
            }
        )
    return components


def _guide(raw, check, ctx):
    slug = _key(raw, check, "slug", SLUG_RE, 120, _("chỉ gồm chữ thường không dấu, số và dấu gạch ngang."))
    sections = []
    value = raw.get("sections")
    if not isinstance(value, list) or not value:
        check.add("sections", _("cần ít nhất một mục {heading, body}."))
    else:
        for number, item in enumerate(value, start=1):
            label = f"sections[{number}]"
            if not isinstance(item, dict):
                check.add(label, _("phải là một đối tượng {heading, body}."))
                continue
            for name in item:
                if name not in ("heading", "body"):
                    check.add(f"{label}.{name}", _("trường không có trong lược đồ."))
            sections.append(
                {
                    "heading": check.text(
                        item, "heading", max_length=300, required=True, label=f"{label}.heading"
                    ),
                    "body": check.text(item, "body", required=True, label=f"{label}.body"),
                }
            )
    return {
        "slug": slug,
        "handbook": check.choice(raw, "handbook", HANDBOOKS),
        "title": check.text(raw, "title", max_length=300, required=True),
        "audience": check.choice(raw, "audience", AUDIENCES, default="officials"),
        "summary": check.text(raw, "summary"),
        "sections": sections,
        "tags": check.strings(raw, "tags", split=r"[,\n]"),
        "related_procedures": _related(raw, "related_procedures", check, ctx),
    }


def _faq(raw, check, ctx):
    return {
        "slug": _key(
            raw, check, "slug", SLUG_RE, 120, _("chỉ gồm chữ thường không dấu, số và dấu gạch ngang.")
        ),
        "question": check.text(raw, "question", max_length=500, required=True),
        "answer": check.text(raw, "answer", required=True),
        "field": _field(raw, check, ctx, required=False),
        "sources": check.strings(raw, "sources"),
        "related_procedures": _related(raw, "related_procedures", check, ctx),
    }


_CLEANERS = {"procedure": _procedure, "guide": _guide, "faq": _faq}


def _clean_common(raw, record, check, ctx):
    record["keywords"] = check.strings(raw, "keywords", split=r"[,\n]")
    record["source"] = check.text(raw, "source")
    record["verification"] = check.choice(raw, "verification", VERIFICATIONS, default="needs_verification")
    record["verification_note"] = check.text(raw, "verification_note")
    department = raw.get("department") or None
    if department is None and record.get("field") in ctx.fields:
        # The responsible department follows the field unless the record names one.
        candidate = ctx.fields[record["field"]].default_department_code
        department = candidate if candidate in ctx.departments else None
    elif department is not None and department not in ctx.departments:
        check.add("department", _("không có sở, ngành mã “%(code)s”.") % {"code": department})
        department = None
    record["department"] = department


def _verified_at(raw, check):
    value = raw.get("verified_at")
    if value in (None, ""):
        return None
    parsed = None
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None and parse_date(value):
            parsed = datetime.combine(parse_date(value), time(12, 0))
    if parsed is None:
        check.add(
            "verified_at", _("phải là ngày giờ ISO 8601, ví dụ 2026-03-01 hoặc 2026-03-01T09:00:00+07:00.")
        )
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed.isoformat()


def format_error(line, field, message):
    """The one error shape of imports: “dòng N, trường X: …”."""
    return _("dòng %(line)s, trường %(field)s: %(message)s") % {
        "line": line,
        "field": field,
        "message": message,
    }
