"""The Decision 766 scorecard as an A4 PDF (reportlab): the page's content for the same scope, filters and period.

The five groups with each measured indicator's rate, the previous period, the province's target line, the
verification state and the points / maximum as the page shows them; a bar chart per group; for the province view the
map of the communes as a point chart and the ranking. Charts are reportlab graphics (vector, no image files), text in
the shipped DejaVu Serif so Vietnamese prints on any machine. Callers import this module when they build a PDF
(reportlab is not loaded with every page).

Every text that reaches the PDF goes through `_text` (paragraphs: reportlab reads a little XML, so a commune or field
named `<font size=60>` must print as typed) or `_plain` (chart labels, drawn as text) — both drop the control
characters a file cannot hold, as the other exports do (`core.exports.clean_text`).
"""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from civicdesk.core.exports import clean_text

from . import scorecard, scorecard_charts
from .exports import _fonts
from .models import Channel

NOW_COLOUR, BEFORE_COLOUR, TRACK_COLOUR, TARGET_COLOUR = "#1d4f91", "#9aa5b1", "#eef1f3", "#b3261e"
WARN_COLOUR = "#fff4d6"
FONT, BOLD = "DejaVuSerif", "DejaVuSerif-Bold"
MARGIN_MM = 15


def _register_fonts():
    """The shipped DejaVu Serif, and its family mapping with bold for `<b>` whatever registered the font first:
    reportlab reads the family's regular face as its italic one too, so `<b>` asks for bold italic."""
    _fonts()
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _plain(value):
    return clean_text(str(value))


def _text(value):
    return escape(_plain(value))


def _pct(percent):
    return "—" if percent is None else f"{percent:.1f}%".replace(".", ",")


def _num(value):
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def _day(value):
    return value.strftime("%d/%m/%Y")


def _figures(s):
    """ "87,5% (7/8)" — the rate with its counts, as on the page."""
    if s.value is None:
        return _("Chưa có hồ sơ để tính")
    return f"{_pct(s.percent)} ({s.numerator}/{s.denominator})"


def _change(s):
    if s.change is None:
        return "—"
    return ("+" if s.change >= 0 else "") + _num(s.change) + " " + _("điểm %")


def _target(s):
    if s.target is None:
        return "—"
    text = _pct(float(s.target))
    if s.meets_target is True:
        text += " · " + _("đạt")
    elif s.meets_target is False:
        text += " · " + _("chưa đạt")
    return text


def _points(points, maximum):
    return f"{_num(points) if points is not None else '—'} / {maximum if maximum is not None else '—'}"


class _Styles:
    def __init__(self):

        self.base = ParagraphStyle("sc-base", fontName=FONT, fontSize=9.5, leading=12.5)
        self.small = ParagraphStyle("sc-small", parent=self.base, fontSize=8, leading=10.5)
        self.muted = ParagraphStyle("sc-muted", parent=self.small, textColor="#555555")
        self.title = ParagraphStyle("sc-title", parent=self.base, fontName=BOLD, fontSize=15, leading=19)
        self.h2 = ParagraphStyle(
            "sc-h2", parent=self.base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=6, keepWithNext=1
        )
        self.group_note = ParagraphStyle("sc-group-note", parent=self.small, spaceBefore=5, keepWithNext=1)
        self.cell = ParagraphStyle("sc-cell", parent=self.base, fontSize=8, leading=10)
        self.head = ParagraphStyle("sc-head", parent=self.cell, fontName=BOLD)
        self.warn = ParagraphStyle(
            "sc-warn", parent=self.small, backColor=WARN_COLOUR, borderPadding=3, spaceBefore=3, spaceAfter=5
        )


def _wrap(text, width, size):

    return simpleSplit(_plain(text), FONT, size, width) or [""]


