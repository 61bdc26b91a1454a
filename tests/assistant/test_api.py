import json

from civicdesk.core.services import issue_api_token

URL = "/api/assistant/ask"


def _post(client, body, **headers):
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_the_api_needs_authentication(handbook, client):
    assert _post(client, {"q": "khai sanh"}).status_code == 401


def test_ask_returns_the_exact_shape(handbook, alice, client):
    _token, raw = issue_api_token(alice, alice)
    response = _post(client, {"q": "làm giấy khai sinh cho con cần gì"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"q", "answered", "mode", "answer", "sources", "ms"}
    assert body["answered"] is True and body["mode"] in ("answer", "clarify") and isinstance(body["ms"], int)
    assert set(body["sources"][0]) == {"id", "title", "kind", "url", "score", "summary"}
    assert body["sources"][0]["title"] == "Đăng ký khai sinh"


def test_an_out_of_scope_question_is_refused(handbook, alice, client):
    _token, raw = issue_api_token(alice, alice)
    body = _post(client, {"q": "Thời tiết Đà Lạt ngày mai"}, HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["answered"] is False and body["mode"] == "refuse"


def test_an_empty_question_is_invalid(handbook, alice, client):
    _token, raw = issue_api_token(alice, alice)
    response = _post(client, {"q": ""}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"


def test_search_lists_hits(handbook, alice, client):
    _token, raw = issue_api_token(alice, alice)
    hits = client.get(
        "/api/assistant/search", {"q": "nhap ho khau"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert hits[0]["id"] == "procedure:CTR-001"
