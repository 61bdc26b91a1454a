"""POST/GET /api/hotline/tickets, fields, claim and replies — and who is refused."""

import pytest

from civicdesk.core.services import issue_api_token
from civicdesk.hotline.models import Ticket


@pytest.fixture
def auth():
    def header(user):
        _token, raw = issue_api_token(user, user)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return header


def test_official_files_by_token_and_gets_routing_and_due_times(client, auth, alice, routing, time_machine):
    time_machine.move_to("2026-02-11T09:00:00+07:00", tick=False)
    response = client.post(
        "/api/hotline/tickets",
        {
            "title": "Khai sinh có yếu tố nước ngoài",
            "body": "Chi tiết",
            "field": "ho_tich",
            "urgency": "normal",
        },
        content_type="application/json",
        **auth(alice),
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "assigned"
    assert data["team"]["name"] == "Sở Tư pháp" and data["assignee"]["username"] == "phap"
    assert data["first_response_due"] == "2026-02-12T09:30:00+07:00"
    assert data["resolution_due"] == "2026-02-23T10:30:00+07:00"
    assert Ticket.objects.get(pk=data["id"]).channel == "api"
    detail = client.get(f"/api/hotline/tickets/{data['id']}", **auth(alice)).json()
    assert detail["body"] == "Chi tiết" and detail["messages"] == []


def test_invalid_payloads_are_422_in_vietnamese(client, auth, alice, routing):
    response = client.post(
        "/api/hotline/tickets",
        {"title": "x", "body": "y", "field": "khong_co"},
        content_type="application/json",
        **auth(alice),
    )
    assert response.status_code == 422 and "Mã lĩnh vực không tồn tại" in str(
        response.json()["error"]["details"]
    )
    response = client.post(
        "/api/hotline/tickets",
        {"title": "", "body": "", "urgency": "x"},
        content_type="application/json",
        **auth(alice),
    )
    assert response.status_code == 422 and set(response.json()["error"]["details"]) == {
        "title",
        "body",
        "urgency",
    }


def test_only_commune_officials_file(client, auth, phap, quan, routing):
    for user in (phap, quan):
        response = client.post(
            "/api/hotline/tickets", {"title": "x", "body": "y"}, content_type="application/json", **auth(user)
        )
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not Ticket.objects.exists()


def test_outsiders_get_404(client, auth, ticket, charlie, lam):
    for user in (charlie, lam):
        headers = auth(user)
        assert client.get(f"/api/hotline/tickets/{ticket.pk}", **headers).status_code == 404
        assert client.post(f"/api/hotline/tickets/{ticket.pk}/claim", **headers).status_code == 404
        response = client.post(
            f"/api/hotline/tickets/{ticket.pk}/replies",
            {"body": "x"},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert client.get("/api/hotline/tickets", **headers).json() == []


def test_unauthenticated_is_401(client, ticket):
    assert client.get(f"/api/hotline/tickets/{ticket.pk}").status_code == 401
    assert client.get("/api/hotline/fields").status_code == 401


def test_expert_replies_and_claims(client, auth, ticket, phap, phap2, alice):
    response = client.post(
        f"/api/hotline/tickets/{ticket.pk}/replies",
        {"body": "Trả lời qua API"},
        content_type="application/json",
        **auth(phap),
    )
    assert response.status_code == 201
    assert client.get(f"/api/hotline/tickets/{ticket.pk}", **auth(alice)).json()["status"] == "answered"
    conflict = client.post(f"/api/hotline/tickets/{ticket.pk}/claim", **auth(phap2))
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"
    refused = client.post(
        f"/api/hotline/tickets/{ticket.pk}/replies",
        {"body": "ghi chú", "internal": True},
        content_type="application/json",
        **auth(alice),
    )
    assert refused.status_code == 403


def test_fields_list_codes_and_routing(client, auth, alice, routing):
    data = {f["code"]: f for f in client.get("/api/hotline/fields", **auth(alice)).json()}
    assert data["ho_tich"]["team"]["name"] == "Sở Tư pháp" and data["ho_tich"]["routed_by"] == "default"
    assert data["dat_dai"]["team"]["kind"] == "working_group" and data["dat_dai"]["routed_by"] == "rule"
    assert data["cu_tru"]["default_department"] == "cong-an" and data["cu_tru"]["team"] is None
