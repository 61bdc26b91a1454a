import pytest
from django.core.management import call_command

from civicdesk.core.models import ApiToken
from civicdesk.core.models.tokens import hash_token
from civicdesk.core.services import issue_api_token, revoke_api_token


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_authenticates_and_is_stored_hashed(client, alice):
    token, raw = issue_api_token(alice, alice)
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    response = client.get("/api/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["commune_code"] == 25000


def test_revoked_and_unknown_tokens_get_the_error_shape(client, alice):
    token, raw = issue_api_token(alice, alice)
    revoke_api_token(alice, token)
    for value in (raw, "cd_nonsense", "nonsense"):
        response = client.get("/api/me", **bearer(value))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_api_token_command_prints_a_working_token(client, alice, capsys):
    call_command("api_token", "alice")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("cd_")
    assert client.get("/api/me", **bearer(raw)).json()["username"] == "alice"


def test_api_token_command_rejects_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_token", "ghost")


def test_openapi_schema_is_published(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/me" in response.json()["paths"]


def test_account_page_creates_shows_once_and_revokes(client_for, alice):
    client = client_for(alice)
    page = client.post("/account/tokens/", {"name": "phan-mem-xa"}).content.decode()
    token = ApiToken.objects.get(user=alice)
    assert token.prefix in page
    assert "phan-mem-xa" in client.get("/account/tokens/").content.decode()
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(client_for, alice, charlie):
    token, _raw = issue_api_token(charlie, charlie)
    assert client_for(alice).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
