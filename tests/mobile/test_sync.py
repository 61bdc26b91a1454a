"""Sync that loses nothing and duplicates nothing (issue 18): PUT /api/servicedesk/field-dossiers/{uuid}."""

import json

import pytest

from civicdesk.mobile import services
from civicdesk.mobile.models import Conflict, FieldDossier
from civicdesk.servicedesk.models import Dossier
from civicdesk.servicedesk.services import receive_dossier

from .conftest import field_dossier, new_uuid, vn


def _put(client, token, key, data):
    return client.put(
        f"/api/servicedesk/field-dossiers/{key}",
        data=json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_dossier_taken_offline_enters_the_register_once_with_its_official_code(
    client, token, phone, khai_sinh
):
    key, data = new_uuid(), field_dossier(phone)
    first = _put(client, token, key, data)
    assert first.status_code == 201, first.json()
    body = first.json()
    dossier = Dossier.objects.get()
    assert body["status"] == "registered" and body["dossier_code"] == dossier.code
    assert dossier.code.startswith("25162-260303-") and dossier.channel == "luu_dong"
    assert dossier.provisional_code == f"TLD-{phone.prefix}-0001"
    # Received in the hamlet at 09:40 on Tuesday: three working days → Friday 6 March.
    assert dossier.received_at == vn(2026, 3, 3, 9, 40)
    assert dossier.due_at.astimezone(vn(2026, 1, 1).tzinfo).date().isoformat() == "2026-03-06"
    # The answer was lost, the phone sends again — and again: the same dossier, nothing new.
    for _ in range(2):
        again = _put(client, token, key, data)
        assert again.status_code == 200 and again.json()["dossier_code"] == dossier.code
    assert Dossier.objects.count() == 1 and FieldDossier.objects.count() == 1


def test_the_same_uuid_with_other_content_is_refused_and_nothing_changes(client, token, phone, khai_sinh):
    key = new_uuid()
    assert _put(client, token, key, field_dossier(phone)).status_code == 201
    other = _put(client, token, key, field_dossier(phone, applicant_name="Người khác"))
    assert other.status_code == 409 and other.json()["error"]["code"] == "uuid_reused"
    assert "giữ nguyên" in other.json()["error"]["message"]
    assert Dossier.objects.get().applicant_name == "Điểu K'Lang"


def test_a_provisional_code_is_never_given_to_two_dossiers(client, token, phone, khai_sinh):
    assert _put(client, token, new_uuid(), field_dossier(phone)).status_code == 201
    twin = _put(client, token, new_uuid(), field_dossier(phone, applicant_id_number="068190009999"))
    assert twin.status_code == 409 and twin.json()["error"]["code"] == "code_reused"
    assert Dossier.objects.count() == 1


def test_a_likely_duplicate_waits_for_the_officer_who_links_it(
    client, token, phone, khai_sinh, tien, cat_tien
):
    # The citizen also went to the centre on Monday.
    at_centre = receive_dossier(
        tien, commune=cat_tien, procedure=khai_sinh, present=[0, 1], applicant_name="Điểu K'Lang",
        applicant_id_number="068190001234", applicant_phone="0912345678", channel="truc_tiep",
        received_at=vn(2026, 3, 2, 8, 30),
    ).dossier  # fmt: skip
    response = _put(client, token, new_uuid(), field_dossier(phone))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "review" and body["reason"] == "duplicate" and at_centre.code in body["message"]
    assert Dossier.objects.count() == 1
    record = FieldDossier.objects.get()
    services.resolve(tien, record, action="link", dossier_code=at_centre.code)
    at_centre.refresh_from_db()
    assert at_centre.provisional_code == record.provisional_code  # the citizen's receipt now finds it
    assert FieldDossier.objects.get().status == "linked"


def test_a_component_the_current_checklist_requires_sends_it_to_review(client, token, phone, khai_sinh, tien):
    response = _put(client, token, new_uuid(), field_dossier(phone, present=[0]))
    assert response.status_code == 202 and response.json()["reason"] == "incomplete"
    assert "Giấy chứng sinh" in response.json()["message"] and not Dossier.objects.exists()
    record = FieldDossier.objects.get()
    with pytest.raises(Exception, match="Giấy chứng sinh"):
        services.resolve(tien, record, action="register")


def test_an_edit_on_the_current_version_applies_an_older_one_becomes_a_conflict(
    client, token, phone, khai_sinh
):
    key = new_uuid()
    assert (
        _put(client, token, key, field_dossier(phone, present=[0])).status_code == 202
    )  # on the review list
    fixed = _put(client, token, key, field_dossier(phone, present=[0, 1], base_version=1))
    assert (
        fixed.status_code == 201 and fixed.json()["version"] == 2 and fixed.json()["status"] == "registered"
    )
    stale = _put(
        client, token, key, field_dossier(phone, present=[0, 1], note="sửa trên máy khác", base_version=1)
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    conflict = Conflict.objects.get()
    assert conflict.base_version == 1 and conflict.payload["note"] == "sửa trên máy khác"
    assert Dossier.objects.get().note == ""  # never written over


def test_another_communes_phone_and_bad_codes_are_refused(client, token, phone, khai_sinh, alice, di_linh):
    from civicdesk.core.services import issue_api_token

    outsider = issue_api_token(alice, alice)[1]
    assert _put(client, outsider, new_uuid(), field_dossier(phone)).status_code == 403
    bad = _put(client, token, new_uuid(), field_dossier(phone, provisional_code="TLD-99999Z-0001"))
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_code"
    future = _put(client, token, new_uuid(), field_dossier(phone, taken_at="2026-03-04T09:00:00+07:00"))
    assert future.status_code == 422
    assert not Dossier.objects.exists() and not FieldDossier.objects.exists()


def test_the_provisional_code_finds_the_dossier_on_the_citizens_lookup(client, token, phone, khai_sinh):
    assert _put(client, token, new_uuid(), field_dossier(phone)).status_code == 201
    code = f"TLD-{phone.prefix}-0001"
    page = client.get(f"/tra-cuu/?ma={code}")
    assert code in page.content.decode()  # the QR fills the code in
    found = client.post("/tra-cuu/", {"code": code.lower(), "phone4": "5678"})
    assert found.status_code == 200 and Dossier.objects.get().code in found.content.decode()
    not_yet = client.post("/tra-cuu/", {"code": f"TLD-{phone.prefix}-0002", "phone4": "5678"})
    assert not_yet.status_code == 404 and "khi tổ về đến nơi có mạng" in not_yet.content.decode()


def test_each_phone_gets_its_own_prefix(tien, cat_tien, phone):
    second = services.register_device(tien, cat_tien, label="Máy tính bảng")
    assert (phone.prefix, second.prefix) == ("25162A", "25162B")


def test_an_account_without_a_commune_cannot_register_a_phone(client, quan):
    from civicdesk.core.services import issue_api_token

    raw = issue_api_token(quan, quan)[1]
    response = client.post("/api/servicedesk/field-devices", {"label": "Máy tỉnh"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    assert response.status_code == 403 and "tổ lưu động của xã" in response.json()["error"]["message"]
