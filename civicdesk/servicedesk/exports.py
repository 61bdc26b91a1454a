"""KPI report exports: Excel (openpyxl) and PDF in the usual administrative report layout (reportlab).

The PDF embeds DejaVu Serif (shipped under static/servicedesk/fonts with its licence) so Vietnamese diacritics
print correctly on any machine.
"""

import io
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from civicdesk.core.exports import append_row, table_sheet

FONT_DIR = settings.BASE_DIR / "static" / "servicedesk" / "fonts"
LEFT_MARGIN_MM, RIGHT_MARGIN_MM, UNIT_COLUMN_MM = 20, 15, 56


def formulas():
    """The KPI formulas as shown on the dashboard and in both exports."""
    return [
        (
            _("Tỷ lệ đúng hạn"),
            _("số hồ sơ có kết quả với thời điểm có kết quả ≤ hạn trả ÷ số hồ sơ có kết quả"),
        ),
        (
            _("Tỷ lệ trực tuyến"),
            _("(hồ sơ trực tuyến + trực tuyến có hỗ trợ tại Trung tâm) ÷ số hồ sơ tiếp nhận"),
        ),
        (_("Tỷ lệ trực tuyến có hỗ trợ"), _("hồ sơ trực tuyến có hỗ trợ tại Trung tâm ÷ số hồ sơ tiếp nhận")),
        (_("Tỷ lệ phải bổ sung"), _("hồ sơ có ít nhất 1 lần yêu cầu bổ sung ÷ số hồ sơ tiếp nhận")),
        (_("Tỷ lệ hài lòng"), _("số đánh giá từ 4 sao trở lên ÷ số hồ sơ được đánh giá")),
        (
            _("Thời gian giải quyết bình quân"),
            _("bình quân số ngày làm việc từ tiếp nhận đến khi có kết quả"),
        ),
        (_("Kỳ báo cáo"), _("theo ngày tiếp nhận (giờ Việt Nam), tính cả ngày đầu và ngày cuối")),
    ]


COLUMNS = [
    ("received", gettext_noop("Tiếp nhận"), "int"),
    ("finished", gettext_noop("Đã có kết quả"), "int"),
    ("on_time_rate", gettext_noop("Đúng hạn"), "pct"),
    ("online_rate", gettext_noop("Trực tuyến"), "pct"),
    ("assisted_online_share", gettext_noop("TT có hỗ trợ"), "pct"),
    ("supplement_rate", gettext_noop("Phải bổ sung"), "pct"),
    ("satisfaction_rate", gettext_noop("Hài lòng"), "pct"),
    ("rated", gettext_noop("Số đánh giá"), "int"),
    ("avg_working_days", gettext_noop("Ngày LV bình quân"), "num"),
]


def _fmt(value, kind):
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.1f}%".replace(".", ",")
    if kind == "num":
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _day(value):
    """dd/mm/yyyy for a date or an ISO date string (the report carries either)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def workbook(title, unit_name, report, series):
    """An .xlsx with the unit table, the monthly trend and the formulas; returns bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _("Tổng hợp")
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    period = _("Đơn vị: %(u)s — Kỳ: %(a)s đến %(b)s") % {
        "u": unit_name,
        "a": _day(report["from"]),
        "b": _day(report["to"]),
    }
    append_row(ws, [period])
    ws.append([])
    append_row(ws, [_("Mã"), _("Đơn vị"), *[_(label) for _k, label, _t in COLUMNS]])
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    rows = [*report["communes"], {"commune_code": "", "commune_name": _("Tổng cộng"), **report["total"]}]
    for row in rows:
        append_row(ws, [row["commune_code"], row["commune_name"], *[row[k] for k, _l, _t in COLUMNS]])
        for (_key, _label, kind), cell in zip(COLUMNS, ws[ws.max_row][2:], strict=True):
            cell.number_format = {"pct": "0.0%", "num": "0.0", "int": "#,##0"}[kind]
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 34
    for index in range(3, 3 + len(COLUMNS)):
        ws.column_dimensions[get_column_letter(index)].width = 13
    ws.freeze_panes = "C5"  # the header row and the unit columns stay in view
    ws.auto_filter.ref = f"A4:{get_column_letter(2 + len(COLUMNS))}{ws.max_row}"
    trend = table_sheet(
        wb,
        _("Theo tháng"),
        [_("Tháng"), *[_(label) for _k, label, _t in COLUMNS]],
        [[month.strftime("%m/%Y"), *[rates[k] for k, _l, _t in COLUMNS]] for month, rates in series],
        widths=[10] + [13] * len(COLUMNS),
    )
    for row in trend.iter_rows(min_row=2):
        for (_key, _label, kind), cell in zip(COLUMNS, row[1:], strict=True):
            cell.number_format = {"pct": "0.0%", "num": "0.0", "int": "#,##0"}[kind]
    notes = wb.create_sheet(_("Cách tính"))
    for name, text in formulas():
        append_row(notes, [name, text])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT_DIR / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", str(FONT_DIR / "DejaVuSerif-Bold.ttf")))
        pdfmetrics.registerFontFamily(
            "DejaVuSerif", normal="DejaVuSerif", bold="DejaVuSerif-Bold", italic="DejaVuSerif"
        )


