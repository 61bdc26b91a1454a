"""POST /api/impact/estimates: estimate, interval, n treated, n control and the sentence; 400 and 403 said clearly."""

from civicdesk.core.services import issue_api_token
from tests.factories import SYSTEM

from .conftest import START


def _post(client, user, body):
    _token, raw = issue_api_token(SYSTEM, user)
    return client.post(
        "/api/impact/estimates", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_the_estimate_with_its_interval(client, quan, planted):
    _communes, treated = planted
    response = _post(client, quan, {"treated": treated, "start": START.isoformat(), "indicator": "on_time"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["low"] <= 8 <= body["high"] and body["low"] > 0
    assert body["n_treated"] == 10 and body["n_control"] >= 10
    assert body["sentence"].startswith("Sau ngày bắt đầu, tỉ lệ đúng hạn")
    assert body["saved_id"] is None and len(body["pre_months"]) == 6


def test_saving_through_the_api(client, noi, planted):
    from civicdesk.impact.models import Estimate

    _communes, treated = planted
    body = _post(client, noi, {"treated": treated, "start": START.isoformat(), "save": True}).json()
    assert Estimate.objects.get().pk == body["saved_id"]


def test_bad_requests_are_400_with_the_reason(client, quan, planted):
    _communes, treated = planted
    unknown = _post(client, quan, {"treated": [99999], "start": START.isoformat()})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"]["communes"] == ["Không có trong tỉnh: 99999."]
    indicator = _post(client, quan, {"treated": treated, "start": START.isoformat(), "indicator": "mood"})
    assert indicator.status_code == 400 and indicator.json()["error"]["code"] == "invalid"
    future = _post(client, quan, {"treated": treated, "start": "2026-03-01"})
    assert future.status_code == 400 and "start" in future.json()["error"]["details"]
    assert _post(client, quan, {"start": START.isoformat()}).status_code == 422


def test_anyone_but_the_province_roles_gets_403(client, alice, phap, planted):
    _communes, treated = planted
    for user in (alice, phap):
        response = _post(client, user, {"treated": treated, "start": START.isoformat()})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert client.post("/api/impact/estimates", {}, content_type="application/json").status_code == 401
