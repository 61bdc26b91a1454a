"""Reading and validating the secondment optimiser's CSV inputs (Django only for gettext).

Four files, UTF-8 (a BOM, as Excel writes it, is accepted), comma-separated, header on line 1:

* communes: ``commune_code,lat,lon``
* needs:    ``commune_code,field,units,priority``   (units ≥ 0, priority 1–5, one row per commune and field)
* staff:    ``staff_id,department,fields,home_lat,home_lon``   (``fields`` separated by ``;``)
* quotas:   ``department,max_release``   (optional; no file or an empty one = no department limit; otherwise a
  department missing from the file releases nobody -- see civicdesk.staffing.optimizer)

Columns may come in any order but must be exactly these. Every problem in every file is collected and raised
together as one :class:`PlanInputError`, each message naming the file and line (the header is line 1) in the
active language (Vietnamese by default), so a planner can fix a file in one pass instead of one error per upload.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from civicdesk.staffing.optimizer import Commune, Locks, Need, PlanInput, Staff

Source = str | os.PathLike | IO[str] | IO[bytes]

COMMUNE_COLUMNS = ("commune_code", "lat", "lon")
NEED_COLUMNS = ("commune_code", "field", "units", "priority")
STAFF_COLUMNS = ("staff_id", "department", "fields", "home_lat", "home_lon")
QUOTA_COLUMNS = ("department", "max_release")

_INT_RE = re.compile(r"^[+-]?\d+$")
_DECIMAL_COMMA_RE = re.compile(r"^[+-]?\d+,\d+$")


class PlanInputError(ValueError):
    """All validation errors found in the inputs, one message per problem."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# ----------------------------------------------------------------------------------------- low level


def _name_of(src: Source, default: str) -> str:
    raw = getattr(src, "name", None) if hasattr(src, "read") else src
    if isinstance(raw, (str, os.PathLike)) and str(raw):
        return Path(raw).name
    return default


def _read_text(src: Source, name: str, errors: list[str]) -> str | None:
    try:
        data = src.read() if hasattr(src, "read") else Path(src).read_bytes()
    except FileNotFoundError:
        errors.append(_("%(file)s: không tìm thấy tệp.") % {"file": name})
        return None
    except OSError as exc:
        errors.append(
            _("%(file)s: không đọc được tệp (%(error)s).") % {"file": name, "error": exc.strerror or exc}
        )
        return None
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            errors.append(
                _(
                    "%(file)s: tệp không phải mã UTF-8 (byte lỗi ở vị trí %(position)s); hãy lưu lại dưới dạng 'CSV UTF-8'."
                )
                % {"file": name, "position": exc.start}
            )
            return None
    return data.removeprefix("\ufeff")


def _rows(src: Source, default: str, columns: tuple[str, ...], errors: list[str]):
    """Return (file name, [(line number, {column: stripped value})]) or (name, None) if unusable."""
    name = _name_of(src, default)
    text = _read_text(src, name, errors)
    if text is None:
        return name, None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        errors.append(
            _("%(file)s dòng 1: không đọc được dòng tiêu đề (%(error)s).") % {"file": name, "error": exc}
        )
        return name, None
    want = ", ".join(columns)
    if header is None or not any(h.strip() for h in header):
        errors.append(
            _("%(file)s dòng 1: tệp trống, thiếu dòng tiêu đề (%(columns)s).")
            % {"file": name, "columns": want}
        )
        return name, None
    header = [h.strip() for h in header]
    bad = False
    if len(header) == 1 and ";" in header[0]:
        errors.append(
            _("%(file)s dòng 1: tệp dùng dấu ';' để ngăn cột; cần dấu phẩy ',' (tiêu đề: %(columns)s).")
            % {"file": name, "columns": want}
        )
        return name, None
    for col in columns:
        if col not in header:
            errors.append(
                _("%(file)s dòng 1: thiếu cột '%(column)s' (cần đúng các cột: %(columns)s).")
                % {"file": name, "column": col, "columns": want}
            )
            bad = True
    for col in header:
        if col not in columns:
            errors.append(
                _("%(file)s dòng 1: cột thừa '%(column)s' (cần đúng các cột: %(columns)s).")
                % {"file": name, "column": col, "columns": want}
            )
            bad = True
    for col in sorted({c for c in header if header.count(c) > 1}):
        errors.append(_("%(file)s dòng 1: cột '%(column)s' bị lặp.") % {"file": name, "column": col})
        bad = True
    if bad:
        return name, None
    out = []
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue  # blank lines (often at the end of an Excel export) are harmless
            if len(row) != len(header):
                errors.append(
                    _("%(where)s: có %(found)s cột, cần %(wanted)s cột (%(columns)s).")
                    % {"where": _where(name, line), "found": len(row), "wanted": len(header), "columns": want}
                )
                continue
            out.append((line, {h: cell.strip() for h, cell in zip(header, row, strict=True)}))
    except csv.Error as exc:
        errors.append(
            _("%(where)s: lỗi định dạng CSV (%(error)s).")
            % {"where": _where(name, reader.line_num), "error": exc}
        )
    return name, out


