"""The staff pool and quotas: CSV import (all or nothing), the edit form, the pool list."""

from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.community.models import Person, PersonLanguage
from civicdesk.core.models import AuditEvent
from civicdesk.staffing import services
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
    assert hoa.fields == ["ho_tich", "mot_cua"] and hoa.department == tu_phap
    # The languages are community's: a pool Person of the province, no commune, Vietnamese (named first) preferred.
    assert hoa.language_names == ["Tiếng Việt", "K'Ho (Cơ Ho)"]
    assert (hoa.person.kind, hoa.person.commune, hoa.person.province) == ("pool", None, tu_phap.province)
    assert [(lang.code, lang.is_preferred) for lang in hoa.person.languages.all()] == [
        ("vie", True),
        ("kpm", False),
    ]
    # Nobody is given a Person for no language.
    assert StaffMember.objects.get(code="NN1").person is None and Person.objects.count() == 1
    assert AuditEvent.objects.filter(action="import", object_type="staffing.staffmember").exists()
    assert AuditEvent.objects.filter(action="create", object_type="community.personlanguage").count() == 2
    # importing again updates the same people, and the Person follows the name
    assert upload(client, "/staffing/pool/import/", good.replace("Lê Hoa", "Lê Thị Hoa")).status_code == 302
    assert StaffMember.objects.count() == 2 and StaffMember.objects.get(code="TP1").full_name == "Lê Thị Hoa"
    assert Person.objects.get().full_name == "Lê Thị Hoa" and PersonLanguage.objects.count() == 2


def test_an_unknown_language_in_the_csv_is_a_line_error_and_nothing_is_written(client_for, noi, tu_phap):
    text = (
        HEADER
        + "TP1,Lê Hoa,tu-phap,ho_tich,11.9,108.4,Tiếng Việt;K'Ho,\n"
        + "TP2,Hồ An,tu-phap,ho_tich,11.9,108.4,vie;Tiếng Klingon,\n"
    )
    html = upload(client_for(noi), "/staffing/pool/import/", text).content.decode()
    assert "Dòng 3, cột languages" in html and "Tiếng Klingon" in html
    assert not StaffMember.objects.exists() and not Person.objects.exists()


def test_a_csv_language_may_be_a_code_and_a_repeated_one_counts_once(noi, lam_dong, tu_phap):
    text = HEADER + "TP1,Lê Hoa,tu-phap,ho_tich,11.9,108.4,cma;Mạ;vie,\n"
    assert services.import_staff(noi, lam_dong, text).ok
    member = StaffMember.objects.get(code="TP1")
    assert member.language_names == ["Mạ", "Tiếng Việt"]
    # The same file again writes no language.
    before = AuditEvent.objects.filter(object_type="community.personlanguage").count()
    assert services.import_staff(noi, lam_dong, text).ok
    assert AuditEvent.objects.filter(object_type="community.personlanguage").count() == before
    # An empty cell clears them.
    assert services.import_staff(noi, lam_dong, HEADER + "TP1,Lê Hoa,tu-phap,ho_tich,11.9,108.4,,\n").ok
    assert StaffMember.objects.get(code="TP1").language_names == [] and not PersonLanguage.objects.exists()


def test_a_pool_list_shows_the_languages_by_name(client_for, noi, lam_dong, tu_phap):
    assert services.import_staff(
        noi, lam_dong, HEADER + "TP1,Lê Hoa,tu-phap,ho_tich,11.9,108.4,kpm;eng,\n"
    ).ok
    html = client_for(noi).get("/staffing/pool/").content.decode()
    assert "K&#x27;Ho (Cơ Ho), Tiếng Anh" in html


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
    assert member.language_names == ["Tiếng Việt", "Chu Ru"] and member.person.kind == "pool"
    edit = client.get(f"/staffing/pool/{member.pk}/").content.decode()
    assert 'value="Tiếng Việt; Chu Ru"' in edit
    assert client.post(f"/staffing/pool/{member.pk}/", {**data, "full_name": "Hồ Văn An"}).status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Hồ Văn An" and member.code == "TP7" and member.person.full_name == "Hồ Văn An"


def test_the_form_refuses_an_unknown_language_beside_the_field(client_for, noi, tu_phap):
    data = {
        "code": "TP8",
        "full_name": "Hồ An",
        "department": tu_phap.pk,
        "experience_years": 3,
        "home_lat": 11.9,
        "home_lon": 108.4,
        "fields_": ["ho_tich"],
        "languages_": "Tiếng Việt; Tiếng Klingon",
        "is_active": "on",
    }
    response = client_for(noi).post("/staffing/pool/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["languages_"] and "Tiếng Klingon" in errors["languages_"][0]
    assert not StaffMember.objects.exists() and not Person.objects.exists()


def test_changing_the_languages_on_the_form_replaces_them(client_for, noi, lam_dong, tu_phap):
    member = services.save_staff_member(
        noi,
        lam_dong,
        "TP5",
        {
            "full_name": "Lê Hoa",
            "department": tu_phap,
            "fields": ["ho_tich"],
            "home_lat": 11.9,
            "home_lon": 108.4,
            "languages": ["Tiếng Việt", "K'Ho"],
        },
    )
    services.save_staff_member(noi, lam_dong, "TP5", {"languages": ["Chu Ru", "vie"]})
    member.refresh_from_db()
    assert [(lang.code, lang.is_preferred) for lang in member.person.languages.all()] == [
        ("cje", True),
        ("vie", False),
    ]
    event = AuditEvent.objects.filter(object_type="staffing.staffmember", action="update").latest("pk")
    assert "languages" in event.changes
    # Leaving the languages out keeps them; a member leaving the list takes their Person with them.
    services.save_staff_member(noi, lam_dong, "TP5", {"is_active": False})
    member.refresh_from_db()
    assert member.language_names == ["Chu Ru", "Tiếng Việt"] and member.person.is_active is False


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
    assert member.position == "Chuyên viên chính" and member.language_names == [
        "Tiếng Việt",
        "K'Ho (Cơ Ho)",
    ]  # the rest kept
    assert member.person.full_name == "Lê Văn Pháp"  # and the languages' Person follows the name