def group_chart(group_score, width, *, today_label, before_label):
    """A horizontal bar chart of a group's measured indicators: this period's rate (thick), the previous period's
    (thin, under it), the province's target (dashed red), the figures at the right end; an axis 0–100 % under it.
    None when the group has nothing to draw (nothing measured, or every indicator filtered out)."""

    rows = [s for s in group_score.measured if not s.filtered_out]
    if not rows:
        return None
    label_size, figure_size = 8, 8
    figures_w = 118
    track_w = width - figures_w - 6
    line_h, now_h, before_h, gap = 10, 11, 5, 9
    blocks = [(s, _wrap(s.indicator.name, width, label_size)) for s in rows]
    axis_h = 16
    height = axis_h + sum(len(lines) * line_h + now_h + 2 + before_h + gap for _s, lines in blocks)
    d = Drawing(width, height)
    # Light gridlines every 25 %, drawn first so the bars sit on them.
    for tick in (0, 25, 50, 75, 100):
        x = track_w * tick / 100
        d.add(Line(x, axis_h - 2, x, height - 2, strokeColor="#d5dbe1", strokeWidth=0.4))
        d.add(String(x, 4, f"{tick}%", fontName=FONT, fontSize=7, fillColor="#555555", textAnchor="middle"))
    y = height
    for s, lines in blocks:
        for line in lines:
            y -= line_h
            d.add(String(0, y + 2, line, fontName=FONT, fontSize=label_size, fillColor="#111111"))
        top = y - 1
        y -= now_h
        d.add(Rect(0, y, track_w, now_h, fillColor=TRACK_COLOUR, strokeColor=None))
        if s.value is not None:
            d.add(Rect(0, y, track_w * min(s.value, 1), now_h, fillColor=NOW_COLOUR, strokeColor=None))
        d.add(
            String(
                track_w + 6,
                y + 2,
                f"{today_label}: {_plain(_figures(s))}",
                fontName=BOLD,
                fontSize=figure_size,
            )
        )
        y -= 2 + before_h
        d.add(Rect(0, y, track_w, before_h, fillColor=TRACK_COLOUR, strokeColor=None))
        if s.previous is not None:
            d.add(
                Rect(0, y, track_w * min(s.previous, 1), before_h, fillColor=BEFORE_COLOUR, strokeColor=None)
            )
        d.add(
            String(
                track_w + 6,
                y - 2,
                f"{before_label}: {_pct(s.previous_percent)}",
                fontName=FONT,
                fontSize=figure_size - 0.5,
                fillColor="#444444",
            )
        )
        if s.target is not None:
            x = track_w * min(float(s.target), 100) / 100
            d.add(Line(x, y - 2, x, top, strokeColor=TARGET_COLOUR, strokeWidth=1.4, strokeDashArray=[3, 2]))
        y -= gap
    return d


def legend_drawing(width):
    """The chart key: this period, previous period, the province's target."""

    d = Drawing(width, 14)
    x = 0
    for kind, label in (("now", _("Kỳ này")), ("before", _("Kỳ trước")), ("target", _("Mục tiêu của tỉnh"))):
        if kind == "now":
            d.add(Rect(x, 3, 16, 8, fillColor=NOW_COLOUR, strokeColor=None))
        elif kind == "before":
            d.add(Rect(x, 5, 16, 4, fillColor=BEFORE_COLOUR, strokeColor=None))
        else:
            d.add(
                Line(x + 8, 1, x + 8, 13, strokeColor=TARGET_COLOUR, strokeWidth=1.4, strokeDashArray=[3, 2])
            )
        d.add(String(x + 20, 4, _plain(label), fontName=FONT, fontSize=8))
        x += 30 + len(_plain(label)) * 4.6
    return d


def map_drawing(entries, width, height, *, selected=None):
    """The communes as points on their coordinates (the page's projection), coloured by the chosen indicator.
    `entries`: [(commune, IndicatorScore)]. None when no commune has coordinates."""

    placed = [(c, s) for c, s in entries if c.lat is not None and c.lon is not None]
    if not placed:
        return None
    project = scorecard_charts._projection([(c.lat, c.lon) for c, _s in placed])
    scale = min(width / scorecard_charts.MAP_W, height / scorecard_charts.MAP_H)
    d = Drawing(scorecard_charts.MAP_W * scale, scorecard_charts.MAP_H * scale)
    d.add(Rect(0, 0, d.width, d.height, fillColor="#fafbfc", strokeColor="#d5dbe1", strokeWidth=0.5))
    # Grey points first, so coloured ones stay on top where they overlap; the selected commune last, ringed.
    ordered = sorted(
        placed, key=lambda e: (selected is not None and e[0].pk == selected, e[1].value is not None)
    )
    for commune, s in ordered:
        x, y = project(commune.lat, commune.lon)
        ring = selected is not None and commune.pk == selected
        d.add(
            Circle(
                x * scale,
                d.height - y * scale,
                (11 if ring else 6.5) * scale,
                fillColor=scorecard_charts.colour_for(s.value),
                strokeColor="#000000" if ring else "#555555",
                strokeWidth=1.6 if ring else 0.3,
            )
        )
    return d


def _table(data, widths, *, header_rows=1, extra=()):

    table = Table(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, "#9aa5b1"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), "#eef1f3"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return table