def pdf(*, issuer, place, title, subtitle, report, unit_label, today=None):
    """The administrative report layout: issuer and national motto side by side, place and date, title,
    totals, the table by unit, the formulas, recipients and the preparer's signature block. Returns bytes."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    today = today or date.today()
    base = ParagraphStyle("base", fontName="DejaVuSerif", fontSize=10, leading=13)
    center = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
    bold_center = ParagraphStyle("bc", parent=center, fontName="DejaVuSerif-Bold")
    title_style = ParagraphStyle("title", parent=bold_center, fontSize=14, leading=18, spaceBefore=8)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)
    cell_c = ParagraphStyle("cellc", parent=cell, alignment=TA_CENTER)
    head = ParagraphStyle("head", parent=cell_c, fontName="DejaVuSerif-Bold")

    header = Table(
        [
            [
                Paragraph(issuer.upper(), bold_center),
                Paragraph(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold_center),
            ],
            [
                Paragraph("———", center),
                Paragraph(_("Độc lập - Tự do - Hạnh phúc") + "<br/>———————", bold_center),
            ],
            [
                Paragraph(_("Số:        /BC"), center),
                Paragraph(
                    "<i>%s</i>"
                    % (
                        _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s")
                        % {
                            "place": place,
                            "d": f"{today.day:02d}",
                            "m": f"{today.month:02d}",
                            "y": today.year,
                        }
                    ),
                    center,
                ),
            ],
        ],
        colWidths=[100 * mm, 150 * mm],
    )
    story = [header, Paragraph(_("BÁO CÁO"), title_style), Paragraph(f"<b>{title}</b>", center)]
    story += [Paragraph(f"<i>{subtitle}</i>", center), Spacer(1, 6 * mm)]
    total = report["total"]
    story.append(Paragraph("<b>{}</b>".format(_("I. KẾT QUẢ CHUNG")), base))
    summary = "; ".join(f"{_(label)}: {_fmt(total[key], kind)}" for key, label, kind in COLUMNS)
    story += [Paragraph(f"{unit_label}: {summary}.", base), Spacer(1, 4 * mm)]
    story.append(Paragraph("<b>{}</b>".format(_("II. CHI TIẾT THEO ĐƠN VỊ")), base))
    data = [[Paragraph(h, head) for h in [_("STT"), _("Đơn vị"), *[_(label) for _k, label, _t in COLUMNS]]]]
    for n, row in enumerate(report["communes"], start=1):
        data.append(
            [Paragraph(str(n), cell_c), Paragraph(row["commune_name"], cell)]
            + [Paragraph(_fmt(row[k], t), cell_c) for k, _l, t in COLUMNS]
        )
    data.append(
        [Paragraph("", cell), Paragraph("<b>{}</b>".format(_("Tổng cộng")), cell)]
        + [Paragraph(f"<b>{_fmt(total[k], t)}</b>", cell_c) for k, _l, t in COLUMNS]
    )
    # The columns share the page's usable width (landscape A4 less the margins), so the table never runs off it.
    usable = landscape(A4)[0] - LEFT_MARGIN_MM * mm - RIGHT_MARGIN_MM * mm
    number_width = (usable - 10 * mm - UNIT_COLUMN_MM * mm) / len(COLUMNS)
    table = Table(
        data, colWidths=[10 * mm, UNIT_COLUMN_MM * mm] + [number_width] * len(COLUMNS), repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm), Paragraph("<b>{}</b>".format(_("III. CÁCH TÍNH")), base)]
    story += [Paragraph(f"- {name}: {text}.", small) for name, text in formulas()]
    story.append(Spacer(1, 6 * mm))
    signature = Table(
        [
            [
                Paragraph(
                    "<b><i>{}</i></b><br/>- {}<br/>- {}".format(
                        _("Nơi nhận:"), _("Như trên;"), _("Lưu: VT.")
                    ),
                    small,
                ),
                Paragraph(
                    "<b>{}</b><br/><i>{}</i>".format(_("NGƯỜI LẬP BIỂU"), _("(Ký, ghi rõ họ tên)")), center
                ),
            ]
        ],
        colWidths=[125 * mm, 125 * mm],
    )
    story.append(signature)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=LEFT_MARGIN_MM * mm,
        rightMargin=RIGHT_MARGIN_MM * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="CivicDesk",
    )
    doc.build(story)
    return out.getvalue()
