"""At the counter: the checklist blocks incomplete dossiers; a complete one is registered with its due date."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import AuditEvent
from civicdesk.servicedesk import services
from civicdesk.servicedesk.models import CommuneMonthStat, Dossier, IntakeCheck

from .conftest import APPLICANT
from .factories import vn

MONDAY_9 = vn(2025, 10, 6, 9)
NEXT_MONDAY_8 = vn(2025, 10, 13, 8)  # after the Friday-evening intake below


@time_machine.travel(MONDAY_9, tick=False)
def test_missing_required_component_blocks_intake_and_prints_what_is_missing(client_for, alice, khai_sinh):
    client = client_for(alice)
    response = client.post("/servicedesk/receive/?procedure=HT-001", {**APPLICANT, "components": ["0", "2"]})
    check = IntakeCheck.objects.get()
    assert response.status_code == 302 and response.url == f"/servicedesk/checks/{check.pk}/"
    assert not Dossier.objects.exists()
    assert check.missing == ["Giấy chứng sinh"] and not check.complete
    page = client.get(response.url).content.decode()
    assert "PHIẾU YÊU CẦU BỔ SUNG" in page and "Giấy chứng sinh" in page and "Ka Huệ" in page
    # The optional component is not asked for.
    assert page.count("Văn bản ủy quyền") == 1  # listed once, among what was shown, not among what is missing


@time_machine.travel(MONDAY_9, tick=False)
def test_complete_dossier_is_registered_with_a_computed_due_date(client_for, alice, khai_sinh, di_linh):
    response = client_for(alice).post(
        "/servicedesk/receive/?procedure=HT-001", {**APPLICANT, "components": ["0", "1"]}
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == f"/servicedesk/dossiers/{dossier.code}/"
    assert dossier.code == "25000-251006-001"
    assert dossier.due_at == vn(2025, 10, 9, 9) and dossier.due_source == "computed"
    assert dossier.applicant_phone == "0912345678" and dossier.phone_last4 == "5678"
    assert dossier.received_by == alice and dossier.status == "received"
    assert [i["present"] for i in dossier.checklist] == [True, True, False]
    assert dossier.intake_check.complete
    assert AuditEvent.objects.filter(object_type="servicedesk.dossier", action="create", actor=alice).exists()
    assert CommuneMonthStat.objects.get(commune=di_linh).received == 1


@time_machine.travel(NEXT_MONDAY_8, tick=False)
def test_due_date_skips_weekend_and_counts_after_hours_from_next_morning(alice, khai_sinh, di_linh):
    friday_evening = vn(2025, 10, 10, 17, 30)  # after office hours: counts from Monday 07:30
    result = services.receive_dossier(
        alice, commune=di_linh, procedure=khai_sinh, present=[0, 1], received_at=friday_evening, **APPLICANT
    )
    assert result.dossier.received_date.isoformat() == "2025-10-10"
    assert result.dossier.due_at == vn(2025, 10, 16, 7, 30)


@time_machine.travel(MONDAY_9, tick=False)
def test_same_day_procedure_is_due_at_close_of_the_working_day(alice, di_linh):
    from tests.handbook.factories import ProcedureFactory

    chung_thuc = ProcedureFactory(
        code="CT-001", methods=[{"method": "truc_tiep", "processing_days": 0}], components=[]
    )
    result = services.receive_dossier(
        alice, commune=di_linh, procedure=chung_thuc, present=[], received_at=vn(2025, 10, 6, 9), **APPLICANT
    )
    assert result.dossier.due_at == vn(2025, 10, 6, 17)


@time_machine.travel(MONDAY_9, tick=False)
def test_unverified_processing_days_require_the_officers_appointment(client_for, alice, ket_hon):
    client = client_for(alice)
    page = client.get("/servicedesk/receive/?procedure=HT-005").content.decode()
    assert "chưa được kiểm chứng" in page and 'name="appointment_at"' in page
    response = client.post("/servicedesk/receive/?procedure=HT-005", {**APPLICANT, "components": ["0"]})
    assert response.status_code == 400 and not Dossier.objects.exists()
    response = client.post(
        "/servicedesk/receive/?procedure=HT-005",
        {**APPLICANT, "components": ["0"], "appointment_at": "2025-10-13T15:00"},
    )
    dossier = Dossier.objects.get()
    assert dossier.due_at == vn(2025, 10, 13, 15) and dossier.due_source == "manual"
    assert dossier.processing_days is None


@time_machine.travel(MONDAY_9, tick=False)
def test_bad_cccd_and_phone_are_refused_clearly_and_input_is_kept(client_for, alice, khai_sinh):
    response = client_for(alice).post(
        "/servicedesk/receive/?procedure=HT-001",
        {**APPLICANT, "applicant_id_number": "12345", "applicant_phone": "12", "components": ["0", "1"]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "12 chữ số" in html and "10 chữ số" in html and 'value="Ka Huệ"' in html
    assert not Dossier.objects.exists() and not IntakeCheck.objects.exists()


def test_cccd_validation():
    from civicdesk.servicedesk.models import validate_cccd

    validate_cccd("068190001234")
    for bad in ("06819000123", "0681900012345", "abc190001234", "000000000000", "999190001234"):
        with pytest.raises(ValidationError):
            validate_cccd(bad)


@time_machine.travel(MONDAY_9, tick=False)
def test_volunteer_registers_but_does_not_process(client_for, tinh_nguyen, khai_sinh, di_linh):
    result = services.receive_dossier(
        tinh_nguyen, commune=di_linh, procedure=khai_sinh, present=[0, 1], received_at=MONDAY_9, **APPLICANT
    )
    assert result.complete
    with pytest.raises(PermissionDenied):
        services.start_processing(tinh_nguyen, result.dossier)
    client = client_for(tinh_nguyen)
    assert client.get(f"/servicedesk/dossiers/{result.dossier.code}/receipt/").status_code == 200
    # The volunteer sees the dossier, but not the applicant's CCCD and phone.
    page = client.get(f"/servicedesk/dossiers/{result.dossier.code}/").content.decode()
    assert "068190001234" not in page and "0912345678" not in page


@time_machine.travel(MONDAY_9, tick=False)
def test_receiving_is_refused_outside_the_commune(client_for, charlie, quan, phap, alice, khai_sinh, di_linh):
    with pytest.raises(PermissionDenied):
        services.receive_dossier(
            charlie, commune=di_linh, procedure=khai_sinh, present=[0, 1], received_at=MONDAY_9, **APPLICANT
        )
    for user in (quan, phap):
        assert client_for(user).get("/servicedesk/receive/").status_code == 403
        assert client_for(user).post("/servicedesk/receive/?procedure=HT-001", APPLICANT).status_code == 403
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9, tick=False)
def test_intake_check_print_is_refused_to_another_commune(client_for, alice, charlie, khai_sinh, di_linh):
    result = services.receive_dossier(
        alice, commune=di_linh, procedure=khai_sinh, present=[], received_at=MONDAY_9, **APPLICANT
    )
    assert client_for(charlie).get(f"/servicedesk/checks/{result.check.pk}/").status_code == 404


def test_procedure_picker_swaps_the_checklist_with_htmx(client_for, alice, khai_sinh):
    client = client_for(alice)
    page = client.get("/servicedesk/receive/").content.decode()
    assert "HT-001" in page and "Chọn thủ tục" in page
    partial = client.get("/servicedesk/receive/?procedure=HT-001", HTTP_HX_REQUEST="true").content.decode()
    assert "Giấy chứng sinh" in partial and "<html" not in partial
    assert "Giấy chứng sinh" in client.get("/servicedesk/receive/?procedure=HT-001").content.decode()


def test_no_procedures_tells_the_officer_what_to_do(client_for, alice):
    page = client_for(alice).get("/servicedesk/receive/").content.decode()
    assert "Cẩm nang chưa có thủ tục nào" in page
