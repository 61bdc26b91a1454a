"""The register of people and languages: one language model for everyone, validated codes, one preferred language,
CSV import all-or-nothing with line-numbered errors, scoping."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.community import services
from civicdesk.community.models import Person, PersonLanguage
from civicdesk.core.models import AuditEvent
from tests.factories import SYSTEM


@pytest.mark.django_db
def test_language_code_must_be_iso_639_3(officer):
    with pytest.raises(ValidationError) as err:
        services.save_language(SYSTEM, officer, {"code": "kho"})
    assert "code" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.save_language(SYSTEM, officer, {"code": "cma", "speaking": 6})


@pytest.mark.django_db
def test_one_preferred_language_and_no_duplicate(officer):
    services.save_language(SYSTEM, officer, {"code": "cma", "speaking": 2, "is_preferred": True})
    services.save_language(SYSTEM, officer, {"code": "vie", "speaking": 5, "is_preferred": True})
    assert list(officer.languages.filter(is_preferred=True).values_list("code", flat=True)) == ["vie"]
    with pytest.raises(ValidationError) as err:
        services.save_language(SYSTEM, officer, {"code": "kpm"})
    assert "đã có ngôn ngữ này" in str(err.value)


@pytest.mark.django_db
def test_oral_level_and_certificate(officer, colleague):
    kho = officer.languages.get(code="kpm")
    assert kho.oral_level == 4 and kho.certified
    assert not colleague.languages.get(code="kpm").certified


@pytest.mark.django_db
def test_other_commune_cannot_edit(officer, alice):
    with pytest.raises(PermissionDenied):
        services.save_language(alice, officer, {"code": "cma"})


@pytest.mark.django_db
def test_everyone_keeps_their_own_languages(officer, charlie):
    services.save_language(charlie, officer, {"code": "cje", "listening": 2, "speaking": 1})
    assert officer.languages.filter(code="cje").exists()
    event = AuditEvent.objects.filter(object_type="community.personlanguage").latest("pk")
    assert event.actor_id == charlie.pk


@pytest.mark.django_db
def test_citizen_has_no_account(camly, charlie):
    with pytest.raises(ValidationError):
        services.save_person(
            SYSTEM, commune=camly, data={"kind": "citizen", "full_name": "Ka A", "user": charlie}
        )


GOOD = (
    "kind,full_name,phone,hamlet,language,dialect,listening,speaking,reading,writing,certificate_number,"
    "certificate_date,certificate_issuer,preferred,preferred_language,interpreter_needed\n"
    "official,Nguyễn Thị Lan,0912000001,Tổ dân phố 7,K'Ho,Srê,4,3,3,3,KHO-23-0412,15/06/2023,Trường Chính trị,1,,\n"
    "official,Nguyễn Thị Lan,0912000001,Tổ dân phố 7,vie,,5,5,5,5,,,,0,,\n"
    "citizen,Ka Hòa B,,Tổ dân phố 9,kpm,,5,5,0,0,,,,1,kpm,có\n"
)


@pytest.mark.django_db
def test_import_people_and_languages(charlie, camly, hamlets):
    report = services.import_people(charlie, camly, GOOD)
    assert report.ok, report.errors
    assert (report.people_created, report.languages) == (2, 3)
    lan = Person.objects.get(full_name="Nguyễn Thị Lan")
    kho = lan.languages.get(code="kpm")
    assert (kho.dialect, kho.listening, kho.speaking, kho.certificate_date.isoformat()) == (
        "Srê",
        4,
        3,
        "2023-06-15",
    )
    assert kho.is_preferred and lan.hamlet == hamlets[0]
    citizen = Person.objects.get(full_name="Ka Hòa B")
    assert citizen.kind == "citizen" and citizen.interpreter_needed and citizen.preferred_language == "kpm"
    # Importing the same file again updates, it does not duplicate.
    again = services.import_people(charlie, camly, GOOD)
    assert (again.people_created, again.people_updated) == (0, 2)
    assert PersonLanguage.objects.filter(person=lan).count() == 2


@pytest.mark.django_db
def test_import_is_atomic_with_line_numbers(charlie, camly, hamlets):
    bad = GOOD + "official,Người B,,Thôn Không Có,xyz,,7,3,,,,31/02/2024,,,,\nvolunteer,,,,,,,,,,,,,,,\n"
    report = services.import_people(charlie, camly, bad)
    assert not report.ok
    text = "\n".join(report.errors)
    assert "Dòng 5, cột hamlet" in text
    assert "Dòng 5, cột language" in text
    assert "Dòng 5, cột listening" in text
    assert "Dòng 5, cột certificate_date" in text
    assert "Dòng 6, cột full_name" in text
    assert not Person.objects.filter(commune=camly).exists()


@pytest.mark.django_db
def test_import_rejects_control_characters_and_unknown_columns(charlie, camly):
    report = services.import_people(charlie, camly, "kind,full_name\nofficial,Ka\x0bB\n")
    assert "Dòng 2, cột full_name" in report.errors[0]
    report = services.import_people(charlie, camly, "kind,full_name,salary\nofficial,Ka B,1\n")
    assert "salary" in report.errors[0]


@pytest.mark.django_db
def test_import_refused_for_other_commune(alice, camly):
    with pytest.raises(PermissionDenied):
        services.import_people(alice, camly, GOOD)
