"""The staff pool and quotas: CSV import (all or nothing), the edit form, the pool list."""

from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.core.models import AuditEvent
from civicdesk.staffing.models import DepartmentQuota, StaffMember

HEADER = "staff_id,full_name,department,fields,home_lat,home_lon,languages,available_from\n"


def upload(client, url, text):
    return client.post(url, {"file": SimpleUploadedFile("f.csv", text.encode("utf-8-sig"))})


def test_staff_import_is_all_or_nothing_with_line_numbers(client_for, noi, tu_phap, nnmt):
    client = client_for(noi)
    bad = (
        HEADER
        + "TP1,Lê Hoa,tu-phap,ho_tich,11.9,108.4,,\nTP2,,so-khong-co,thue,95,108,,2026-13-01\nTP1,Lê Hoa,tu-phap,ho_tich,11.9,108.4,,\n"
    )
    html = upload(client, "/staffing/pool/import/", bad).content.decode()
    for needle in [
        "Dòng 3, cột full_name",
        "Dòng 3, cột department",
        "Dòng 3, cột fields",
        "Dòng 3, cột home_lat",
        "Dòng 3, cột available_from",
        "Dòng 4: staff_id “TP1” bị lặp",
    ]:
        assert needle in html, needle
    assert not StaffMember.objects.exists()
    good = (
        HEADER
        + "TP1,Lê Hoa,tu-phap,ho_tich;mot_cua,11.9,108.4,Tiếng Việt;K'Ho,\nNN1,Ka Sen,nong-nghiep-moi-truong,dat_dai,11.6,108.1,,2026-03-01\n"
    )
    assert upload(client, "/staffing/pool/import/", good).status_code == 302
    hoa = StaffMember.objects.get(code="TP1")
    assert (
        hoa.fields == ["ho_tich", "mot_cua"]
        and hoa.languages == ["Tiếng Việt", "K'Ho"]
        and hoa.department == tu_phap
    )
    assert AuditEvent.objects.filter(action="import", object_type="staffing.staffmember").exists()
    # importing again updates the same people
    assert upload(client, "/staffing/pool/import/", good.replace("Lê Hoa", "Lê Thị Hoa")).status_code == 302
    assert StaffMember.objects.count() == 2 and StaffMember.objects.get(code="TP1").full_name == "Lê Thị Hoa"


def test_pool_list_filters_by_field(client_for, noi, pool):
    client = client_for(noi)
    html = client.get("/staffing/pool/", {"field": "dat_dai"}, HTTP_HX_REQUEST="true").content.decode()
    assert "NN1" in html and "TP1" not in html and "<html" not in html


def test_add_a_person_with_the_form_keeps_input_on_error(client_for, noi, tu_phap):
    client = client_for(noi)
    data = {
        "code": "TP7",
        "full_name": "Hồ An",
        "department": tu_phap.pk,
        "experience_years": 3,
        "home_lat": 11.9,
        "home_lon": 108.4,
        "fields_": ["ho_tich"],
        "languages_": "Tiếng Việt; Chu Ru",
        "is_active": "on",
    }
    bad = client.post("/staffing/pool/new/", {**data, "home_lat": 123})
    assert bad.status_code == 400 and 'value="Hồ An"' in bad.content.decode()
    assert client.post("/staffing/pool/new/", data).status_code == 302
    member = StaffMember.objects.get(code="TP7")
    assert member.languages == ["Tiếng Việt", "Chu Ru"]
    assert client.post(f"/staffing/pool/{member.pk}/", {**data, "full_name": "Hồ Văn An"}).status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Hồ Văn An" and member.code == "TP7"


def test_quotas_by_form_and_csv(client_for, noi, tu_phap, nnmt):
    client = client_for(noi)
    assert (
        client.post("/staffing/pool/quotas/", {"department": tu_phap.pk, "max_release": 12}).status_code
        == 302
    )
    assert DepartmentQuota.objects.get(department=tu_phap).max_release == 12
    bad = upload(
        client, "/staffing/pool/quotas/import/", "department,max_release\ntu-phap,-1\nkhong-co,3\n"
    ).content.decode()
    assert "Dòng 2, cột max_release" in bad and "Dòng 3, cột department" in bad
    assert (
        upload(
            client, "/staffing/pool/quotas/import/", "department,max_release\nnong-nghiep-moi-truong,5\n"
        ).status_code
        == 302
    )
    assert dict(DepartmentQuota.objects.values_list("department__code", "max_release")) == {
        "tu-phap": 12,
        "nong-nghiep-moi-truong": 5,
    }


def test_a_reimport_without_an_optional_column_keeps_what_the_pool_holds(noi, lam_dong, tu_phap):
    from civicdesk.staffing import services
    from civicdesk.staffing.models import StaffMember

    head = "staff_id,full_name,department,fields,home_lat,home_lon"
    full = f"{head},position,languages\nTP1,Lê Pháp,tu-phap,ho_tich,11.9,108.4,Chuyên viên chính,Tiếng Việt;K'Ho\n"
    assert services.import_staff(noi, lam_dong, full).ok
    assert services.import_staff(noi, lam_dong, f"{head}\nTP1,Lê Văn Pháp,tu-phap,ho_tich,11.9,108.4\n").ok
    member = StaffMember.objects.get(code="TP1")
    assert member.full_name == "Lê Văn Pháp"  # what the file has is updated
    assert member.position == "Chuyên viên chính" and member.languages == [
        "Tiếng Việt",
        "K'Ho",
    ]  # the rest kept
