"""Text longer than its column is a 422 naming the field, not a PostgreSQL DataError (500) after the checks passed."""

import pytest
import time_machine

from civicdesk.servicedesk.models import Dossier
from tests.handbook.factories import ProcedureFactory
from tests.servicedesk.conftest import APPLICANT
from tests.servicedesk.factories import vn
from tests.staffing.factories import PlanFactory

JSON = "application/json"


@pytest.fixture
def khai_sinh(db):
    return ProcedureFactory(
        code="HT-001",
        methods=[{"method": "truc_tiep", "processing_days": 3}],
        components=[
            {"name": "Tờ khai", "original": 1, "copy": 0, "required": True},
            {"name": "Giấy chứng sinh", "original": 1, "copy": 0, "required": True},
        ],
    )


def invalid_fields(response):
    assert response.status_code == 422, response.content
    return {d["loc"][-1] for d in response.json()["error"]["details"]}


@time_machine.travel(vn(2025, 10, 6, 9), tick=False)
def test_intake_refuses_an_overlong_name_or_note(client, bearer, alice, khai_sinh):
    payload = {"procedure_code": "HT-001", "present": [0, 1], **APPLICANT}
    url = "/api/servicedesk/dossiers"
    headers = bearer(alice)
    long_name = client.post(
        url, {**payload, "applicant_name": "Ka " + "H" * 150}, content_type=JSON, **headers
    )
    assert invalid_fields(long_name) == {"applicant_name"}
    long_note = client.post(url, {**payload, "note": "n" * 501}, content_type=JSON, **headers)
    assert invalid_fields(long_note) == {"note"}
    assert not Dossier.objects.exists()
    fits = {**payload, "applicant_name": "H" * 150, "note": "n" * 500}
    assert client.post(url, fits, content_type=JSON, **headers).status_code == 201


def test_approval_refuses_an_overlong_decision_number(client, bearer, noi, lam_dong):
    plan = PlanFactory(province=lam_dong)
    response = client.post(
        f"/api/staffing/plans/{plan.pk}/approve",
        {"decision_number": "1" * 61},
        content_type=JSON,
        **bearer(noi),
    )
    assert invalid_fields(response) == {"decision_number"}


def test_a_ticket_title_longer_than_its_column_is_named(client, bearer, alice, db):
    response = client.post(
        "/api/hotline/tickets", {"title": "t" * 201, "body": "Chi tiết"}, content_type=JSON, **bearer(alice)
    )
    assert response.status_code == 422 and "title" in str(response.json()["error"]["details"])
