"""Issue 13 (item 15): the KPI workbook's name keeps Vietnamese letters, its dates read dd/mm/yyyy, its header stays
in view with filters; the PDF table fits the page."""

import io

from openpyxl import load_workbook


def test_the_kpi_workbook_and_pdf(client_for, quan, di_linh, khai_sinh, alice):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm

    from civicdesk.servicedesk import exports as kpi_exports

    response = client_for(quan).get(
        "/servicedesk/kpi/export.xlsx", {"date_from": "2026-01-01", "date_to": "2026-03-31"}
    )
    assert response.status_code == 200, response.content[:300]
    assert 'filename="kpi-tinh-lam-dong-01-01-2026-31-03-2026.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.freeze_panes == "C5" and sheet.auto_filter.ref.startswith("A4:")
    assert "01/01/2026" in sheet["A2"].value and "31/03/2026" in sheet["A2"].value
    usable = landscape(A4)[0] - (kpi_exports.LEFT_MARGIN_MM + kpi_exports.RIGHT_MARGIN_MM) * mm
    widths = 10 * mm + kpi_exports.UNIT_COLUMN_MM * mm
    assert widths < usable  # the number columns share the rest: the table fits the page
