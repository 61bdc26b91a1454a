"""The file a citizen receives for an export request: everything the chosen records hold about them, as JSON (for
another system) and as an Excel workbook a person can read (a summary sheet, then one sheet per kind of record).

Every value goes through `core.exports` (Excel: strings are written as text, never a formula; control characters
dropped) — a name typed as `=HYPERLINK(…)` at the counter reaches the citizen's file as the text it is.
"""

import io
import json
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core.exports import XLSX, clean_text, download_name, table_sheet

FORMATS = ("json", "xlsx")
__all__ = ["FORMATS", "XLSX", "as_json", "as_xlsx", "filename"]


def _plain(value):
    """A JSON value: text cleaned, dates in ISO form (local time), numbers and booleans as they are."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float) or value is None:
        return value
    return clean_text(str(value))


def _shown(value):
    """An Excel value: dates stay dates (dd/mm/yyyy), booleans in words, everything else text."""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime | date | int | float):
        return value
    # An Excel cell holds at most 32,767 characters; the JSON file has the whole text.
    return "" if value is None else str(value)[:32000]


def _header(request, found):
    return {
        "reference": request.reference,
        "controller": _("UBND %(commune)s") % {"commune": request.commune.name},
        "request_kind": str(request.get_kind_display()),
        "received_at": _plain(request.received_at),
        "generated_at": _plain(timezone.now()),
        "records": sum(len(f.records) for f in found),
    }


def as_json(request, found):
    """UTF-8 JSON bytes: the request's reference, then per kind of record its records and their fields."""
    document = {
        **_header(request, found),
        "kinds": [
            {
                "kind": f.source.key,
                "label": str(f.source.label),
                "purpose": str(f.source.purpose),
                "records": [
                    {
                        "reference": _plain(r.reference),
                        "date": _plain(r.when),
                        "status": _plain(r.status),
                        "restricted": r.restricted,
                        "fields": {str(label): _plain(value) for label, value in r.fields},
                    }
                    for r in f.records
                ],
            }
            for f in found
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _sheet_title(label, taken):
    """An Excel sheet's name (31 characters at most, unique): the label cut at a word, without a dangling "(…"."""
    title = clean_text(str(label))
    if len(title) > 31:
        title = title[:31].rsplit(" ", 1)[0].split("(")[0].strip()
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    base, number = title, 2
    while title in taken:
        title = f"{base[:28]} {number}"
        number += 1
    taken.add(title)
    return title


def as_xlsx(request, found):
    """The workbook's bytes: "Tóm tắt" (who holds what, why), then one sheet per kind of record."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    header = _header(request, found)
    summary = [
        (_("Mã yêu cầu"), header["reference"]),
        (_("Bên kiểm soát dữ liệu"), header["controller"]),
        (_("Loại yêu cầu"), header["request_kind"]),
        (_("Ngày nhận yêu cầu"), timezone.localtime(request.received_at)),
        (_("Ngày lập tệp"), timezone.localtime()),
        (_("Số bản ghi"), header["records"]),
    ]
    summary += [
        (
            str(f.source.label),
            _("%(n)s bản ghi — %(purpose)s") % {"n": len(f.records), "purpose": f.source.purpose},
        )
        for f in found
    ]
    taken = {_("Tóm tắt")}
    table_sheet(book, _("Tóm tắt"), [_("Mục"), _("Nội dung")], summary, widths=[34, 100])
    for f in found:
        labels = []
        for record in f.records:
            for label, _value in record.fields:
                if str(label) not in labels:
                    labels.append(str(label))
        rows = []
        for record in f.records:
            values = {str(label): value for label, value in record.fields}
            rows.append(
                [record.reference, _shown(record.when), record.status, _shown(record.restricted)]
                + [_shown(values.get(label, "")) for label in labels]
            )
        table_sheet(
            book,
            _sheet_title(f.source.label, taken),
            [_("Mã"), _("Ngày"), _("Trạng thái"), _("Hạn chế xử lý"), *labels],
            rows,
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(request, fmt):
    return download_name("du-lieu-ca-nhan", request.reference, ext=fmt)
