"""Office hours at the counter, and how processing limits read: a dossier received after hours counts from the next
working period, and the officer is told so before and after registering it; "0 days" reads "trong ngày"."""

import re

import lxml.html
import pytest
import time_machine

from civicdesk.servicedesk import services
from civicdesk.servicedesk.models import Dossier

from .conftest import APPLICANT
from .factories import DossierFactory, vn

FRIDAY_EVENING = vn(2025, 10, 10, 17, 30)
MONDAY_9 = vn(2025, 10, 6, 9)
MONDAY_LUNCH = vn(2025, 10, 6, 12)
NATIONAL_DAY = vn(2025, 9, 2, 9)


@pytest.fixture
def chung_thuc(db):
    """A procedure settled on the spot (0 working days)."""
    from tests.handbook.factories import ProcedureFactory

    return ProcedureFactory(
        code="CT-001",
        name="Chứng thực bản sao từ bản chính",
        methods=[
            {"method": "truc_tiep", "processing_days": 0},
            {"method": "truc_tuyen", "processing_days": 0},
        ],
        components=[{"name": "Bản chính giấy tờ", "original": 1, "copy": 0, "required": True}],
    )


def _text(html):
    return re.sub(r"\s+", " ", lxml.html.fromstring(html).text_content())


@time_machine.travel(FRIDAY_EVENING, tick=False)
def test_after_hours_the_counter_says_the_dossier_counts_from_monday_morning(client_for, alice, khai_sinh):
    client = client_for(alice)
    for page in (client.get("/servicedesk/receive/"), client.get("/servicedesk/receive/?procedure=HT-001")):
        text = _text(page.content.decode())
        assert "Đã hết giờ làm việc" in text
        assert "07:30" in text and "13/10/2025" in text, text
    # the checklist swapped in with htmx carries the warning too (it is what the officer is looking at)
    partial = client.get("/servicedesk/receive/?procedure=HT-001", HTTP_HX_REQUEST="true").content.decode()
    assert "Đã hết giờ làm việc" in partial and "13/10/2025" in partial


@time_machine.travel(MONDAY_LUNCH, tick=False)
def test_at_lunch_it_counts_from_the_afternoon(client_for, alice, khai_sinh):
    text = _text(client_for(alice).get("/servicedesk/receive/?procedure=HT-001").content.decode())
    assert "nghỉ trưa" in text and "13:30" in text and "06/10/2025" in text


@time_machine.travel(NATIONAL_DAY, tick=False)
def test_on_a_public_holiday_it_names_the_holiday(client_for, alice, khai_sinh):
    text = _text(client_for(alice).get("/servicedesk/receive/").content.decode())
    assert "Quốc khánh" in text and "03/09/2025" in text


@time_machine.travel(MONDAY_9, tick=False)
def test_within_office_hours_there_is_no_warning(client_for, alice, khai_sinh):
    text = _text(client_for(alice).get("/servicedesk/receive/?procedure=HT-001").content.decode())
    assert "giờ làm việc" not in text.replace("ngày làm việc", "")
    assert "Ngoài giờ" not in text and "hết giờ" not in text


@time_machine.travel(MONDAY_9, tick=False)
def test_the_counter_shows_the_appointment_it_will_give(client_for, alice, khai_sinh):
    text = _text(client_for(alice).get("/servicedesk/receive/?procedure=HT-001").content.decode())
    assert "09:00" in text and "09/10/2025" in text  # 3 working days after Monday 09:00


@time_machine.travel(FRIDAY_EVENING, tick=False)
def test_registered_after_hours_the_officer_is_told_and_the_dossier_page_says_so(
    client_for, alice, khai_sinh
):
    client = client_for(alice)
    response = client.post(
        "/servicedesk/receive/?procedure=HT-001", {**APPLICANT, "components": ["0", "1"]}, follow=True
    )
    dossier = Dossier.objects.get()
    assert dossier.due_at == vn(2025, 10, 16, 7, 30)
    text = _text(response.content.decode())
    assert "ngoài giờ làm việc" in text and "07:30 13/10/2025" in text, text
    again = _text(client.get(f"/servicedesk/dossiers/{dossier.code}/").content.decode())
    assert "ngoài giờ làm việc" in again and "07:30 13/10/2025" in again
    slip = _text(client.get(f"/servicedesk/dossiers/{dossier.code}/receipt/").content.decode())
    assert "ngoài giờ làm việc" in slip and "13/10/2025" in slip


@time_machine.travel(MONDAY_9, tick=False)
def test_same_day_procedures_read_trong_ngay_on_the_counter_the_dossier_and_the_slip(
    client_for, alice, chung_thuc, di_linh
):
    client = client_for(alice)
    counter = _text(client.get("/servicedesk/receive/?procedure=CT-001").content.decode())
    assert "trong ngày" in counter and "0 ngày" not in counter
    result = services.receive_dossier(
        alice, commune=di_linh, procedure=chung_thuc, present=[0], received_at=MONDAY_9, **APPLICANT
    )
    for path in ("", "receipt/"):
        text = _text(client.get(f"/servicedesk/dossiers/{result.dossier.code}/{path}").content.decode())
        assert "trong ngày" in text and "0 ngày" not in text, path


def test_an_imported_same_day_dossier_reads_trong_ngay_too(client_for, alice, di_linh, khai_sinh):
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh, processing_days=0)
    text = _text(client_for(alice).get(f"/servicedesk/dossiers/{dossier.code}/").content.decode())
    assert "trong ngày" in text and "0 ngày làm việc" not in text


def test_three_days_still_read_as_working_days(client_for, alice, di_linh, khai_sinh):
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh, processing_days=3)
    text = _text(client_for(alice).get(f"/servicedesk/dossiers/{dossier.code}/").content.decode())
    assert "3 ngày làm việc" in text
