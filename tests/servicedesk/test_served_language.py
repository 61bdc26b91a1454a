"""Language access on dossiers (issue 15): the language the applicant was served in and whether an interpreter
helped — at the counter, later on the dossier page, in the import, through the API, and counted for the community
app by `servicedesk.queries.language_service`."""

import dataclasses
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import AuditEvent
from civicdesk.core.services import issue_api_token
from civicdesk.geo.models import Commune
from civicdesk.servicedesk import services
from civicdesk.servicedesk.models import Dossier, IntakeCheck
from civicdesk.servicedesk.queries import LanguageServed, language_service
from tests.factories import SYSTEM

from .conftest import APPLICANT
from .factories import DossierFactory, vn

MONDAY_9 = vn(2025, 10, 6, 9)
RECEIVE = "/servicedesk/receive/?procedure=HT-001"
JSON = "application/json"
HEADER = (
    "code,commune_code,procedure_code,procedure_name,channel,received_at,due_at,finished_at,returned_at,"
    "status,supplement_requests,rating\n"
)


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def dossier(di_linh, khai_sinh):
    return DossierFactory(commune=di_linh, procedure=khai_sinh, code="25000-251006-001")


# -- the model -------------------------------------------------------------------------------------------------------


def test_the_model_accepts_iso_639_3_codes_and_refuses_anything_else(dossier):
    dossier.served_language, dossier.interpreter_used = "kpm", True
    dossier.full_clean()
    for bad in ("zzz", "KPM", "vi", "k'ho"):
        dossier.served_language = bad
        with pytest.raises(ValidationError) as refused:
            dossier.full_clean()
        assert set(refused.value.message_dict) == {"served_language"}, bad


def test_nothing_recorded_by_default(dossier):
    dossier.refresh_from_db()
    assert (dossier.served_language, dossier.interpreter_used) == ("", False)
    assert not dossier.language_access_recorded and dossier.served_in == ""


# -- at the counter --------------------------------------------------------------------------------------------------


