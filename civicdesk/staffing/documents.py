"""The secondment decision as a DOCX draft in the Vietnamese administrative layout.

The layout follows the usual form of an administrative decision: issuing body and number on the left, the
national name and motto on the right, place and date, the title, the legal bases (left as "Căn cứ …"
placeholders for the officer to fill: we never invent legal references), Điều 1–3, recipients and the
signature block, then the annexed list of seconded people. It is marked DỰ THẢO (draft) until signed.

The decision is an official paper: it is written in Vietnamese whatever language the page is shown in, and every
value that came from a person (names, positions, departments, communes, the decision number) goes through
`plain_text` first, so a character pasted from a PDF can neither break the file nor hide in it.
"""

import io
import unicodedata

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from .fields import field_label
from .models import Plan

FONT = "Times New Roman"
BLANK = "……"  # what the officer fills in by hand, as for the signing date

# Control, format (bidi overrides, zero-width spaces, BOM) and lone surrogate characters: nothing a name needs,
# and most of them are not allowed in XML 1.0, so Word would refuse the file.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def _kept(ch):
    code = ord(ch)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE  # U+FFFE, U+FFFF, …: not XML either
    return not noncharacter and unicodedata.category(ch) not in _DROPPED_CATEGORIES


def plain_text(value):
    """`value` as one line of plain, composed (NFC) text: line breaks and other whitespace become one space;
    control, format and non-characters are dropped."""
    text = " ".join(unicodedata.normalize("NFC", "" if value is None else str(value)).split())
    return " ".join("".join(ch for ch in text if _kept(ch)).split())


def _position(staff):
    """The person's post ("chức vụ, ngạch") from the pool, else from their CivicDesk account, else a blank."""
    account = staff.user.position if staff.user_id else ""
    return plain_text(staff.position) or plain_text(account) or BLANK


def _issuer(province):
    """(level, name, NAME, place) of the issuing People's Committee: a centrally-run city is not a "tỉnh", and its
    name is written without the "Thành phố" the geography table keeps ("THÀNH PHỐ HÀ NỘI", "Hà Nội, ngày …")."""
    place = plain_text(province.name)
    for prefix in ("thành phố ", "tỉnh "):
        if place.lower().startswith(prefix):
            place = place[len(prefix) :]
    city = plain_text(province.division_type).lower().startswith("thành phố")
    level = _("thành phố") if city else _("tỉnh")
    name = f"{level} {place}"
    return level, name, name.upper(), place


def _para(doc_or_cell, text="", *, bold=False, italic=False, size=13, align=None, space_after=3):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        run.font.name = FONT
    return p


def _no_borders(table):
    # python-docx has no API for "no borders": set the table style to none through its XML.
    tbl_pr = table._tbl.tblPr
    for el in tbl_pr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders"):
        tbl_pr.remove(el)


