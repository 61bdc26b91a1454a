"""/api/community: a person's languages, requests, and the week's proposals; scoped like every endpoint (another
commune's records are 404), errors in the one shape."""

import pytest

from civicdesk.community.models import Accompaniment
from civicdesk.core.services import issue_api_token


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **auth(user))


@pytest.mark.django_db
def test_languages_read_and_write(client, charlie, officer):
    rows = client.get("/api/community/languages", {"person_id": officer.pk}, **auth(charlie)).json()
    assert [(r["code"], r["name"], r["certified"]) for r in rows] == [("kpm", "K'Ho (Cơ Ho)", True)]
    created = post(
        client, "/api/community/languages", {"person_id": officer.pk, "code": "cma", "speaking": 3}, charlie
    )
    assert created.status_code == 201 and created.json()["speaking"] == 3
    updated = post(
        client, "/api/community/languages", {"person_id": officer.pk, "code": "cma", "speaking": 4}, charlie
    )
    assert updated.status_code == 200 and updated.json()["speaking"] == 4
    bad = post(client, "/api/community/languages", {"person_id": officer.pk, "code": "xxq"}, charlie)
    assert (
        bad.status_code == 422
        and bad.json()["error"]["code"] == "invalid"
        and "code" in bad.json()["error"]["details"]
    )
    too_high = post(
        client, "/api/community/languages", {"person_id": officer.pk, "code": "cje", "speaking": 9}, charlie
    )
    assert too_high.status_code == 422


@pytest.mark.django_db
def test_other_commune_sees_404(client, alice, officer, citizen):
    assert client.get("/api/community/languages", {"person_id": officer.pk}, **auth(alice)).status_code == 404
    assert (
        post(client, "/api/community/languages", {"person_id": officer.pk, "code": "cma"}, alice).status_code
        == 404
    )
    body = {"citizen_id": citizen.pk, "date": "2026-03-03", "procedure_name": "Khai sinh"}
    assert post(client, "/api/community/accompaniments", body, alice).status_code == 404
    assert client.get("/api/community/people", **auth(alice)).json() == []


@pytest.mark.django_db
def test_request_and_match_a_week(client, charlie, citizen, officer, colleague):
    for slot in ("am", "am", "pm"):
        body = {
            "citizen_id": citizen.pk,
            "date": "2026-03-03",
            "slot": slot,
            "procedure_name": "Đăng ký khai sinh",
        }
        created = post(client, "/api/community/accompaniments", body, charlie)
        assert created.status_code == 201, created.json()
        assert created.json()["language"] == "kpm"  # the citizen's preferred language
    result = post(client, "/api/community/accompaniments/match", {"week": "2026-03-04"}, charlie).json()
    assert result["week_start"] == "2026-03-02" and result["status"] == "optimal"
    assert (result["served"], result["requests"]) == (3, 3)
    planned = [m["planned"]["person_id"] for m in result["matches"]]
    assert set(planned) == {officer.pk, colleague.pk}  # two mornings, two people
    first = result["matches"][0]
    assert first["proposals"] and first["proposals"][0]["reasons"]
    # Matching proposes; it assigns nothing.
    assert not Accompaniment.objects.exclude(status="open").exists()


@pytest.mark.django_db
def test_bad_requests_are_422(client, charlie, citizen):
    body = {"citizen_id": citizen.pk, "date": "2026-03-03", "slot": "night", "procedure_name": "x"}
    assert post(client, "/api/community/accompaniments", body, charlie).status_code == 422
    past = {"citizen_id": citizen.pk, "date": "2026-02-27", "procedure_name": "x"}
    response = post(client, "/api/community/accompaniments", past, charlie)
    assert response.status_code == 422 and "date" in response.json()["error"]["details"]


@pytest.mark.django_db
def test_province_admin_names_the_commune(client, quan, citizen, officer):
    body = {"citizen_id": citizen.pk, "date": "2026-03-03", "procedure_name": "Khai sinh"}
    response = post(client, "/api/community/accompaniments", body, quan)
    assert response.status_code == 422 and "commune_code" in response.json()["error"]["details"]
    body["commune_code"] = citizen.commune.code
    assert post(client, "/api/community/accompaniments", body, quan).status_code == 201


@pytest.mark.django_db
def test_create_a_citizen_then_ask_for_a_speaker(client, charlie, hamlets, officer):
    body = {"kind": "citizen", "full_name": "Ka Lan", "hamlet_id": hamlets[1].pk, "preferred_language": "kpm",
            "interpreter_needed": True}  # fmt: skip
    created = post(client, "/api/community/people", body, charlie)
    assert created.status_code == 201 and created.json()["interpreter_needed"] is True
    bad = post(client, "/api/community/people", {**body, "preferred_language": "zzz"}, charlie)
    assert bad.status_code == 422 and "preferred_language" in bad.json()["error"]["details"]
    request = {"citizen_id": created.json()["id"], "date": "2026-03-03", "procedure_name": "Khai sinh"}
    assert post(client, "/api/community/accompaniments", request, charlie).json()["hamlet"] == str(hamlets[1])
