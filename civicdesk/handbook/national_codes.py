"""National codes: reading the national database's published procedure list, proposing codes, accepting them.

An editor uploads the list (Excel .xlsx, CSV or JSON as the national portal exports it). The file is read whole and
checked first: any bad line is reported by its number and nothing is kept. A good file is stored as a `NationalList`;
its rows are matched to our procedures by name (`matching.py`) and shown as proposals. Nothing is written to a
procedure until an editor accepts a proposal; each acceptance writes the code, the online level and where they were
read (`national_code_source`), and is audited. The seed never carries guessed codes.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civicdesk.core import audit
from civicdesk.kernel import csvfiles
from civicdesk.kernel.actors import is_system, person
from civicdesk.kernel.validators import describe, has_control_characters

from . import permissions
from .matching import Matcher
from .models import Content, NationalList, Procedure
from .national import field_of, level, online_level
from .schema import ParseError, parse_text

MAX_ROWS = 20000
# Columns read from the list; other columns (STT, Cơ quan thực hiện…) are ignored.
COLUMNS = ("national_code", "name", "level", "field", "online_level")
LIMITS = {"national_code": 40, "name": 400, "level": 200, "field": 200, "online_level": 100}
REQUIRED = {"national_code": _lazy("Mã thủ tục"), "name": _lazy("Tên thủ tục")}


class ListError(ValueError):
    """A bad file: `errors` are the lines "dòng N: …" to show; nothing was stored."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


def _error(line, message, column=None):
    if column:
        return _("dòng %(line)s, cột “%(column)s”: %(message)s") % {
            "line": line,
            "column": column,
            "message": message,
        }
    return _("dòng %(line)s: %(message)s") % {"line": line, "message": message}


# Reading the file: (line, {label: value}) rows ------------------------------------------------------------------


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ListError([_error(1, _("không mở được tệp Excel (.xlsx)."))]) from exc
    try:
        sheet = book.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(values)
    finally:
        book.close()


def _csv_rows(text, errors):
    reader = csv.reader(io.StringIO(text))
    try:
        first = next(reader)
    except StopIteration:
        return
    except csv.Error:
        errors.append(_error(1, _("không đọc được dòng tiêu đề như CSV.")))
        return
    yield 1, first
    yield from csvfiles.records(reader, lambda line, message: errors.append(_error(line, message)))


def _table(rows, errors):
    """From (line, [cells]) rows with a header among the first ten lines: (line, {field: (label, value)})."""
    header = None
    for line, cells in rows:
        if header is None:
            named = {i: field_of(cell) for i, cell in enumerate(cells) if isinstance(cell, str)}
            found = {i: name for i, name in named.items() if name in COLUMNS}
            # National exports often open with a title line; the header is the line naming the code and the name.
            if {"national_code", "name"} <= set(found.values()):
                header = {i: (name, str(cells[i]).strip()) for i, name in found.items()}
            elif line >= 10:
                break
            continue
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        yield (
            line,
            {name: (label, cells[i] if i < len(cells) else None) for i, (name, label) in header.items()},
        )
    if header is None:
        errors.append(
            _error(
                1,
                _("không tìm thấy dòng tiêu đề có cột “Mã thủ tục” (hoặc “Mã TTHC”) và “Tên thủ tục”."),
            )
        )


def _json_table(text, errors):
    try:
        records = parse_text(text)
    except ParseError as exc:
        errors.append(_error(exc.line, str(exc)))
        return
    for line, raw in records:
        if not isinstance(raw, dict):
            errors.append(_error(line, _("mỗi thủ tục phải là một đối tượng JSON.")))
            continue
        row = {}
        for key, value in raw.items():
            name = field_of(key)
            if name in COLUMNS:
                row[name] = (str(key), value)
        yield line, row


def _clean(line, row, errors):
    clean = {"line": line}
    bad = set()
    for name in COLUMNS:
        if name not in row:
            continue
        label, value = row[name]
        before = len(errors)
        clean[name] = _cell(line, name, label, value, errors)
        if len(errors) > before:
            bad.add(name)
    for name, label in REQUIRED.items():
        if name not in bad and not clean.get(name):
            errors.append(_error(line, _("thiếu %(label)s.") % {"label": label}))
    return clean