def _header(doc, issuer, symbol, year):
    _level, _name, upper_name, place = issuer
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    _para(left, _("ỦY BAN NHÂN DÂN"), bold=False, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(
        left,
        upper_name,
        bold=True,
        size=13,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(
        left,
        _("Số: %(n)s") % {"n": symbol},
        size=13,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    right.paragraphs[0].text = ""
    _para(
        right,
        _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        bold=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=0,
    )
    _para(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        right,
        _("%(p)s, ngày …… tháng …… năm %(y)s") % {"p": place, "y": year},
        italic=True,
        size=13,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )


def decision_docx(plan, secondments):
    """Bytes of the DOCX decision for `secondments` of the approved `plan` (one person or the whole list), in
    Vietnamese whatever the language of the request. Secondments come with `staff__department`, `staff__user`
    and `commune` (select_related) for a long list."""
    with translation.override("vi"):
        return _decision_docx(plan, secondments)


def _decision_docx(plan, secondments):
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)

    issuer = _issuer(plan.province)
    level, issuer_name, upper_name, _place = issuer
    symbol = plain_text(plan.decision_symbol) or f"{BLANK}/{Plan.DECISION_SUFFIX}"
    start = min((s.start_date for s in secondments), default=plan.period_start)
    end = max((s.end_date for s in secondments), default=plan.period_start)
    _para(doc, _("DỰ THẢO"), bold=True, size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _header(doc, issuer, symbol, start.year)
    _para(doc, "", space_after=6)
    _para(doc, _("QUYẾT ĐỊNH"), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(
        doc,
        _("Về việc biệt phái công chức, viên chức đến công tác tại xã, phường, đặc khu"),
        bold=True,
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=12,
    )
    _para(
        doc,
        _("CHỦ TỊCH ỦY BAN NHÂN DÂN %(p)s") % {"p": upper_name},
        bold=True,
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=12,
    )
    for _i in range(3):
        _para(doc, _("Căn cứ …………………………………………………………;"), italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(
        doc,
        _("Theo đề nghị của Giám đốc Sở Nội vụ."),
        italic=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        space_after=12,
    )
    _para(doc, _("QUYẾT ĐỊNH:"), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    period = _("thời hạn %(m)s tháng, từ ngày %(a)s đến ngày %(b)s") % {
        "m": plan.period_months,
        "a": start.strftime("%d/%m/%Y"),
        "b": end.strftime("%d/%m/%Y"),
    }
    if len(secondments) == 1:
        s = secondments[0]
        who = _(
            "Biệt phái ông/bà %(name)s, %(pos)s, %(dept)s, đến công tác tại %(commune)s, lĩnh vực %(field)s, "
            "%(period)s."
        ) % {
            "name": plain_text(s.staff.full_name),
            "pos": _position(s.staff),
            "dept": plain_text(s.staff.department.name),
            "commune": plain_text(s.commune.name),
            "field": field_label(s.field),
            "period": period,
        }
    else:
        who = _(
            "Biệt phái %(n)s công chức, viên chức (có danh sách kèm theo) đến công tác tại các xã, phường, đặc khu "
            "trên địa bàn %(level)s, %(period)s."
        ) % {"n": len(secondments), "level": level, "period": period}
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    run = p.add_run(_("Điều 1. "))
    run.bold = True
    p.add_run(who)
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.add_run(_("Điều 2. ")).bold = True
    p.add_run(
        _(
            "Người được biệt phái chịu sự phân công, quản lý công việc của Chủ tịch Ủy ban nhân dân cấp xã nơi đến; "
            "báo cáo kết quả công tác hằng tuần; được Chủ tịch Ủy ban nhân dân cấp xã nơi đến nhận xét, đánh giá khi "
            "kết thúc thời hạn biệt phái. Chế độ, chính sách đối với người được biệt phái thực hiện theo quy định hiện hành."
        )
    )
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=12)
    p.add_run(_("Điều 3. ")).bold = True
    p.add_run(
        _(
            "Chánh Văn phòng Ủy ban nhân dân %(level)s, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan có người được biệt "
            "phái, Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu nơi đến và các ông, bà có tên tại Điều 1 chịu trách "
            "nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký."
        )
        % {"level": level}
    )

    footer = doc.add_table(rows=1, cols=2)
    _no_borders(footer)
    left, right = footer.rows[0].cells
    left.paragraphs[0].text = ""
    _para(left, _("Nơi nhận:"), bold=True, italic=True, size=12, space_after=0)
    for line in (_("- Như Điều 3;"), _("- ……;"), _("- Lưu: VT, SNV.")):
        _para(left, line, size=11, space_after=0)
    right.paragraphs[0].text = ""
    _para(right, _("CHỦ TỊCH"), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=48)
    _para(right, _("(Ký, ghi rõ họ tên, đóng dấu)"), italic=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)

    if len(secondments) > 1:
        doc.add_page_break()
        _para(
            doc,
            _("DANH SÁCH CÔNG CHỨC, VIÊN CHỨC ĐƯỢC BIỆT PHÁI"),
            bold=True,
            size=13,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_after=0,
        )
        _para(
            doc,
            _("(Kèm theo Quyết định số %(n)s ngày …… của Chủ tịch Ủy ban nhân dân %(p)s)")
            % {"n": symbol, "p": issuer_name},
            italic=True,
            size=12,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_after=8,
        )
        headers = [
            _("STT"),
            _("Họ và tên"),
            _("Chức vụ, ngạch"),
            _("Cơ quan công tác"),
            _("Nơi đến"),
            _("Lĩnh vực"),
        ]
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        ordered = sorted(secondments, key=lambda s: (s.commune.name, s.staff.full_name))
        for i, s in enumerate(ordered, start=1):
            cells = table.add_row().cells
            values = [
                str(i),
                plain_text(s.staff.full_name),
                _position(s.staff),
                plain_text(s.staff.department.name),
                plain_text(s.commune.name),
                str(field_label(s.field)),
            ]
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