@time_machine.travel(MONDAY_9, tick=False)
def test_the_counter_records_the_language_and_the_interpreter(client_for, alice, khai_sinh):
    client = client_for(alice)
    page = client.get(RECEIVE).content.decode()
    assert "Ngôn ngữ phục vụ" in page and "Có người phiên dịch" in page
    assert '<option value="" selected>Tiếng Việt</option>' in page and 'value="kpm"' in page
    assert page.count(">Tiếng Việt</option>") == 1  # Vietnamese is the empty option, not listed twice
    response = client.post(
        RECEIVE, {**APPLICANT, "components": ["0", "1"], "served_language": "kpm", "interpreter_used": "on"}
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == f"/servicedesk/dossiers/{dossier.code}/"
    assert (dossier.served_language, dossier.interpreter_used) == ("kpm", True)
    created = AuditEvent.objects.get(object_type="servicedesk.dossier", action="create")
    assert created.changes["served_language"] == "kpm" and created.changes["interpreter_used"] is True
    detail = client.get(response.url).content.decode()
    assert "Phục vụ bằng tiếng K&#x27;Ho (Cơ Ho) · có phiên dịch" in detail


@time_machine.travel(MONDAY_9, tick=False)
def test_a_refused_intake_keeps_the_language_and_the_interpreter(client_for, alice, khai_sinh):
    response = client_for(alice).post(
        RECEIVE,
        {
            **APPLICANT,
            "applicant_id_number": "123",
            "components": ["0", "1"],
            "served_language": "cma",
            "interpreter_used": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Dossier.objects.exists()
    assert '<option value="cma" selected>Mạ</option>' in page
    assert 'name="interpreter_used" id="id_interpreter_used" checked' in page


@time_machine.travel(MONDAY_9, tick=False)
def test_an_unknown_language_is_named_at_the_counter(client_for, alice, khai_sinh):
    response = client_for(alice).post(
        RECEIVE, {**APPLICANT, "components": ["0", "1"], "served_language": "zzz"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Dossier.objects.exists()
    assert 'href="#id_served_language"' in page  # in the summary on top, linked to the select


@time_machine.travel(MONDAY_9, tick=False)
def test_a_language_outside_the_regional_list_is_kept(client_for, alice, khai_sinh):
    # French is not on the province's list, but any ISO 639-3 language may be recorded (the API, an import).
    response = client_for(alice).post(
        RECEIVE, {**APPLICANT, "components": ["0", "1"], "served_language": "fra"}
    )
    assert response.status_code == 302 and Dossier.objects.get().served_language == "fra"


@time_machine.travel(MONDAY_9, tick=False)
def test_the_service_checks_the_code_with_the_other_fields(alice, di_linh, khai_sinh):
    with pytest.raises(ValidationError) as refused:
        services.receive_dossier(
            alice,
            commune=di_linh,
            procedure=khai_sinh,
            present=[0, 1],
            served_language="zzz",
            **{**APPLICANT, "applicant_phone": "12"},
        )
    assert {"served_language", "applicant_phone"} <= set(refused.value.message_dict)
    assert not Dossier.objects.exists() and not IntakeCheck.objects.exists()
    vietnamese = services.receive_dossier(
        alice, commune=di_linh, procedure=khai_sinh, present=[0, 1], served_language="VIE", **APPLICANT
    ).dossier
    assert vietnamese.served_language == ""  # Vietnamese is "nothing special": one spelling, blank


# -- later, on the dossier page --------------------------------------------------------------------------------------


def test_the_officer_records_it_later_and_it_is_audited(client_for, alice, dossier):
    client = client_for(alice)
    page = client.get(f"/servicedesk/dossiers/{dossier.code}/").content.decode()
    assert 'action="/servicedesk/dossiers/25000-251006-001/language/"' in page
    assert "Phục vụ bằng" not in page  # no badge while nothing is recorded
    response = client.post(
        f"/servicedesk/dossiers/{dossier.code}/language/",
        {"served_language": "cje", "interpreter_used": "on"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.served_language, dossier.interpreter_used) == ("cje", True)
    event = AuditEvent.objects.get(object_type="servicedesk.dossier", action="update")
    assert event.actor == alice
    assert event.changes == {"served_language": ["", "cje"], "interpreter_used": [False, True]}
    page = client.get(f"/servicedesk/dossiers/{dossier.code}/").content.decode()
    assert "Phục vụ bằng tiếng Chu Ru · có phiên dịch" in page
    # Saving the same values again writes nothing.
    client.post(
        f"/servicedesk/dossiers/{dossier.code}/language/",
        {"served_language": "cje", "interpreter_used": "on"},
    )
    assert AuditEvent.objects.filter(object_type="servicedesk.dossier", action="update").count() == 1


def test_an_interpreter_without_a_language_has_its_own_badge(client_for, alice, dossier):
    services.set_language_service(alice, dossier, served_language="", interpreter_used=True)
    page = client_for(alice).get(f"/servicedesk/dossiers/{dossier.code}/").content.decode()
    assert '<span class="badge">Có người phiên dịch</span>' in page


def test_a_refused_correction_keeps_the_page_and_the_choice(client_for, alice, dossier):
    response = client_for(alice).post(
        f"/servicedesk/dossiers/{dossier.code}/language/",
        {"served_language": "zzz", "interpreter_used": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and '<details id="ngon-ngu" open>' in page
    assert 'href="#language_served_language"' in page
    assert 'name="interpreter_used" id="language_interpreter_used" checked' in page
    dossier.refresh_from_db()
    assert (dossier.served_language, dossier.interpreter_used) == ("", False)


def test_who_may_record_it(client_for, alice, charlie, tinh_nguyen, quan, dossier):
    url = f"/servicedesk/dossiers/{dossier.code}/language/"
    data = {"served_language": "kpm"}
    assert client_for(charlie).post(url, data).status_code == 404  # another commune: not even seen
    assert client_for(charlie).get(f"/servicedesk/dossiers/{dossier.code}/").status_code == 404
    assert (
        client_for(tinh_nguyen).post(url, data).status_code == 403
    )  # a volunteer receives, does not process
    assert client_for(quan).post(url, data).status_code == 403  # the province sees, does not process
    for user in (charlie, tinh_nguyen, quan):
        with pytest.raises(PermissionDenied):
            services.set_language_service(user, dossier, served_language="kpm", interpreter_used=False)
    dossier.refresh_from_db()
    assert dossier.served_language == ""
    assert client_for(alice).get("/servicedesk/dossiers/").status_code == 200


# -- the import ------------------------------------------------------------------------------------------------------

LANGUAGE_HEADER = HEADER.replace("rating\n", "rating,served_language,interpreter_used\n")
ROW = "{code},25000,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,,,received,0,,{language},{interpreter}\n"


def _file(*rows):
    return LANGUAGE_HEADER + "".join(
        ROW.format(code=code, language=language, interpreter=interpreter)
        for code, language, interpreter in rows
    )


def test_the_import_reads_codes_names_and_yes_no(di_linh, khai_sinh):
    source = _file(
        ("L1", "K'Ho", "có"),
        ("L2", "tiếng Mạ", "0"),
        ("L3", "cje", "yes"),
        ("L4", "", "1"),
        ("L5", "Tiếng Việt", "không"),
        ("L6", "KPM", "TRUE"),
        ("L7", "", ""),
    )
    result = services.import_dossiers(SYSTEM, source)
    assert result.ok, result.error_lines()
    got = {d.code: (d.served_language, d.interpreter_used) for d in Dossier.objects.all()}
    assert got == {
        "L1": ("kpm", True),
        "L2": ("cma", False),
        "L3": ("cje", True),
        "L4": ("", True),
        "L5": ("", False),
        "L6": ("kpm", True),
        "L7": ("", False),
    }


def test_an_unknown_language_or_answer_is_a_numbered_error_and_nothing_is_written(di_linh, khai_sinh):
    source = _file(("L1", "K'Ho", "1"), ("L2", "Tiếng Sao Hỏa", "1"), ("L3", "Mạ", "có lẽ"))
    result = services.import_dossiers(SYSTEM, source)
    assert not result.ok and not Dossier.objects.exists()
    lines = result.error_lines()
    assert len(lines) == 2
    assert lines[0].startswith("Dòng 3, cột served_language: ") and "Tiếng Sao Hỏa" in lines[0]
    assert lines[1].startswith("Dòng 4, cột interpreter_used: ") and "có lẽ" in lines[1]


def test_a_file_without_the_columns_keeps_what_was_recorded(di_linh, khai_sinh):
    assert services.import_dossiers(SYSTEM, _file(("L1", "Mạ", "1"))).ok
    plain = HEADER + "L1,25000,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,,,processing,0,\n"
    result = services.import_dossiers(SYSTEM, plain)
    assert result.ok and result.updated == 1
    dossier = Dossier.objects.get(code="L1")
    assert dossier.status == "processing" and (dossier.served_language, dossier.interpreter_used) == (
        "cma",
        True,
    )
    # With the columns, a re-import corrects them.
    assert services.import_dossiers(SYSTEM, _file(("L1", "", "0"))).ok
    dossier.refresh_from_db()
    assert (dossier.served_language, dossier.interpreter_used) == ("", False)


# -- the API ---------------------------------------------------------------------------------------------------------


@time_machine.travel(MONDAY_9, tick=False)
def test_the_api_takes_and_gives_both_fields(client, alice, charlie, khai_sinh):
    payload = {"procedure_code": "HT-001", "present": [0, 1], **APPLICANT}
    url = "/api/servicedesk/dossiers"
    created = client.post(
        url, {**payload, "served_language": "kpm", "interpreter_used": True}, content_type=JSON, **auth(alice)
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["served_language"], body["interpreter_used"]) == ("kpm", True)
    plain = client.post(url, payload, content_type=JSON, **auth(alice)).json()
    assert (plain["served_language"], plain["interpreter_used"]) == ("", False)
    listing = client.get(url, **auth(alice)).json()
    assert {(d["code"], d["served_language"], d["interpreter_used"]) for d in listing} == {
        (body["code"], "kpm", True),
        (plain["code"], "", False),
    }
    detail = client.get(f"{url}/{body['code']}", **auth(alice)).json()
    assert detail["served_language"] == "kpm"
    assert client.get(url, **auth(charlie)).json() == []
    assert client.get(f"{url}/{body['code']}", **auth(charlie)).status_code == 404


@time_machine.travel(MONDAY_9, tick=False)
def test_the_api_names_an_invalid_language(client, alice, khai_sinh):
    payload = {"procedure_code": "HT-001", "present": [0, 1], **APPLICANT}
    url = "/api/servicedesk/dossiers"
    unknown = client.post(url, {**payload, "served_language": "zzz"}, content_type=JSON, **auth(alice))
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid"
    assert "served_language" in unknown.json()["error"]["details"]
    too_long = client.post(url, {**payload, "served_language": "kpmm"}, content_type=JSON, **auth(alice))
    assert too_long.status_code == 422
    assert {d["loc"][-1] for d in too_long.json()["error"]["details"]} == {"served_language"}
    assert not Dossier.objects.exists()


def test_the_openapi_document_describes_the_fields(client, db):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("DossierOut", "DossierIn"):
        assert {"served_language", "interpreter_used"} <= set(schemas[name]["properties"]), name
    assert schemas["DossierIn"]["properties"]["served_language"]["maxLength"] == 3


# -- the query for the community app ---------------------------------------------------------------------------------

OCTOBER = (date(2025, 10, 1), date(2025, 10, 31))


@pytest.fixture
def served(di_linh, cam_ly, khai_sinh):
    rows = [
        # commune, received, language, interpreter
        (di_linh, vn(2025, 10, 1, 0, 5), "kpm", True),  # the first minutes of the period count
        (di_linh, vn(2025, 10, 6, 9), "kpm", False),
        (di_linh, vn(2025, 10, 7, 9), "cma", True),
        (di_linh, vn(2025, 10, 8, 9), "", True),  # an interpreter, no language recorded
        (di_linh, vn(2025, 10, 9, 9), "", False),  # Vietnamese: not counted
        (di_linh, vn(2025, 10, 10, 9), "vie", False),  # Vietnamese written out: not counted
        (di_linh, vn(2025, 10, 31, 23, 50), "cje", False),  # the last minutes of the period count
        (di_linh, vn(2025, 11, 1, 0, 5), "kpm", True),  # the next month
        (di_linh, vn(2025, 9, 30, 23, 55), "kpm", True),  # the month before
        (cam_ly, vn(2025, 10, 6, 9), "kpm", True),  # another commune
    ]
    for commune, received, language, interpreter in rows:
        DossierFactory(
            commune=commune,
            procedure=khai_sinh,
            received_at=received,
            served_language=language,
            interpreter_used=interpreter,
        )


def test_language_service_counts_a_communes_dossiers_by_language(served, di_linh):
    counts = language_service(di_linh.code, *OCTOBER)
    assert counts == {
        "kpm": LanguageServed(dossiers=2, with_interpreter=1),
        "cma": LanguageServed(dossiers=1, with_interpreter=1),
        "": LanguageServed(dossiers=1, with_interpreter=1),
        "cje": LanguageServed(dossiers=1, with_interpreter=0),
    }
    assert language_service(di_linh.code, date(2025, 10, 7), date(2025, 10, 7)) == {
        "cma": LanguageServed(dossiers=1, with_interpreter=1)
    }
    assert language_service(di_linh.code, date(2024, 1, 1), date(2024, 12, 31)) == {}


def test_language_service_returns_frozen_dataclasses_and_refuses_an_unknown_commune(served, di_linh):
    entry = language_service(di_linh.code, *OCTOBER)["kpm"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.dossiers = 0
    with pytest.raises(Commune.DoesNotExist):
        language_service(99999, *OCTOBER)