def _indicator_rows(group_score, st):
    cell, head = st.cell, st.head
    rows = [
        [
            Paragraph(_text(h), head)
            for h in (_("Chỉ tiêu"), _("Kỳ này"), _("Kỳ trước"), _("Thay đổi"), _("Mục tiêu"), _("Điểm"))
        ]
    ]
    for s in group_score.indicators:
        indicator = s.indicator
        name = _text(indicator.name)
        if indicator.needs_verification:
            name += "<br/><font color='#8a5a00'>" + _text(_("Cần kiểm chứng")) + "</font>"
        points = (
            _points(s.points, indicator.max_points)
            if indicator.max_points is not None
            else _("cần kiểm chứng")
        )
        if not indicator.measured:
            rows.append(
                [
                    Paragraph(name + "<br/><i>" + _text(indicator.not_measured_reason) + "</i>", cell),
                    Paragraph("<b>" + _text(_("Chưa đo được")) + "</b>", cell),
                    Paragraph("—", cell),
                    Paragraph("—", cell),
                    Paragraph("—", cell),
                    Paragraph(_text(points), cell),
                ]
            )
        elif s.filtered_out:
            rows.append(
                [
                    Paragraph(name, cell),
                    Paragraph(_text(s.filtered_reason or _("Không lọc được theo lĩnh vực")), cell),
                    Paragraph("—", cell),
                    Paragraph("—", cell),
                    Paragraph(_text(_target(s)), cell),
                    Paragraph(_text(points), cell),
                ]
            )
        else:
            rows.append(
                [
                    Paragraph(name, cell),
                    Paragraph("<b>" + _text(_figures(s)) + "</b>", cell),
                    Paragraph(_text(_pct(s.previous_percent)), cell),
                    Paragraph(_text(_change(s)), cell),
                    Paragraph(_text(_target(s)), cell),
                    Paragraph(_text(points), cell),
                ]
            )
    return rows


def build(
    province,
    period,
    *,
    commune=None,
    field=None,
    procedure=None,
    channel=None,
    indicator_code=None,
    province_view,
    today,
    generated_at,
    result=None,
):
    """The PDF of the scorecard a user sees on the page for these filters: the province view (`province_view`)
    carries the map and the ranking by `indicator_code`, as the page does. `result`: the `scorecard.compute` of
    these filters when the caller already has it. Returns bytes."""
    if result is None:
        result = scorecard.compute(
            province,
            period,
            commune=commune,
            field_id=field.pk if field else None,
            procedure_code=procedure.code if procedure else None,
            channel=channel,
            with_communes=province_view,
        )
    previous = result.scorecard.previous_period
    indicator = scorecard.INDICATOR_BY_CODE[indicator_code or scorecard.MEASURED[0].code]
    return render(
        province=province,
        commune=commune,
        result=result,
        period=period,
        previous=previous,
        partial_months=[scorecard.month_label(lo, hi) for lo, hi in period.partial_months()],
        previous_partial=[scorecard.month_label(lo, hi) for lo, hi in previous.partial_months()],
        unfinished=period.unfinished(today),
        generated_at=generated_at,
        field=field,
        procedure=procedure,
        channel=channel,
        indicator=indicator if province_view else None,
        ranking=scorecard.ranking(result.communes, indicator.code) if province_view else None,
    )


