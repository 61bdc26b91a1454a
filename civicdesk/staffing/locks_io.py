"""The optional locks file of `civicdesk secondment plan --locks FILE` (Django only for gettext).

CSV, UTF-8, header ``kind,staff_id,commune_code,field``; one lock per line:

* ``must_send,S1,,``        — S1 must be seconded somewhere;
* ``must_not_send,S2,,``    — S2 stays home;
* ``fixed,S3,25000,ho_tich`` — S3 goes to commune 25000 for ho_tich;
* ``forbidden,S4,25000,``    — S4 is never sent to 25000.

Errors name the file and line (the header is line 1), like the other plan files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.utils.translation import gettext as _

from civicdesk.staffing.optimizer import Locks, PlanInput
from civicdesk.staffing.plan_io import _where

LOCK_COLUMNS = ("kind", "staff_id", "commune_code", "field")
KINDS = ("must_send", "must_not_send", "fixed", "forbidden")


def parse_locks(path) -> tuple[Locks, list[tuple[int, str, str, str, str]], list[str]]:
    """(Locks, [(line, kind, staff, commune, field)], errors) — structure only, no cross-checks."""
    name = Path(path).name
    errors: list[str] = []
    locks = Locks()
    rows: list[tuple[int, str, str, str, str]] = []
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return locks, rows, [_("%(file)s: không tìm thấy tệp.") % {"file": name}]
    except UnicodeDecodeError:
        return (
            locks,
            rows,
            [_("%(file)s: tệp không phải mã UTF-8; hãy lưu lại dưới dạng 'CSV UTF-8'.") % {"file": name}],
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in ("kind", "staff_id") if c not in header]
    extra = [c for c in header if c not in LOCK_COLUMNS]
    if missing or extra:
        problems = [_("thiếu cột '%(column)s'") % {"column": c} for c in missing]
        problems += [_("cột thừa '%(column)s'") % {"column": c} for c in extra]
        error = _("%(file)s dòng 1: %(problems)s (cần các cột: %(columns)s).") % {
            "file": name,
            "problems": ", ".join(problems),
            "columns": ", ".join(LOCK_COLUMNS),
        }
        return locks, rows, [error]
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(
                _("%(where)s: có %(found)s cột, cần %(wanted)s cột.")
                % {"where": _where(name, line), "found": len(row), "wanted": len(header)}
            )
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        kind, sid = cells.get("kind", ""), cells.get("staff_id", "")
        commune, fld = cells.get("commune_code", ""), cells.get("field", "")
        where = _where(name, line)
        if kind not in KINDS:
            errors.append(
                _("%(where)s: kind phải là một trong %(kinds)s (nhận được '%(kind)s').")
                % {"where": where, "kinds": ", ".join(KINDS), "kind": kind}
            )
            continue
        if not sid:
            errors.append(_("%(where)s: staff_id không được để trống.") % {"where": where})
            continue
        if kind == "fixed" and (not commune or not fld):
            errors.append(_("%(where)s: khóa 'fixed' cần commune_code và field.") % {"where": where})
            continue
        if kind == "forbidden" and not commune:
            errors.append(_("%(where)s: khóa 'forbidden' cần commune_code.") % {"where": where})
            continue
        rows.append((line, kind, sid, commune, fld))
        if kind == "must_send":
            locks.must_send.add(sid)
        elif kind == "must_not_send":
            locks.must_not_send.add(sid)
        elif kind == "fixed":
            locks.fixed.append((sid, commune, fld))
        else:
            locks.forbidden.add((sid, commune))
    return locks, rows, errors


def check_locks(path, rows, inp: PlanInput) -> list[str]:
    """Line-numbered errors for locks naming staff or communes that are not in the input files."""
    name = Path(path).name
    staff = {s.staff_id for s in inp.staff}
    communes = {c.code for c in inp.communes}
    errors = []
    for line, _kind, sid, commune, _fld in rows:
        if sid not in staff:
            errors.append(
                _("%(where)s: cán bộ '%(staff_id)s' không có trong danh sách cán bộ.")
                % {"where": _where(name, line), "staff_id": sid}
            )
        if commune and commune not in communes:
            errors.append(
                _("%(where)s: xã '%(code)s' không có trong danh sách xã.")
                % {"where": _where(name, line), "code": commune}
            )
    return errors
