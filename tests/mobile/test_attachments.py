"""Photos of documents sent after their dossier (issue 18): PUT /api/servicedesk/field-dossiers/{uuid}/attachments/
{att_uuid} — the raw body with its SHA-256, ≤ 2 MB, ≤ 10 per dossier, idempotent like the dossier itself."""

import hashlib
import json
import uuid

import pytest

from civicdesk.core.models import AuditEvent
from civicdesk.core.services import issue_api_token
from civicdesk.mobile import services
from civicdesk.mobile.models import FieldAttachment
from civicdesk.mobile.services import attachments
from tests.factories import UserFactory

from .conftest import field_dossier, new_uuid

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def synced(mai, phone, khai_sinh):
    """A dossier the phone has already sent (the photos follow it)."""
    return services.sync_field_dossier(mai, new_uuid(), field_dossier(phone)).field_dossier


def _put(client, token, dossier_uuid, att_uuid, body, *, content_type="image/jpeg", sha256=None):
    return client.put(
        f"/api/servicedesk/field-dossiers/{dossier_uuid}/attachments/{att_uuid}",
        data=body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_CONTENT_SHA256=sha256 if sha256 is not None else hashlib.sha256(body).hexdigest(),
    )


def test_a_photo_is_kept_once_with_its_dossier_whatever_the_retries(client, token, synced, settings):
    key = uuid.uuid4()
    first = _put(client, token, synced.uuid, key, JPEG)
    assert first.status_code == 201, first.json()
    assert first.json() == {
        "uuid": str(key), "dossier_uuid": str(synced.uuid), "content_type": "image/jpeg", "size": len(JPEG),
        "sha256": hashlib.sha256(JPEG).hexdigest(),
    }  # fmt: skip
    # The answer was lost; the phone sends the same bytes again, twice.
    for _ in range(2):
        again = _put(client, token, synced.uuid, key, JPEG)
        assert again.status_code == 200 and again.json()["uuid"] == str(key)
    stored = FieldAttachment.objects.get()
    assert stored.field_dossier == synced and stored.uploaded_by.username == "mai"
    assert stored.file.name == f"mobile/{synced.commune_id}/{synced.uuid}/{key}.jpg"
    assert (settings.MEDIA_ROOT / stored.file.name).read_bytes() == JPEG
    assert AuditEvent.objects.filter(object_type="mobile.fieldattachment", action="create").count() == 1


def test_other_bytes_under_the_same_uuid_are_refused_and_the_first_kept(client, token, synced):
    key = uuid.uuid4()
    assert _put(client, token, synced.uuid, key, JPEG).status_code == 201
    other = _put(client, token, synced.uuid, key, JPEG + b"\x00")
    assert other.status_code == 409 and other.json()["error"]["code"] == "uuid_reused"
    assert FieldAttachment.objects.get().size == len(JPEG)


def test_a_body_damaged_on_the_way_is_refused_so_the_phone_sends_it_again(client, token, synced):
    damaged = _put(
        client, token, synced.uuid, uuid.uuid4(), JPEG, sha256=hashlib.sha256(JPEG[:-1]).hexdigest()
    )
    assert damaged.status_code == 422 and damaged.json()["error"]["code"] == "hash_mismatch"
    missing = _put(client, token, synced.uuid, uuid.uuid4(), JPEG, sha256="abc")
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid"
    assert not FieldAttachment.objects.exists()


