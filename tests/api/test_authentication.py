"""Who may call the API: a token, or a signed-in session that sends its CSRF token; anyone else is a 401."""

import re

import pytest
from django.middleware.csrf import get_token

from civicdesk.hotline.models import Ticket

JSON = "application/json"


def _writes(client):
    """Every POST operation in the published spec, with harmless values in its path."""
    paths = client.get("/api/openapi.json").json()["paths"]
    return [re.sub(r"\{[^}]+\}", "1", path) for path, ops in paths.items() if "post" in ops]


def test_the_api_has_writes_to_check(strict_client, db):
    assert "/api/hotline/tickets" in _writes(strict_client) and len(_writes(strict_client)) >= 10


def test_anonymous_writes_are_unauthenticated_not_a_csrf_failure(strict_client, db):
    for url in _writes(strict_client):
        response = strict_client.post(url, {}, content_type=JSON)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "unauthenticated", url


def test_a_stale_session_cookie_is_unauthenticated_too(strict_client, db):
    strict_client.cookies["sessionid"] = "het-han"
    response = strict_client.post("/api/hotline/tickets", {}, content_type=JSON)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_a_token_needs_no_csrf(strict_client, bearer, alice, routing):
    response = strict_client.post(
        "/api/hotline/tickets",
        {"title": "Hỏi qua API", "body": "Chi tiết"},
        content_type=JSON,
        **bearer(alice),
    )
    assert response.status_code == 201


def test_a_session_write_without_its_csrf_token_is_forbidden(strict_client, alice, routing):
    strict_client.force_login(alice)
    response = strict_client.post("/api/hotline/tickets", {"title": "x", "body": "y"}, content_type=JSON)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden" and "CSRF" in error["message"]
    assert not Ticket.objects.exists()


def test_a_session_write_with_its_csrf_token_goes_through(strict_client, alice, routing, rf):
    strict_client.force_login(alice)
    token = get_token(rf.get("/"))  # what a page of ours puts in the browser's csrftoken cookie
    strict_client.cookies["csrftoken"] = token
    response = strict_client.post(
        "/api/hotline/tickets", {"title": "x", "body": "y"}, content_type=JSON, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


@pytest.fixture
def routing(lam_dong, tu_phap, phap):
    from civicdesk.handbook.fields import ensure_fields
    from tests.hotline.factories import TeamFactory

    ensure_fields()
    return TeamFactory(department=tu_phap, leader=phap)
