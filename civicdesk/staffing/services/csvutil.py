"""Shared CSV reading for staffing imports: UTF-8 (with or without BOM), header on line 1, errors by line."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from civicdesk.kernel import csvfiles
from civicdesk.kernel.validators import has_control_characters


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def read_rows(text, required, optional=(), errors=None):
    """[(line, {column: stripped value})] from CSV text; header problems are appended to `errors`."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))

    def unreadable(line, message):
        errors.append(_("Dòng %(line)s: %(msg)s") % {"line": line, "msg": message})

    header = csvfiles.header(reader, unreadable)
    if header is None:
        return []
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        errors.append(_("Dòng 1: thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)})
        return []
    unknown = [c for c in header if c and c not in required and c not in optional]
    if unknown:
        errors.append(_("Dòng 1: cột không được hỗ trợ: %(cols)s.") % {"cols": ", ".join(unknown)})
        return []
    rows = []
    for line, row in csvfiles.records(reader, unreadable):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        bad = [k for k, v in row.items() if k is not None and has_control_characters(v)]
        if bad:
            errors.extend(
                _("Dòng %(line)s, cột %(col)s: có ký tự điều khiển không nhìn thấy.")
                % {"line": line, "col": col}
                for col in bad
            )
            continue
        rows.append(
            (line, {k: (v or "").strip() for k, v in row.items() if k is not None and isinstance(v, str)})
        )
    return rows


def number(row, column, line, errors, *, lo=0.0, hi=None, integer=False, default=None):
    """The number in `column`, or `default` when the cell is empty; errors name the line and the column."""
    raw = row.get(column, "")
    if raw == "":
        return default
    try:
        value = (
            int(raw)
            if integer
            else float(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
        )
    except ValueError:
        errors.append(
            _("Dòng %(line)s, cột %(col)s: “%(value)s” không phải là số%(kind)s.")
            % {"line": line, "col": column, "value": raw, "kind": _(" nguyên") if integer else ""}
        )
        return default
    if value < lo or (hi is not None and value > hi):
        errors.append(
            _("Dòng %(line)s, cột %(col)s: %(value)s nằm ngoài khoảng cho phép (%(lo)s–%(hi)s).")
            % {"line": line, "col": column, "value": raw, "lo": lo, "hi": hi if hi is not None else "∞"}
        )
        return default
    return value
