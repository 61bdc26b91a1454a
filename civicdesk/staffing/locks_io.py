"""The optional locks file of `civicdesk secondment plan --locks FILE` (no Django).

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

from civicdesk.staffing.optimizer import Locks, PlanInput

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
        return locks, rows, [f"{name}: không tìm thấy tệp."]
    except UnicodeDecodeError:
        return locks, rows, [f"{name}: tệp không phải mã UTF-8; hãy lưu lại dưới dạng 'CSV UTF-8'."]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in ("kind", "staff_id") if c not in header]
    extra = [c for c in header if c not in LOCK_COLUMNS]
    if missing or extra:
        problems = [f"thiếu cột '{c}'" for c in missing] + [f"cột thừa '{c}'" for c in extra]
        return (
            locks,
            rows,
            [f"{name} dòng 1: {', '.join(problems)} (cần các cột: {', '.join(LOCK_COLUMNS)})."],
        )
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(f"{name} dòng {line}: có {len(row)} cột, cần {len(header)} cột.")
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        kind, sid = cells.get("kind", ""), cells.get("staff_id", "")
        commune, fld = cells.get("commune_code", ""), cells.get("field", "")
        where = f"{name} dòng {line}"
        if kind not in KINDS:
            errors.append(f"{where}: kind phải là một trong {', '.join(KINDS)} (nhận được '{kind}').")
            continue
        if not sid:
            errors.append(f"{where}: staff_id không được để trống.")
            continue
        if kind == "fixed" and (not commune or not fld):
            errors.append(f"{where}: khóa 'fixed' cần commune_code và field.")
            continue
        if kind == "forbidden" and not commune:
            errors.append(f"{where}: khóa 'forbidden' cần commune_code.")
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
            errors.append(f"{name} dòng {line}: cán bộ '{sid}' không có trong danh sách cán bộ.")
        if commune and commune not in communes:
            errors.append(f"{name} dòng {line}: xã '{commune}' không có trong danh sách xã.")
    return errors