def test_size_type_and_count_are_limited(client, token, synced):
    big = b"\xff\xd8\xff" + b"\x00" * attachments.MAX_BYTES
    too_big = _put(client, token, synced.uuid, uuid.uuid4(), big)
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "too_large"
    html = _put(client, token, synced.uuid, uuid.uuid4(), b"<html>not a photo</html>")
    assert html.status_code == 422 and html.json()["error"]["code"] == "wrong_type"
    gif = _put(client, token, synced.uuid, uuid.uuid4(), b"GIF89a....", content_type="image/gif")
    assert gif.status_code == 415 and gif.json()["error"]["code"] == "unsupported_type"
    pdf = b"%PDF-1.4\n%%EOF\n"
    assert (
        _put(client, token, synced.uuid, uuid.uuid4(), pdf, content_type="application/pdf").status_code == 201
    )
    for n in range(attachments.MAX_PER_DOSSIER - 1):
        assert _put(client, token, synced.uuid, uuid.uuid4(), JPEG + bytes([n])).status_code == 201
    eleventh = _put(client, token, synced.uuid, uuid.uuid4(), JPEG + b"\xff")
    assert eleventh.status_code == 422 and eleventh.json()["error"]["code"] == "too_many"
    assert FieldAttachment.objects.count() == attachments.MAX_PER_DOSSIER


def test_a_photo_before_its_dossier_is_not_found(client, token, phone):
    early = _put(client, token, uuid.uuid4(), uuid.uuid4(), JPEG)
    assert early.status_code == 404 and "gửi hồ sơ trước" in early.json()["error"]["message"]


def test_another_communes_people_are_refused(client, synced, charlie, di_linh):
    other_team = UserFactory(username="luudong-dilinh", role="mobile_team", commune=di_linh)
    for user in (charlie, other_team):
        token = issue_api_token(user, user)[1]
        refused = _put(client, token, synced.uuid, uuid.uuid4(), JPEG)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        blind = client.put(  # whatever else is wrong with the request, the answer is the refusal
            f"/api/servicedesk/field-dossiers/{synced.uuid}/attachments/{uuid.uuid4()}",
            data="{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert blind.status_code == 403
        listing = client.get(
            f"/api/servicedesk/field-dossiers/{synced.uuid}/attachments", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert listing.status_code == 404
    assert not FieldAttachment.objects.exists()


def test_the_session_of_the_app_needs_its_csrf_token(client_for, mai, synced):
    client = client_for(mai)
    client.handler.enforce_csrf_checks = True
    url = f"/api/servicedesk/field-dossiers/{synced.uuid}/attachments/{uuid.uuid4()}"
    headers = {"HTTP_X_CONTENT_SHA256": hashlib.sha256(JPEG).hexdigest()}
    refused = client.put(url, data=JPEG, content_type="image/jpeg", **headers)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    client.get("/mobile/app/")  # the page sets the CSRF cookie the app reads
    token = client.cookies["csrftoken"].value
    accepted = client.put(url, data=JPEG, content_type="image/jpeg", HTTP_X_CSRFTOKEN=token, **headers)
    assert accepted.status_code == 201, accepted.content


def test_the_officer_opens_the_photo_the_team_member_cannot(client, client_for, token, synced, tien, mai):
    key = uuid.uuid4()
    assert _put(client, token, synced.uuid, key, JPEG).status_code == 201
    listing = client_for(mai).get(f"/api/servicedesk/field-dossiers/{synced.uuid}/attachments")
    assert [a["uuid"] for a in json.loads(listing.content)] == [str(key)]
    url = f"/api/servicedesk/field-dossiers/{synced.uuid}/attachments/{key}"
    assert client_for(mai).get(url).status_code == 403  # papers are personal data: officers and leaders only
    opened = client_for(tien).get(url)
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == JPEG
    assert opened["Content-Type"] == "image/jpeg" and opened["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(object_type="mobile.fieldattachment", action="view", actor=tien).exists()


def test_a_length_that_is_not_a_number_is_a_bad_request(client, token, synced):
    response = client.put(
        f"/api/servicedesk/field-dossiers/{synced.uuid}/attachments/{uuid.uuid4()}",
        data=JPEG,
        content_type="image/jpeg",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_CONTENT_SHA256=hashlib.sha256(JPEG).hexdigest(),
        CONTENT_LENGTH="beaucoup",
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
