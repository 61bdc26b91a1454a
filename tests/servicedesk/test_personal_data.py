"""CCCD and phone: shown only to the commune's officers and leaders, and every showing is in the audit log."""

from civicdesk.core.models import AuditEvent

from .factories import DossierFactory


def test_officer_sees_personal_data_and_the_view_is_logged(client_for, alice, linh, di_linh, khai_sinh):
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh)
    for user in (alice, linh):
        page = client_for(user).get(f"/servicedesk/dossiers/{dossier.code}/").content.decode()
        assert "068190001234" in page and "0912345678" in page
    views = AuditEvent.objects.filter(action="view", object_id=str(dossier.pk))
    assert views.count() == 2 and views.first().changes["fields"] == [
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
    ]


def test_province_and_department_users_see_the_dossier_without_personal_data(
    client_for, quan, phap, di_linh, khai_sinh
):
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh)
    for user in (quan, phap):
        page = client_for(user).get(f"/servicedesk/dossiers/{dossier.code}/").content.decode()
        assert dossier.code in page
        for private in ("068190001234", "0912345678", "Ka Huệ"):
            assert private not in page
    assert not AuditEvent.objects.filter(action="view").exists()


def test_receipt_masks_cccd_and_phone(client_for, alice, di_linh, khai_sinh):
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh)
    page = client_for(alice).get(f"/servicedesk/dossiers/{dossier.code}/receipt/").content.decode()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page and "<svg" in page
    assert "068190001234" not in page and "1234" in page and "0912345678" not in page
    assert "/tra-cuu/ho-so/" in page


def test_other_commune_gets_404_everywhere(client_for, charlie, di_linh, khai_sinh):
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh)
    client = client_for(charlie)
    assert client.get(f"/servicedesk/dossiers/{dossier.code}/").status_code == 404
    assert dossier.code not in client.get("/servicedesk/dossiers/").content.decode()
    assert client.get("/servicedesk/dossiers/", {"commune": "25000"}).status_code == 404
