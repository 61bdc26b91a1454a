"""Named transitions: guarded by state and role, logged, and a late dossier needs its apology first."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import AuditEvent
from civicdesk.servicedesk import services
from civicdesk.servicedesk.models import CommuneMonthStat

from .factories import DossierFactory, vn


@pytest.fixture
def dossier(di_linh, khai_sinh):
    return DossierFactory(
        commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 10, 6, 9), due_at=vn(2025, 10, 9, 9)
    )


@time_machine.travel(vn(2025, 10, 7, 10), tick=False)
def test_the_happy_path_with_a_supplement(client_for, alice, dossier, di_linh):
    client = client_for(alice)
    url = f"/servicedesk/dossiers/{dossier.code}/actions"
    assert client.post(f"{url}/start_processing/").status_code == 302
    response = client.post(
        f"{url}/request_supplement/",
        {"reason_category": "inconsistent", "items": "Bản sao giấy chứng nhận kết hôn\nXác nhận nơi cư trú"},
    )
    dossier.refresh_from_db()
    assert dossier.status == "supplement_requested" and dossier.supplement_count == 1
    printed = client.get(response.url).content.decode()
    assert "Xác nhận nơi cư trú" in printed and "Thông tin không thống nhất" in printed
    client.post(f"{url}/resume_processing/")
    client.post(f"{url}/mark_done/")
    client.post(f"{url}/return_result/")
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.is_on_time is True
    assert dossier.working_days_taken == pytest.approx(
        1.13, abs=0.01
    )  # 9:00 Mon → 10:00 Tue: 8.5 h of 7.5 h days
    assert list(dossier.events.values_list("action", flat=True)) == [
        "start_processing",
        "request_supplement",
        "resume_processing",
        "mark_done",
        "return_result",
    ]
    assert AuditEvent.objects.filter(action="transition", object_id=str(dossier.pk)).count() == 5
    stat = CommuneMonthStat.objects.get(commune=di_linh)
    assert (stat.finished, stat.on_time, stat.supplemented) == (1, 1, 1)


@time_machine.travel(vn(2025, 10, 7, 10), tick=False)
def test_wrong_state_is_refused_clearly(client_for, alice, dossier):
    response = client_for(alice).post(f"/servicedesk/dossiers/{dossier.code}/actions/return_result/")
    assert response.status_code == 400 and "Không thể" in response.content.decode()
    with pytest.raises(ValidationError):
        services.resume_processing(alice, dossier)


def test_supplement_needs_a_reason_category_and_what_is_missing(alice, dossier):
    with pytest.raises(ValidationError):
        services.request_supplement(alice, dossier, reason_category="bogus", items=["x"])
    with pytest.raises(ValidationError):
        services.request_supplement(alice, dossier, reason_category="missing_document", items=[])


@time_machine.travel(vn(2025, 10, 10, 9), tick=False)
def test_a_late_dossier_needs_a_reason_and_apology_before_its_result(client_for, alice, dossier):
    client = client_for(alice)
    detail = client.get(f"/servicedesk/dossiers/{dossier.code}/").content.decode()
    assert "quá hạn" in detail and "văn bản xin lỗi" in detail
    response = client.post(f"/servicedesk/dossiers/{dossier.code}/actions/mark_done/")
    assert response.status_code == 400 and "lý do trễ hạn" in response.content.decode()
    bad = client.post(
        f"/servicedesk/dossiers/{dossier.code}/actions/record_delay/",
        {"reason": "", "new_due_at": "2025-10-08T09:00"},
    )
    assert bad.status_code == 400
    response = client.post(
        f"/servicedesk/dossiers/{dossier.code}/actions/record_delay/",
        {"reason": "Chờ xác minh nơi cư trú", "new_due_at": "2025-10-14T09:00"},
    )
    assert response.url == f"/servicedesk/dossiers/{dossier.code}/apology/"
    letter = client.get(response.url).content.decode()
    assert "XIN LỖI" in letter and "Chờ xác minh nơi cư trú" in letter and "14/10/2025" in letter
    client.post(f"/servicedesk/dossiers/{dossier.code}/actions/mark_done/")
    dossier.refresh_from_db()
    assert dossier.status == "done" and dossier.is_on_time is False
    assert dossier.appointment_at == vn(2025, 10, 14, 9)


def test_reject_needs_a_reason_withdraw_does_not(alice, dossier, di_linh, khai_sinh):
    with pytest.raises(ValidationError):
        services.reject(alice, dossier, reason=" ")
    services.reject(alice, dossier, reason="Không thuộc thẩm quyền")
    other = DossierFactory(commune=di_linh, procedure=khai_sinh)
    services.withdraw(alice, other)
    dossier.refresh_from_db()
    other.refresh_from_db()
    assert (dossier.status, other.status) == ("rejected", "withdrawn")
    assert dossier.finished_at is None  # rejected dossiers are not "finished" in the KPIs


def test_transitions_are_refused_to_others(client_for, charlie, quan, tinh_nguyen, dossier):
    for action in (
        "start_processing",
        "mark_done",
        "request_supplement",
        "record_delay",
        "reject",
        "withdraw",
    ):
        assert (
            client_for(charlie).post(f"/servicedesk/dossiers/{dossier.code}/actions/{action}/").status_code
            == 404
        )
        assert (
            client_for(quan).post(f"/servicedesk/dossiers/{dossier.code}/actions/{action}/").status_code
            == 403
        )
        assert (
            client_for(tinh_nguyen)
            .post(f"/servicedesk/dossiers/{dossier.code}/actions/{action}/")
            .status_code
            == 403
        )
    with pytest.raises(PermissionDenied):
        services.record_delay(quan, dossier, reason="x", new_due_at=vn(2030, 1, 1, 9))
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_unknown_action_is_404(client_for, alice, dossier):
    assert client_for(alice).post(f"/servicedesk/dossiers/{dossier.code}/actions/explode/").status_code == 404


def test_printouts_are_refused_to_other_communes_and_non_officers(client_for, charlie, quan, alice, dossier):
    event = services.request_supplement(alice, dossier, reason_category="missing_document", items=["Giấy X"])
    event_id = dossier.events.get().pk
    assert event.status == "supplement_requested"
    for path in ("", "receipt/", "apology/", f"supplement/{event_id}/"):
        assert client_for(charlie).get(f"/servicedesk/dossiers/{dossier.code}/{path}").status_code == 404
    assert client_for(quan).get(f"/servicedesk/dossiers/{dossier.code}/receipt/").status_code == 403
    assert (
        client_for(quan).get(f"/servicedesk/dossiers/{dossier.code}/supplement/{event_id}/").status_code
        == 403
    )
    assert (
        client_for(alice).get(f"/servicedesk/dossiers/{dossier.code}/apology/").status_code == 404
    )  # none yet