def _cell(line, name, label, value, errors):
    """The cleaned text of one cell ("" after an error, which is appended to `errors`)."""
    if name == "national_code" and isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel turns "1.000130" into the number 1.00013: the code cannot be read back without guessing.
        errors.append(
            _error(
                line,
                _("mã thủ tục là một số (%(value)s); hãy định dạng cột là văn bản (Text) rồi xuất lại.")
                % {"value": value},
                label,
            )
        )
        return ""
    text = "" if value is None else str(value).strip()
    if has_control_characters(text):
        errors.append(
            _error(
                line,
                _("có ký tự điều khiển không nhìn thấy (%(code)s).") % {"code": describe(text)},
                label,
            )
        )
        return ""
    if len(text) > LIMITS[name]:
        errors.append(_error(line, _("dài quá %(n)s ký tự.") % {"n": LIMITS[name]}, label))
        return ""
    if name == "online_level":
        converted = online_level(text)
        if converted not in (None, *Procedure.OnlineLevel.values):
            errors.append(
                _error(
                    line,
                    _("mức độ “%(value)s” không rõ; dùng “Toàn trình”, “Một phần” hoặc để trống.")
                    % {"value": text},
                    label,
                )
            )
            return ""
        text = converted or ""
    elif name == "level" and text:
        text = level(text)
    return text


def read_list(name, data):
    """The rows of an uploaded national list, or ListError naming every bad line. Reads, never writes."""
    errors = []
    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        table = _table(_xlsx_rows(data), errors)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ListError([_error(1, _("tệp phải được lưu với bảng mã UTF-8."))]) from exc
        if name.lower().endswith((".json", ".jsonl")) or text.lstrip()[:1] in ("[", "{"):
            table = _json_table(text, errors)
        else:
            table = _table(_csv_rows(text, errors), errors)
    rows, seen = [], {}
    for line, row in table:
        if len(rows) >= MAX_ROWS:
            errors.append(_error(line, _("tệp có quá %(n)s thủ tục.") % {"n": MAX_ROWS}))
            break
        clean = _clean(line, row, errors)
        code = clean.get("national_code")
        if code:
            if code in seen:
                errors.append(
                    _error(
                        line, _("mã %(code)s đã có ở dòng %(other)s.") % {"code": code, "other": seen[code]}
                    )
                )
            seen.setdefault(code, line)
        rows.append(clean)
    if not rows and not errors:
        errors.append(_error(2, _("tệp không có thủ tục nào dưới dòng tiêu đề.")))
    if errors:
        raise ListError(errors)
    return rows


@transaction.atomic
def upload_list(actor, name, data):
    """Read and store an uploaded list (ListError when any line is bad: nothing stored). Audited."""
    if not permissions.is_editor(actor):
        raise PermissionDenied(_("Chỉ chuyên viên sở, ngành và quản trị cấp tỉnh biên tập cẩm nang."))
    rows = read_list(name, data)
    national_list = NationalList.objects.create(uploaded_by=person(actor), file_name=name[:255], rows=rows)
    audit.record(actor, audit.Action.CREATE, national_list, changes={"rows": len(rows)})
    return national_list


# Proposals and acceptance ---------------------------------------------------------------------------------------


@dataclass
class Proposal:
    row: dict
    procedure: Procedure
    score: float
    exact: bool

    @property
    def line(self):
        return self.row["line"]

    @property
    def done(self):
        """The procedure already has this code (and level, when the list has one)."""
        level_same = "online_level" not in self.row or self.row["online_level"] == self.procedure.online_level
        return self.procedure.national_code == self.row["national_code"] and level_same

    @property
    def online_level_label(self):
        value = self.row.get("online_level")
        return Procedure.OnlineLevel(value).label if value else ""


def editable_procedures(user):
    procedures = (
        Procedure.objects.visible_to(user)
        .exclude(status=Content.Status.ARCHIVED)
        .select_related("department")
    )
    return [p for p in procedures if permissions.can_edit(user, p)]


def proposals(national_list, user):
    """(proposals, unmatched rows): each row's top candidate among the procedures `user` may edit, with its score."""
    matcher = Matcher(editable_procedures(user))
    found, unmatched = [], []
    for row in national_list.rows:
        match = matcher.best(row["name"])
        if match is None:
            unmatched.append(row)
        else:
            found.append(Proposal(row, match.candidate, match.score, match.exact))
    return found, unmatched