def render(
    *,
    province,
    result,
    period,
    previous,
    partial_months,
    previous_partial,
    unfinished,
    generated_at,
    commune=None,
    field=None,
    procedure=None,
    channel=None,
    indicator=None,
    ranking=None,
):
    """The scorecard as PDF bytes. `result` is `scorecard.compute(...)`'s; `ranking` ([(commune, scores)]) and
    `indicator` (the map's and ranking's indicator) only for the province view, as on the page."""

    _register_fonts()
    st = _Styles()
    card = result.scorecard
    width = A4[0] - 2 * MARGIN_MM * mm
    unit = commune.name if commune is not None else _("tỉnh %(n)s") % {"n": province.name}
    title = _("Bảng điểm phục vụ người dân — %(unit)s") % {"unit": unit}
    story = [
        Paragraph(_text(_("Theo các nhóm chỉ số của %(s)s.") % {"s": scorecard.SOURCE}), st.muted),
        Paragraph(_text(title), st.title),
        Paragraph(
            _text(
                _("Hồ sơ tiếp nhận từ %(a)s đến %(b)s; kỳ trước: %(c)s–%(d)s.")
                % {
                    "a": _day(period.date_from),
                    "b": _day(period.date_to),
                    "c": _day(previous.date_from),
                    "d": _day(previous.date_to),
                }
            ),
            st.base,
        ),
    ]
    if commune is not None:
        story.append(Paragraph(_text(_("Tỉnh %(n)s") % {"n": province.name}), st.small))
    if field is not None:
        story.append(Paragraph(_text(_("Đang lọc theo lĩnh vực: %(f)s.") % {"f": field.name}), st.base))
    if procedure is not None:
        story.append(
            Paragraph(
                _text(
                    _("Đang lọc theo thủ tục: %(p)s (%(c)s).") % {"p": procedure.name, "c": procedure.code}
                ),
                st.base,
            )
        )
    if channel:
        story.append(
            Paragraph(
                _text(_("Đang lọc theo kênh tiếp nhận: %(k)s.") % {"k": Channel(channel).label}), st.base
            )
        )
    if procedure is not None or channel:
        story.append(
            Paragraph(
                _text(_("Lọc theo thủ tục, kênh: số liệu tính trực tiếp từ hồ sơ tiếp nhận trong kỳ.")),
                st.small,
            )
        )
    marks = [
        _("Tháng %(month)s chỉ tính %(a)s–%(b)s (%(n)s/%(total)s ngày)")
        % {
            "month": m["month"].strftime("%m/%Y"),
            "a": m["from"].strftime("%d/%m"),
            "b": m["to"].strftime("%d/%m"),
            "n": m["days"],
            "total": m["of"],
        }
        for m in partial_months
    ]
    if unfinished:
        marks.append(_("Kỳ chưa kết thúc: số liệu còn thay đổi"))
    if marks:
        story.append(Paragraph(" · ".join(_text(m) for m in marks), st.warn))
    if previous_partial:
        story.append(
            Paragraph(
                _text(_("Kỳ trước: "))
                + " · ".join(
                    _text(
                        _("tháng %(month)s chỉ tính %(a)s–%(b)s")
                        % {
                            "month": m["month"].strftime("%m/%Y"),
                            "a": m["from"].strftime("%d/%m"),
                            "b": m["to"].strftime("%d/%m"),
                        }
                    )
                    for m in previous_partial
                ),
                st.muted,
            )
        )
    total = _text(_("Tổng điểm")) + ": <b>" + _text(_points(card.total_points, card.total_max)) + "</b>"
    if card.total_points is None:
        total += " — " + _text(
            _(
                "chưa tính điểm: điểm, cách chấm từng chỉ tiêu của Quyết định cần kiểm chứng. Dưới đây là tỷ lệ đo "
                "được; không chỉ tiêu nào bị chấm 0 vì thiếu dữ liệu."
            )
        )
    story += [Spacer(1, 2 * mm), Paragraph(total, st.small), Spacer(1, 1 * mm), legend_drawing(width)]

    today_label, before_label = _("Kỳ này"), _("Kỳ trước")
    widths = [w * mm for w in (58, 38, 20, 22, 24, 18)]
    for n, g in enumerate(card.groups, start=1):
        head = [
            Paragraph(f"{n}. {_text(g.group.name)}", st.h2),
            Paragraph(
                _text(_("Điểm"))
                + ": <b>"
                + _text(_points(g.points, g.group.max_points))
                + "</b>"
                + (
                    " · <font color='#8a5a00'>" + _text(_("Cần kiểm chứng")) + "</font>"
                    if g.needs_verification
                    else ""
                ),
                st.small,
            ),
            Spacer(1, 2 * mm),
        ]
        chart = group_chart(g, width, today_label=today_label, before_label=before_label)
        if chart is not None:
            head += [chart, Spacer(1, 2 * mm)]
        elif not g.measured:
            head.append(
                Paragraph(
                    "<b>"
                    + _text(_("Chưa đo được"))
                    + "</b> "
                    + _text(_("CivicDesk chưa có dữ liệu cho nhóm này (xem lý do bên dưới).")),
                    st.small,
                )
            )
        story.append(KeepTogether([*head, _table(_indicator_rows(g, st), widths)]))

    if ranking is not None and indicator is not None:
        story += _province_part(ranking, indicator, commune, width, st)

    story += _formulas(card, st)
    out = io.BytesIO()
    generated = _("Lập ngày %(d)s lúc %(t)s") % {
        "d": generated_at.strftime("%d/%m/%Y"),
        "t": generated_at.strftime("%H:%M"),
    }
    footer = _plain(_("Nguồn: %(s)s") % {"s": scorecard.SOURCE} + " · " + generated + " · CivicDesk")

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor("#555555")
        canvas.drawString(MARGIN_MM * mm, 8 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN_MM * mm, 8 * mm, _plain(_("Trang %(n)s") % {"n": doc.page}))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=13 * mm,
        bottomMargin=15 * mm,
        title=_plain(title),
        author="CivicDesk",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()