def _where(name: str, line: int) -> str:
    """Where a problem is ("communes.csv dòng 12"), at the start of its message."""
    return _("%(file)s dòng %(line)s") % {"file": name, "line": line}


def _text(row: dict, col: str, where: str, errs: list[str]) -> str | None:
    value = row[col]
    if not value:
        errs.append(_("%(where)s: %(column)s không được để trống.") % {"where": where, "column": col})
        return None
    return value


def _float(row: dict, col: str, lo: float, hi: float, where: str, errs: list[str]) -> float | None:
    raw = row[col]
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not lo <= value <= hi:
        params = {"where": where, "column": col, "lo": f"{lo:g}", "hi": f"{hi:g}", "raw": raw}
        if _DECIMAL_COMMA_RE.match(raw):
            errs.append(
                _(
                    "%(where)s: %(column)s phải là số thực từ %(lo)s đến %(hi)s (nhận được '%(raw)s') "
                    "— dùng dấu chấm '.' làm dấu thập phân."
                )
                % params
            )
        else:
            errs.append(
                _("%(where)s: %(column)s phải là số thực từ %(lo)s đến %(hi)s (nhận được '%(raw)s').")
                % params
            )
        return None
    return value


def _int(row: dict, col: str, lo: int, hi: int | None, where: str, errs: list[str]) -> int | None:
    raw = row[col]
    value = int(raw) if _INT_RE.match(raw) else None
    if value is None or value < lo or (hi is not None and value > hi):
        params = {"where": where, "column": col, "lo": lo, "hi": hi, "raw": raw}
        if hi is not None:
            errs.append(
                _("%(where)s: %(column)s phải là số nguyên từ %(lo)s đến %(hi)s (nhận được '%(raw)s').")
                % params
            )
        else:
            errs.append(_("%(where)s: %(column)s phải là số nguyên ≥ %(lo)s (nhận được '%(raw)s').") % params)
        return None
    return value


def _duplicate(key, seen: dict, what: str, where: str, line: int, errs: list[str]) -> bool:
    if key in seen:
        errs.append(
            _("%(where)s: %(what)s bị trùng (đã có ở dòng %(line)s).")
            % {"where": where, "what": what, "line": seen[key]}
        )
        return True
    seen[key] = line
    return False


# -------------------------------------------------------------------------------------------- parsers


def _parse_communes(src: Source, errors: list[str]) -> tuple[list[Commune], dict[str, int] | None]:
    """Communes plus {code: line}; the map is None when the file itself was unusable."""
    name, rows = _rows(src, "communes.csv", COMMUNE_COLUMNS, errors)
    out: list[Commune] = []
    seen: dict[str, int] = {}
    for line, row in rows or []:
        where = _where(name, line)
        code = _text(row, "commune_code", where, errors)
        lat = _float(row, "lat", -90.0, 90.0, where, errors)
        lon = _float(row, "lon", -180.0, 180.0, where, errors)
        if code is not None and _duplicate(code, seen, f"commune_code '{code}'", where, line, errors):
            continue
        if code is not None and lat is not None and lon is not None:
            out.append(Commune(code, lat, lon))
    return out, (seen if rows is not None else None)


def _parse_needs(src: Source, errors: list[str], known: set[str] | None) -> list[Need]:
    name, rows = _rows(src, "needs.csv", NEED_COLUMNS, errors)
    out: list[Need] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows or []:
        where = _where(name, line)
        code = _text(row, "commune_code", where, errors)
        fld = _text(row, "field", where, errors)
        units = _int(row, "units", 0, None, where, errors)
        priority = _int(row, "priority", 1, 5, where, errors)
        if code is not None and known is not None and code not in known:
            errors.append(
                _("%(where)s: xã '%(code)s' không có trong danh sách xã.") % {"where": where, "code": code}
            )
            code = None
        if code is not None and fld is not None:
            what = _("nhu cầu (%(code)s, %(field)s)") % {"code": code, "field": fld}
            if _duplicate((code, fld), seen, what, where, line, errors):
                continue
            if units is not None and priority is not None:
                out.append(Need(code, fld, units, priority))
    return out


