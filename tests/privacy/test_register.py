"""The record of processing activities is generated from the registered sources; the pages are reachable from the
user menu; the command counts before it writes."""

import io
import re
import uuid

from django.core.management import call_command
from openpyxl import load_workbook

from civicdesk.kernel.personal_data import HeldRecord, PersonalDataSource, PersonKey
from civicdesk.kernel.registry import registry
from civicdesk.mobile.models import Device, FieldAttachment, FieldDossier
from civicdesk.privacy.activities import activities
from civicdesk.privacy.services import retention
from tests.factories import SYSTEM, UserFactory

from .conftest import CCCD, PHONE, vn

KINDS = {
    "servicedesk.dossier",
    "hotline.ticket",
    "community.person",
    "outreach.contact",
    "volunteers.volunteer",
    "mobile.field_dossier",
    "privacy.request",
}


def test_every_app_holding_citizens_data_registers_a_source():
    assert set(registry.personal_data) == KINDS
    for source in registry.personal_data_sources():
        assert (
            source.purpose and source.legal_basis and source.categories and source.recipients and source.kept
        )
        assert source.default_months > 0


def test_the_register_page_lists_every_kind_with_its_retention_and_no_invented_article(
    client_for, alice, quan
):
    retention.set_retention(quan, quan.province, {"hotline.ticket": 18})
    page = client_for(alice).get("/privacy/register/").content.decode()
    assert "Sổ ghi nhận hoạt động xử lý dữ liệu cá nhân" in page
    for source in registry.personal_data_sources():
        assert str(source.label) in page
    assert "18 tháng sau khi đóng (do tỉnh đặt)" in page
    assert "60 tháng sau khi đóng (đề xuất, cần kiểm chứng với quy định lưu trữ)" in page
    assert not re.search(r"\b(Điều|khoản)\s+\d", page)
    assert "91/2025/QH15" in page and "356/2025/NĐ-CP" in page


def test_a_new_source_appears_in_the_register_the_day_it_registers(lam_dong):
    def nothing(*args):
        return 0

    source = PersonalDataSource(
        key="tests.kind",
        label="Loại thử",
        order=99,
        subjects="Ai đó",
        purpose="Thử",
        legal_basis="Thử",
        categories=("Họ tên",),
        recipients=("Xã",),
        kept=("số lượng",),
        closed_when="Khi đóng",
        default_months=7,
        erasure="Xóa",
        due=nothing,
        pseudonymise=nothing,
        find=lambda actor, key: [],
        erase=nothing,
    )
    registry.add_personal_data(source)
    try:
        rows = {a.key: a for a in activities(lam_dong)}
        assert rows["tests.kind"].retention_months == 7
    finally:
        registry.personal_data.pop("tests.kind")


def test_the_register_downloads_as_excel(client_for, quan):
    response = client_for(quan).get("/privacy/register.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Loại bản ghi" and len(rows) == 1 + len(KINDS)


def test_the_user_menu_links_the_pages_for_officers_and_admins_only(client_for, alice, quan, di_linh, phap):
    for user in (alice, quan):
        assert 'href="/privacy/">Dữ liệu cá nhân</a>' in client_for(user).get("/").content.decode()
    volunteer = UserFactory(role="volunteer", commune=di_linh)
    for user in (volunteer, phap):
        assert 'href="/privacy/"' not in client_for(user).get("/").content.decode()


def test_the_command_counts_and_writes_only_with_wet_run(lam_dong, old_dossier):
    out = io.StringIO()
    call_command("privacy", "retention", "--province", "68", stdout=out)
    assert "1 bản ghi đến hạn" in out.getvalue() and "Chưa ghi gì" in out.getvalue()
    old_dossier.refresh_from_db()
    assert old_dossier.pseudonymised_at is None
    call_command("privacy", "retention", "--province", "68", "--wet-run", stdout=io.StringIO())
    old_dossier.refresh_from_db()
    assert old_dossier.pseudonymised_at is not None
    out = io.StringIO()
    call_command("privacy", "register", stdout=out)
    assert "Hồ sơ thủ tục hành chính" in out.getvalue()


def test_field_dossiers_lose_the_applicant_and_the_photos_past_retention(
    settings, tmp_path, lam_dong, di_linh, alice, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    device = Device.objects.create(
        commune=di_linh, label="Máy 1", prefix="A1", registered_by=alice, registered_at=vn(2024, 1, 2, 8)
    )
    payload = {"applicant_name": "Ka Huệ", "applicant_id_number": CCCD, "applicant_phone": PHONE, "note": "x"}
    record = FieldDossier.objects.create(
        commune=di_linh,
        device=device,
        provisional_code="TLD-A1-1",
        payload=payload,
        payload_sha256="0" * 64,
        status=FieldDossier.Status.REGISTERED,
        taken_at=vn(2024, 1, 3, 9),
        synced_at=vn(2024, 1, 3, 17),
        synced_by=alice,
    )
    photo = tmp_path / "mobile" / "p.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"jpeg")
    FieldAttachment.objects.create(
        uuid=uuid.uuid4(),
        field_dossier=record,
        file="mobile/p.jpg",
        content_type="image/jpeg",
        size=4,
        sha256="1" * 64,
        uploaded_at=vn(2024, 1, 3, 17),
        uploaded_by=alice,
    )
    found = registry.personal_data["mobile.field_dossier"].find(
        SYSTEM, PersonKey(id_number=CCCD, phone=PHONE)
    )
    assert [r.reference for r in found] == ["TLD-A1-1"] and isinstance(found[0], HeldRecord)
    with django_capture_on_commit_callbacks(execute=True):  # the photo's file goes once the rows are gone
        run = retention.run_province(SYSTEM, lam_dong)
    assert run.counts["mobile.field_dossier"] == 1
    record.refresh_from_db()
    assert record.payload["applicant_id_number"] == "" and record.payload["applicant_name"].startswith(
        "Ẩn danh"
    )
    assert not FieldAttachment.objects.exists() and not photo.exists()
