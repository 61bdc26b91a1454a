"""Handbook API: published content for everyone signed in, drafts for the responsible editors only."""

from civicdesk.core.services import issue_api_token

from .factories import FaqFactory, GuideFactory


def bearer(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_procedures_filter_by_field_and_query(client, alice, published, draft, fields):
    auth = bearer(alice)
    rows = client.get("/api/handbook/procedures?field=ho_tich", **auth).json()
    assert [r["code"] for r in rows] == ["HT-100"]  # the draft is not shown to a commune officer
    assert rows[0]["processing_days"] == 3 and rows[0]["url"] == "/handbook/procedures/HT-100/"
    assert [r["code"] for r in client.get("/api/handbook/procedures?q=khai sinh", **auth).json()] == [
        "HT-100"
    ]
    assert client.get("/api/handbook/procedures?field=dat_dai", **auth).json() == []


def test_procedure_detail_has_the_national_fields(client, alice, published):
    data = client.get("/api/handbook/procedures/HT-100", **bearer(alice)).json()
    assert data["components"][0] == {
        "name": "Tờ khai",
        "original": 1,
        "copy": 0,
        "form": "Tờ khai",
        "required": True,
        "note": "",
    }
    assert data["methods"][0]["method"] == "truc_tiep" and data["legal_basis"] == ["Luật Hộ tịch 2014"]
    assert data["field"] == "ho_tich" and data["department"] == "tu-phap" and data["status"] == "published"


def test_drafts_are_refused_to_other_users(client, charlie, lam, phap, draft):
    for user in (charlie, lam):
        response = client.get("/api/handbook/procedures/HT-200", **bearer(user))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert client.get("/api/handbook/procedures?status=draft", **bearer(user)).json() == []
    rows = client.get("/api/handbook/procedures?status=draft", **bearer(phap)).json()
    assert [r["code"] for r in rows] == ["HT-200"]


def test_guides_and_faqs(client, alice, fields):
    GuideFactory(slug="vneid", handbook="technology", audience="citizens", title="Đăng nhập VNeID")
    GuideFactory(slug="nhap", status="draft")
    FaqFactory(slug="hoi-1", question="Làm lại CCCD ở đâu?")
    auth = bearer(alice)
    assert [g["slug"] for g in client.get("/api/handbook/guides?handbook=technology", **auth).json()] == [
        "vneid"
    ]
    assert client.get("/api/handbook/guides/vneid", **auth).json()["sections"][0]["heading"] == "Bước 1"
    assert client.get("/api/handbook/guides/nhap", **auth).status_code == 404
    assert [f["slug"] for f in client.get("/api/handbook/faqs?q=cccd", **auth).json()] == ["hoi-1"]
    assert client.get("/api/handbook/faqs/hoi-1", **auth).json()["answer"] == "Câu trả lời."


def test_the_api_needs_a_token(client, published):
    response = client.get("/api/handbook/procedures")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
