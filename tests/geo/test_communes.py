"""Commune workspace pages and API: alice manages Di Linh; charlie (Cam Ly) must not see or touch it."""

import pytest

from civicdesk.core.models import AuditEvent
from civicdesk.core.services import issue_api_token
from civicdesk.geo.models import Hamlet
from tests.factories import HamletFactory


@pytest.fixture
def thon(di_linh):
    return HamletFactory(commune=di_linh, name="Thôn Đồng Lạc", kind="thon")


def test_officer_lands_on_her_commune(client_for, alice, di_linh):
    response = client_for(alice).get("/communes/")
    assert response.status_code == 302 and response.url == "/communes/25000/"


def test_officer_adds_a_hamlet_with_htmx(client_for, alice, di_linh):
    client = client_for(alice)
    response = client.post(
        "/communes/25000/hamlets/",
        {"name": "Bon Ka La", "kind": "bon", "population": "820"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Bon Ka La" in html and "<html" not in html
    assert Hamlet.objects.get(commune=di_linh).kind == "bon"
    assert AuditEvent.objects.filter(object_type="geo.hamlet", action="create", actor=alice).exists()
    # A fresh reload shows the same state the swap showed.
    assert "Bon Ka La" in client.get("/communes/25000/").content.decode()


def test_invalid_hamlet_form_keeps_input(client_for, alice, di_linh):
    response = client_for(alice).post(
        "/communes/25000/hamlets/", {"name": "Thôn 5", "kind": "thon", "lat": "200"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Thôn 5"' in html and "errorlist" in html
    assert not Hamlet.objects.exists()


def test_duplicate_hamlet_name_is_refused_clearly(client_for, alice, thon):
    response = client_for(alice).post(
        "/communes/25000/hamlets/", {"name": "Thôn Đồng Lạc", "kind": "thon"}, HTTP_HX_REQUEST="true"
    )
    assert "errorlist" in response.content.decode()
    assert Hamlet.objects.count() == 1


def test_other_commune_officer_is_refused_everywhere(client_for, charlie, thon, di_linh):
    client = client_for(charlie)
    assert client.get("/communes/25000/").status_code == 404
    assert client.post("/communes/25000/hamlets/", {"name": "X", "kind": "thon"}).status_code == 404
    assert client.post(f"/communes/25000/hamlets/{thon.pk}/delete/").status_code == 404
    assert client.post("/communes/25000/coordinates/", {"lat": 1, "lon": 1}).status_code == 404
    assert client.get("/communes/hamlets/import/").status_code == 403
    assert Hamlet.objects.count() == 1
    di_linh.refresh_from_db()
    assert di_linh.lat is None


def test_other_commune_officer_is_refused_by_the_api(client, charlie, thon):
    _token, raw = issue_api_token(charlie, charlie)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/geo/communes/25000", **auth).status_code == 404
    assert client.get("/api/geo/communes/25000/hamlets", **auth).status_code == 404
    response = client.post(
        "/api/geo/communes/25000/hamlets", {"name": "X"}, content_type="application/json", **auth
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert [c["code"] for c in client.get("/api/geo/communes", **auth).json()] == [24787]


def test_api_lets_the_officer_add_hamlets(client, alice, di_linh):
    _token, raw = issue_api_token(alice, alice)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post(
        "/api/geo/communes/25000/hamlets",
        {"name": "Thôn 3", "kind": "thon"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    assert client.get("/api/geo/communes/25000/hamlets", **auth).json()[0]["name"] == "Thôn 3"
    bad = client.post(
        "/api/geo/communes/25000/hamlets",
        {"name": "Thôn 4", "kind": "lang"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_department_expert_reads_but_cannot_edit(client_for, phap, thon):
    client = client_for(phap)
    assert client.get("/communes/25000/").status_code == 200
    assert client.post("/communes/25000/hamlets/", {"name": "X", "kind": "thon"}).status_code == 403


def test_province_admin_sees_province_but_not_other_provinces(
    client_for, quan, di_linh, cam_ly, other_province_commune
):
    client = client_for(quan)
    page = client.get("/communes/").content.decode()
    assert "Xã Di Linh" in page and "Phường Cam Ly" in page and "Phường Sài Gòn" not in page
    assert client.get(f"/communes/{other_province_commune.code}/").status_code == 404
    partial = client.get("/communes/", {"q": "Cam"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Phường Cam Ly" in partial and "Xã Di Linh" not in partial and "<html" not in partial


def test_leader_sets_coordinates(client_for, linh, di_linh):
    response = client_for(linh).post("/communes/25000/coordinates/", {"lat": "11.5823", "lon": "108.0711"})
    assert response.status_code == 302
    di_linh.refresh_from_db()
    assert (di_linh.lat, di_linh.lon) == (11.5823, 108.0711)
