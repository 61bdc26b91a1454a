"""Reading CSV files people upload: records numbered as a spreadsheet numbers them, unreadable lines named.

Python's csv reader raises on a cell over its size limit (131,072 characters) or a stray NUL: an import must answer
with the line, not crash. `records()` yields (line, row) with the header on line 1 and stops at the first line it
cannot read, reporting it through `on_error(line, message)`; what follows cannot be trusted to be aligned.
"""

import csv

from django.utils.translation import gettext as _


def _limit():
    return f"{csv.field_size_limit():,}".replace(",", ".")


def records(reader, on_error):
    """(line, row) for each record of a csv reader (DictReader or reader) whose header was already read."""
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = (
                _("một ô dài quá %(n)s ký tự.") % {"n": _limit()}
                if "field larger" in str(exc)
                else _("không đọc được dòng này như CSV (%(e)s).") % {"e": str(exc)[:120]}
            )
            on_error(line + 1, message)
            return
        line += 1
        yield line, row


def header(reader, on_error):
    """The stripped header of a DictReader (reading line 1), or None when line 1 itself cannot be read."""
    try:
        names = reader.fieldnames or []
    except csv.Error:
        on_error(1, _("không đọc được dòng tiêu đề như CSV."))
        return None
    return [h.strip().lstrip("\ufeff") for h in names]
