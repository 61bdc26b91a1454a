"""The month in numbers (counted from attendance and citizens helped), its Excel export, the hours certificate."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from civicdesk.volunteers import services
from civicdesk.volunteers.reports import certificate_pdf, month_report
from tests.servicedesk.factories import DossierFactory

from .conftest import MONDAY, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(alice, di_linh, vy, tuan, week, khai_sinh, _pinned):
    """vy worked Monday morning 07:30–11:30 and helped three citizens (one dossier); tuan did not come."""
    shift = week[0]
    mine = services.book(alice, shift, vy)
    absent = services.book(alice, shift, tuan)
    _pinned.move_to(vn(2026, 3, 2, 12, 0))
    services.record_attendance(
        alice, mine, check_in_at=vn(2026, 3, 2, 7, 30), check_out_at=vn(2026, 3, 2, 11, 30)
    )
    services.mark_no_show(alice, absent)
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh, channel="truc_tuyen_ho_tro",
                             received_at=vn(2026, 3, 2, 9, 0))  # fmt: skip
    services.log_help(alice, vy, procedure_code="HT-001", filed_online=True, at=vn(2026, 3, 2, 8, 0))
    services.log_help(alice, vy, procedure_code="HT-001", at=vn(2026, 3, 2, 8, 30))
    services.log_help(alice, vy, dossier_code=dossier.code, at=vn(2026, 3, 2, 9, 5))
    return shift


def test_the_month_is_counted_from_what_happened(di_linh, vy, tuan, worked):
    report = month_report(di_linh, MONDAY)
    assert (report.attended, report.no_shows, report.hours) == (1, 1, 4.0)
    assert (report.helped, report.online, report.dossiers, report.online_percent) == (3, 2, 1, 67)
    assert report.shifts == 20  # this fortnight's published shifts fall in March
    first = report.rows[0]
    assert first.volunteer == vy and (first.shifts, first.hours, first.helped) == (1, 4.0, 3)


def test_the_page_the_excel_and_the_certificate(client_for, alice, charlie, vy, worked):
    client = client_for(alice)
    page = client.get("/volunteers/report/", {"month": "2026-03"}).content.decode()
    assert "Tình nguyện viên tháng 03/2026" in page and "tháng chưa hết" in page
    xlsx = client.get("/volunteers/report/", {"month": "2026-03", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Theo tình nguyện viên"].values)
    assert rows[1][0] == "Lý Thị Vy" and rows[1][5] == 3
    pdf = client_for(vy.person.user).get(f"/volunteers/people/{vy.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for(charlie).get(f"/volunteers/people/{vy.pk}/certificate.pdf").status_code == 404
    assert (
        client_for(charlie).get("/volunteers/report/", {"month": "2026-03"}).status_code == 200
    )  # Cam Ly's own


def test_a_name_that_looks_like_a_formula_stays_text(alice, di_linh, vy, worked):
    from civicdesk.volunteers.reports import month_xlsx

    vy.person.full_name = '=HYPERLINK("http://evil.example","x")'
    vy.person.save()
    book = load_workbook(io.BytesIO(month_xlsx(month_report(di_linh, MONDAY))))
    cell = book["Theo tình nguyện viên"]["A2"]
    assert cell.data_type == "s"  # stored as text, as typed: never a formula
    assert not [c for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert certificate_pdf(vy, start=MONDAY, end=MONDAY + dt.timedelta(days=1), issued_by="Alice").startswith(
        b"%PDF"
    )


def test_a_dossier_filed_online_with_help_names_the_volunteer_and_is_counted(
    alice, charlie, di_linh, vy, khai_sinh
):
    from django.core.exceptions import ValidationError

    from civicdesk.servicedesk import services as desk
    from civicdesk.servicedesk.services import checklist_for

    def receive(channel, helper):
        return desk.receive_dossier(
            alice, commune=di_linh, procedure=khai_sinh, present=[i["index"] for i in checklist_for(khai_sinh)],
            applicant_name="K'Điệp", applicant_id_number="068190001234", applicant_phone="0912345678",
            channel=channel, appointment_at=vn(2026, 3, 6, 9, 0), assisted_by=helper,
        )  # fmt: skip

    with pytest.raises(ValidationError) as err:
        receive("truc_tiep", vy.person.user)
    assert "assisted_by" in err.value.message_dict
    with pytest.raises(ValidationError):
        receive("truc_tuyen_ho_tro", charlie)  # not a volunteer of the commune
    dossier = receive("truc_tuyen_ho_tro", vy.person.user).dossier
    assert dossier.assisted_by == vy.person.user
    report = month_report(di_linh, MONDAY)
    assert report.assisted == 1 and report.rows[0].volunteer == vy and report.rows[0].assisted == 1


def test_the_counter_form_offers_the_communes_volunteers_only_where_there_are(
    client_for, alice, vy, khai_sinh
):
    page = client_for(alice).get("/servicedesk/receive/", {"procedure": "HT-001"}).content.decode()
    assert "Tình nguyện viên hỗ trợ nộp" in page and "Lý Thị Vy" in page