def source_text(national_list, line):
    day = date_format(timezone.localtime(national_list.uploaded_at).date(), "d/m/Y")
    return _("Danh sách TTHC quốc gia tải lên ngày %(day)s, dòng %(line)s") % {"day": day, "line": line}


@transaction.atomic
def accept(actor, national_list, lines):
    """Accept the proposals of `lines` (row numbers of the file): each writes code, level and source. Returns them.

    The procedure is the one matching proposes now, never one a form names: a tampered post cannot aim a code
    elsewhere. A line without a proposal is a ValidationError and nothing is written.
    """
    by_line = {p.line: p for p in proposals(national_list, actor)[0]}
    wanted = sorted(set(lines))
    missing = [line for line in wanted if line not in by_line]
    if missing or not wanted:
        raise ValidationError(
            _("Không có đề xuất cho dòng: %(lines)s.") % {"lines": ", ".join(map(str, missing))}
            if missing
            else _("Chưa chọn đề xuất nào.")
        )
    targets = {}
    for line in wanted:
        other = targets.setdefault(by_line[line].procedure.pk, line)
        if other != line:
            raise ValidationError(
                _("Dòng %(a)s và dòng %(b)s cùng đề xuất cho thủ tục %(code)s; hãy chấp nhận một dòng.")
                % {"a": other, "b": line, "code": by_line[line].procedure.code}
            )
    accepted = []
    for line in wanted:
        proposal = by_line[line]
        if proposal.done:
            continue
        row = proposal.row
        set_national_code(
            actor,
            proposal.procedure,
            code=row["national_code"],
            online_level=row.get("online_level"),
            source=source_text(national_list, line),
        )
        accepted.append(proposal)
    return accepted


@transaction.atomic
def set_national_code(actor, procedure, *, code, online_level=None, source):
    """Write a procedure's national code, its online level (None: keep ours) and where they were read. Audited.

    The code is reference data read from the national list, so it is written to the record at once (no review
    round), with its source; a pending change of a published record gets it too, so publishing keeps it.
    """
    if not is_system(actor) and not permissions.can_edit(actor, procedure):
        raise PermissionDenied(
            _("Chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được sửa.")
        )
    code, source = (code or "").strip(), (source or "").strip()
    if not code or not source:
        raise ValidationError(_("Mã thủ tục quốc gia chỉ được ghi cùng nguồn đã đọc mã."))
    for value in (code, source):
        if has_control_characters(value):
            raise ValidationError(
                _("Nội dung có ký tự điều khiển không nhìn thấy (%(code)s).") % {"code": describe(value)}
            )
    if len(code) > 40:
        raise ValidationError(_("Mã thủ tục dài quá 40 ký tự."))
    if online_level is not None and online_level not in ("", *Procedure.OnlineLevel.values):
        raise ValidationError(_("Mức độ dịch vụ công trực tuyến không hợp lệ."))
    procedure = (
        Procedure.objects.select_for_update(of=("self",))
        .select_related("pending_revision")
        .get(pk=procedure.pk)
    )
    changes = {"national_code": [procedure.national_code, code], "national_code_source": source}
    procedure.national_code, procedure.national_code_source = code, source
    if online_level is not None:
        changes["online_level"] = [procedure.online_level, online_level]
        procedure.online_level = online_level
    procedure.save(
        update_fields=["national_code", "national_code_source", "online_level", "search_text", "updated_at"]
    )
    if procedure.pending_revision_id:
        pending = procedure.pending_revision
        pending.data = {
            **pending.data,
            "national_code": code,
            "online_level": procedure.online_level or None,
        }
        pending.save(update_fields=["data"])
    audit.record(actor, audit.Action.UPDATE, procedure, changes=changes, reason=source)
    return procedure


def missing(user, field=None):
    """Procedures `user` reads that have no national code (not archived), optionally of one field (code)."""
    qs = (
        Procedure.objects.visible_to(user)
        .exclude(status=Content.Status.ARCHIVED)
        .filter(national_code="")
        .select_related("field")
    )
    if field:
        qs = qs.filter(field__code=field)
    return qs