def _province_part(ranking, indicator, commune, width, st):
    """The map (points) beside its legend, then the ranking of the communes by the chosen indicator."""

    code = indicator.code
    parts = [Paragraph(_text(_("Bản đồ: %(n)s") % {"n": indicator.name}), st.h2)]
    drawing = map_drawing(
        [(unit, scores[code]) for unit, scores in ranking],
        110 * mm,
        96 * mm,
        selected=commune.pk if commune else None,
    )
    legend_rows = []
    for colour, label in scorecard_charts.legend():
        swatch = Drawing(10, 10)
        swatch.add(Rect(0, 0, 10, 10, fillColor=colour, strokeColor="#555555", strokeWidth=0.3))
        legend_rows.append([swatch, Paragraph(_text(label), st.small)])
    legend = Table(legend_rows, colWidths=[6 * mm, 50 * mm])
    note = Paragraph(
        _text(
            _(
                "Mỗi chấm là một đơn vị cấp xã (theo tọa độ trụ sở). Khoảng màu chỉ để đọc bản đồ, không phải ngưỡng "
                "của Quyết định."
            )
        ),
        st.muted,
    )
    if drawing is not None:
        parts.append(
            Table([[drawing, [legend, Spacer(1, 3 * mm), note]]], colWidths=[width - 62 * mm, 62 * mm])
        )
    else:
        parts += [legend, note]
    unplaced = [unit for unit, _s in ranking if unit.lat is None or unit.lon is None]
    if unplaced:
        parts.append(
            Paragraph(
                _text(_("Chưa có tọa độ nên không hiện trên bản đồ"))
                + ": "
                + ", ".join(_text(u.name) for u in unplaced),
                st.small,
            )
        )
    parts += [Spacer(1, 3 * mm), Paragraph(_text(_("Xếp hạng: %(n)s") % {"n": indicator.name}), st.h2)]
    data = [
        [Paragraph("#", st.head), ""]
        + [Paragraph(_text(h), st.head) for h in (_("Đơn vị"), _("Kỳ này"), _("Kỳ trước"), _("Số hồ sơ"))]
    ]
    # The colour swatch column is narrow: no padding in it.
    extra = [("LEFTPADDING", (1, 0), (1, -1), 0), ("RIGHTPADDING", (1, 0), (1, -1), 0)]
    for n, (unit, scores) in enumerate(ranking, start=1):
        s = scores[code]
        row = len(data)
        extra.append(("BACKGROUND", (1, row), (1, row), scorecard_charts.colour_for(s.value)))
        if commune is not None and unit.pk == commune.pk:
            extra.append(("BACKGROUND", (2, row), (-1, row), "#fff4d6"))
        data.append(
            [
                Paragraph(str(n) if s.value is not None else "—", st.cell),
                "",
                Paragraph(_text(unit.name), st.cell),
                Paragraph(_text(_pct(s.percent)), st.cell),
                Paragraph(_text(_pct(s.previous_percent)), st.cell),
                Paragraph("—" if s.filtered_out else f"{s.numerator}/{s.denominator}", st.cell),
            ]
        )
    widths = [w * mm for w in (10, 4, 96, 24, 24, 22)]
    parts.append(_table(data, widths, extra=extra))
    return parts


def _formulas(card, st):
    """Each indicator's formula, source, counters and verification state (the page's "Công thức, nguồn" details)."""
    parts = [Paragraph(_text(_("Công thức, nguồn, kiểm chứng")), st.h2)]
    for g in card.groups:
        note = f" — {_text(g.group.note)}" if g.group.note else ""
        parts.append(
            Paragraph(
                "<b>"
                + _text(g.group.name)
                + "</b> · "
                + _text(_("Điểm tối đa của nhóm"))
                + ": "
                + _text(g.group.max_points if g.group.max_points is not None else "—")
                + note,
                st.group_note,
            )
        )
        for s in g.indicators:
            i = s.indicator
            text = "• <b>" + _text(i.name) + "</b>: " + _text(i.formula) + " " + _text(_("Điểm")) + ": "
            text += _text(i.max_points if i.max_points is not None else _("cần kiểm chứng"))
            text += " · " + _text(_("Nguồn")) + ": " + _text(i.source) + "."
            if i.measured:
                text += (
                    " "
                    + _text(_("CivicDesk tính từ bộ đếm"))
                    + f": {_text(i.numerator)} ÷ {_text(i.denominator)}."
                )
            else:
                text += " <b>" + _text(_("Chưa đo được")) + ":</b> " + _text(i.not_measured_reason)
            if i.note:
                text += " " + _text(i.note)
            parts.append(Paragraph(text, st.muted))
    return parts