def _parse_staff(src: Source, errors: list[str]) -> list[Staff]:
    name, rows = _rows(src, "staff.csv", STAFF_COLUMNS, errors)
    out: list[Staff] = []
    seen: dict[str, int] = {}
    for line, row in rows or []:
        where = _where(name, line)
        sid = _text(row, "staff_id", where, errors)
        dept = _text(row, "department", where, errors)
        fields = frozenset(f.strip() for f in row["fields"].split(";") if f.strip())
        if not fields:
            errors.append(
                _("%(where)s: fields không được để trống (các lĩnh vực cách nhau bởi ';').")
                % {"where": where}
            )
        lat = _float(row, "home_lat", -90.0, 90.0, where, errors)
        lon = _float(row, "home_lon", -180.0, 180.0, where, errors)
        if sid is not None and _duplicate(sid, seen, f"staff_id '{sid}'", where, line, errors):
            continue
        if sid is not None and dept is not None and fields and lat is not None and lon is not None:
            out.append(Staff(sid, dept, fields, lat, lon))
    return out


def _parse_quotas(src: Source, errors: list[str]) -> dict[str, int]:
    name, rows = _rows(src, "quotas.csv", QUOTA_COLUMNS, errors)
    out: dict[str, int] = {}
    seen: dict[str, int] = {}
    for line, row in rows or []:
        where = _where(name, line)
        dept = _text(row, "department", where, errors)
        cap = _int(row, "max_release", 0, None, where, errors)
        if dept is not None and _duplicate(dept, seen, f"department '{dept}'", where, line, errors):
            continue
        if dept is not None and cap is not None:
            out[dept] = cap
    return out


def _raise_if(errors: list[str]) -> None:
    if errors:
        raise PlanInputError(errors)


# --------------------------------------------------------------------------------------------- public


def read_communes(path: Source) -> list[Commune]:
    """Read communes.csv (``commune_code,lat,lon``); raise PlanInputError listing every problem."""
    errors: list[str] = []
    out, _ = _parse_communes(path, errors)
    _raise_if(errors)
    return out


def read_needs(path: Source, known_communes: set[str] | None = None) -> list[Need]:
    """Read needs.csv (``commune_code,field,units,priority``); optionally check communes exist."""
    errors: list[str] = []
    out = _parse_needs(path, errors, known_communes)
    _raise_if(errors)
    return out


def read_staff(path: Source) -> list[Staff]:
    """Read staff.csv (``staff_id,department,fields,home_lat,home_lon``, fields separated by ';')."""
    errors: list[str] = []
    out = _parse_staff(path, errors)
    _raise_if(errors)
    return out


def read_quotas(path: Source | None) -> dict[str, int] | None:
    """Read quotas.csv (``department,max_release``). None → None; a header-only file → {} (both: no limit)."""
    if path is None:
        return None
    errors: list[str] = []
    out = _parse_quotas(path, errors)
    _raise_if(errors)
    return out


def _param(value, name: str, kind: type, errors: list[str]):
    try:
        if kind is int:
            if isinstance(value, bool) or not _INT_RE.match(str(value).strip()):
                raise ValueError
            parsed = int(str(value).strip())
        else:
            parsed = float(value)
            if not math.isfinite(parsed):
                raise ValueError
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed < 0:
        params = {"name": name, "value": value}
        if kind is int:
            errors.append(_("Tham số %(name)s phải là số nguyên ≥ 0 (nhận được '%(value)s').") % params)
        else:
            errors.append(_("Tham số %(name)s phải là số thực ≥ 0 (nhận được '%(value)s').") % params)
        return None
    return parsed


def load_plan_input(
    communes: Source,
    needs: Source,
    staff: Source,
    quotas: Source | None,
    total,
    distance_weight,
    max_per_commune,
    locks: Locks | None = None,
) -> PlanInput:
    """Read and cross-check all inputs; raise one PlanInputError with every error from every file."""
    errors: list[str] = []
    commune_list, codes = _parse_communes(communes, errors)
    # Unknown-commune checks only make sense if communes.csv itself could be read.
    known = set(codes) if codes is not None else None
    need_list = _parse_needs(needs, errors, known)
    staff_list = _parse_staff(staff, errors)
    quota_map = _parse_quotas(quotas, errors) if quotas is not None else None
    total_v = _param(total, "total", int, errors)
    weight_v = _param(distance_weight, "distance_weight", float, errors)
    mpc_v = _param(max_per_commune, "max_per_commune", int, errors)
    _raise_if(errors)
    return PlanInput(
        communes=commune_list,
        needs=need_list,
        staff=staff_list,
        quotas=quota_map,
        total=total_v,
        distance_weight=weight_v,
        max_per_commune=mpc_v,
        locks=locks or Locks(),
    )
