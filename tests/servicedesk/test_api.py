"""The servicedesk API: scoped reads, intake, transitions, KPIs — and refusals for every endpoint."""

import pytest
import time_machine

from civicdesk.core.models import AuditEvent
from civicdesk.core.services import issue_api_token
from civicdesk.servicedesk.models import Dossier

from .conftest import APPLICANT
from .factories import DossierFactory, vn


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def dossier(di_linh, khai_sinh):
    return DossierFactory(commune=di_linh, procedure=khai_sinh, code="25000-251006-001")


def test_officer_reads_her_dossiers_with_personal_data_logged(client, alice, dossier):
    headers = auth(alice)
    listing = client.get("/api/servicedesk/dossiers", **headers).json()
    assert [d["code"] for d in listing] == [dossier.code] and listing[0]["applicant_id_number"] is None
    detail = client.get(f"/api/servicedesk/dossiers/{dossier.code}", **headers).json()
    assert detail["applicant_id_number"] == "068190001234" and "start_processing" in detail["allowed_actions"]
    assert AuditEvent.objects.filter(action="view", actor=alice, reason="API").count() == 1


def test_province_admin_reads_without_personal_data(client, quan, dossier):
    detail = client.get(f"/api/servicedesk/dossiers/{dossier.code}", **auth(quan)).json()
    assert detail["applicant_id_number"] is None and detail["allowed_actions"] == []


@time_machine.travel(vn(2025, 10, 6, 9), tick=False)
def test_intake_through_the_api(client, alice, khai_sinh, di_linh):
    headers = auth(alice)
    payload = {"procedure_code": "HT-001", "present": [0], **APPLICANT}
    incomplete = client.post("/api/servicedesk/dossiers", payload, content_type="application/json", **headers)
    body = incomplete.json()
    assert incomplete.status_code == 422 and body["error"]["code"] == "incomplete"
    assert body["error"]["details"]["missing"] == ["Giấy chứng sinh"]
    payload["present"] = [0, 1]
    created = client.post("/api/servicedesk/dossiers", payload, content_type="application/json", **headers)
    assert created.status_code == 201 and created.json()["due_at"].startswith("2025-10-09T09:00:00+07:00")
    bad = client.post(
        "/api/servicedesk/dossiers",
        {**payload, "applicant_id_number": "1"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and "applicant_id_number" in bad.json()["error"]["details"]


@time_machine.travel(vn(2025, 10, 7, 9), tick=False)
def test_transitions_through_the_api(client, alice, dossier):
    headers = auth(alice)
    url = f"/api/servicedesk/dossiers/{dossier.code}/transitions"
    response = client.post(
        f"{url}/request_supplement",
        {"reason_category": "missing_document", "items": ["Giấy chứng sinh bản chính"]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["status"] == "supplement_requested"
    wrong = client.post(f"{url}/return_result", {}, content_type="application/json", **headers)
    assert wrong.status_code == 422
    assert client.post(f"{url}/nope", {}, content_type="application/json", **headers).status_code == 404


def test_every_endpoint_refuses_another_commune(client, charlie, dossier, khai_sinh):
    headers = auth(charlie)
    assert client.get("/api/servicedesk/dossiers", **headers).json() == []
    assert client.get(f"/api/servicedesk/dossiers/{dossier.code}", **headers).status_code == 404
    response = client.post(
        f"/api/servicedesk/dossiers/{dossier.code}/transitions/start_processing",
        {},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert (
        client.get(
            "/api/servicedesk/kpi",
            {"province": 68, "date_from": "2025-07-01", "date_to": "2025-12-31"},
            **headers,
        ).status_code
        == 403
    )
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_province_admin_cannot_register_or_process(client, quan, dossier, khai_sinh):
    headers = auth(quan)
    payload = {"procedure_code": "HT-001", "present": [0, 1], **APPLICANT}
    assert (
        client.post(
            "/api/servicedesk/dossiers", payload, content_type="application/json", **headers
        ).status_code
        == 403
    )
    response = client.post(
        f"/api/servicedesk/dossiers/{dossier.code}/transitions/mark_done",
        {},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403 and Dossier.objects.count() == 1


def test_kpi_endpoint(client, quan, dossier, other_province_commune):
    headers = auth(quan)
    data = client.get(
        "/api/servicedesk/kpi",
        {"province": 68, "date_from": "2025-10-01", "date_to": "2025-10-31"},
        **headers,
    ).json()
    assert data["province"] == 68 and data["total"]["received"] == 1
    other = client.get(
        "/api/servicedesk/kpi",
        {"province": 79, "date_from": "2025-10-01", "date_to": "2025-10-31"},
        **headers,
    )
    assert other.status_code == 404
    assert (
        client.get(
            "/api/servicedesk/kpi", {"province": 68, "date_from": "2025-10-01", "date_to": "x"}
        ).status_code
        == 401
    )


def test_anonymous_is_refused(client, dossier):
    assert client.get("/api/servicedesk/dossiers").status_code == 401
    assert client.get(f"/api/servicedesk/dossiers/{dossier.code}").status_code == 401
