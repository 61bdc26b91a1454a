"""The commune's mobile-team page: the review list decided by an officer, conflicts closed, phones registered."""

import lxml.html

from civicdesk.mobile import services
from civicdesk.mobile.models import Conflict, Device, FieldDossier
from civicdesk.servicedesk.models import Dossier
from civicdesk.servicedesk.services import receive_dossier

from .conftest import field_dossier, new_uuid, vn


def _duplicate(tien, mai, cat_tien, phone, khai_sinh):
    at_centre = receive_dossier(
        tien, commune=cat_tien, procedure=khai_sinh, present=[0, 1], applicant_name="Điểu K'Lang",
        applicant_id_number="068190001234", applicant_phone="0912345678", channel="truc_tiep",
        received_at=vn(2026, 3, 2, 8, 30),
    ).dossier  # fmt: skip
    record = services.sync_field_dossier(mai, new_uuid(), field_dossier(phone)).field_dossier
    return at_centre, record


def test_the_officer_sees_why_a_dossier_waits_and_registers_it(
    client_for, tien, mai, cat_tien, phone, khai_sinh
):
    at_centre, record = _duplicate(tien, mai, cat_tien, phone, khai_sinh)
    page = client_for(tien).get("/mobile/")
    text = page.content.decode()
    assert page.status_code == 200 and record.provisional_code in text and at_centre.code in text
    assert "Có thể trùng hồ sơ đã có" in text and "Điểu K&#x27;Lang" in text
    done = client_for(tien).post(f"/mobile/field/{record.pk}/resolve/", {"action": "register"}, follow=True)
    assert "Đã vào sổ hồ sơ" in done.content.decode()
    record.refresh_from_db()
    assert record.status == "registered" and Dossier.objects.count() == 2
    assert record.dossier.provisional_code == record.provisional_code


def test_a_team_member_sees_the_list_without_names_nor_buttons(
    client_for, tien, mai, cat_tien, phone, khai_sinh
):
    _at_centre, record = _duplicate(tien, mai, cat_tien, phone, khai_sinh)
    page = client_for(mai).get("/mobile/")
    html = lxml.html.fromstring(page.content)
    assert record.provisional_code in page.content.decode()
    assert "K'Lang" not in html.text_content()  # applicants' names: the commune's officers only
    assert not html.xpath('//form[contains(@action, "/resolve/")]')
    refused = client_for(mai).post(f"/mobile/field/{record.pk}/resolve/", {"action": "dismiss"}, follow=True)
    assert "Chỉ công chức, lãnh đạo xã" in refused.content.decode()
    assert FieldDossier.objects.get().status == "review"


def test_another_commune_cannot_reach_the_list(client_for, alice, tien, mai, cat_tien, phone, khai_sinh):
    _at_centre, record = _duplicate(tien, mai, cat_tien, phone, khai_sinh)
    assert record.provisional_code not in client_for(alice).get("/mobile/").content.decode()
    assert (
        client_for(alice).post(f"/mobile/field/{record.pk}/resolve/", {"action": "dismiss"}).status_code
        == 404
    )


def test_a_conflicting_edit_is_shown_and_closed_with_what_was_done(client_for, tien, mai, phone, khai_sinh):
    key = new_uuid()
    services.sync_field_dossier(mai, key, field_dossier(phone))
    try:
        services.sync_field_dossier(
            mai, key, field_dossier(phone, applicant_phone="0987 654 321", base_version=1)
        )
    except services.SyncRefused as refused:
        assert refused.code == "conflict"
    conflict = Conflict.objects.get()
    page = client_for(tien).get("/mobile/")
    assert "0987 654 321" in page.content.decode()
    empty = client_for(tien).post(f"/mobile/conflicts/{conflict.pk}/close/", {"resolution": " "}, follow=True)
    assert "Ghi ngắn đã xử lý thế nào" in empty.content.decode()
    client_for(tien).post(f"/mobile/conflicts/{conflict.pk}/close/", {"resolution": "đã sửa số điện thoại"})
    conflict.refresh_from_db()
    assert conflict.resolved_by == tien and conflict.resolution == "đã sửa số điện thoại"


def test_a_phone_is_registered_from_the_page_and_a_bad_name_is_kept_in_the_box(client_for, tien, phone):
    refused = client_for(tien).post("/mobile/devices/", {"label": "Máy tổ\x072"})
    assert refused.status_code == 200 and "ký tự điều khiển" in refused.content.decode()
    assert 'value="Máy tổ' in refused.content.decode()  # what was typed stays in the box
    done = client_for(tien).post("/mobile/devices/", {"label": "Máy tính bảng"}, follow=True)
    assert "TLD-25162B-0001" in done.content.decode()
    assert list(Device.objects.values_list("prefix", flat=True)) == ["25162A", "25162B"]


def test_the_officer_opens_a_dossiers_photos_from_the_page_the_team_does_not(
    client_for, tien, mai, phone, khai_sinh
):
    import hashlib
    import uuid

    from civicdesk.mobile.models import FieldAttachment

    key = new_uuid()
    services.sync_field_dossier(mai, key, field_dossier(phone))
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"
    att = uuid.uuid4()
    sent = client_for(mai).put(
        f"/api/servicedesk/field-dossiers/{key}/attachments/{att}", jpeg, content_type="image/jpeg",
        HTTP_X_CONTENT_SHA256=hashlib.sha256(jpeg).hexdigest(),
    )  # fmt: skip
    assert sent.status_code in (200, 201), sent.content
    assert FieldAttachment.objects.filter(uuid=att).exists()
    link = f"/api/servicedesk/field-dossiers/{key}/attachments/{att}"
    assert link in client_for(tien).get("/mobile/").content.decode()
    assert link not in client_for(mai).get("/mobile/").content.decode()  # personal papers: officers only
    photo = client_for(tien).get(link)
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == jpeg
