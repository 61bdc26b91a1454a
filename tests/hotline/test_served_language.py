"""Language access on hotline questions (issue 15): the language the citizen behind a question was served in and
whether an interpreter helped — when filing, when logging a call, later on the ticket page, through the API, in the
Excel export, and counted for the community app by `hotline.queries.language_service`."""

import dataclasses
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from civicdesk.core.models import AuditEvent
from civicdesk.core.services import issue_api_token
from civicdesk.geo.models import Commune
from civicdesk.hotline import services
from civicdesk.hotline.models import Ticket
from civicdesk.hotline.queries import LanguageTickets, language_service
from civicdesk.hotline.services.reports import export_xlsx
from tests.hotline.conftest import vn

JSON = "application/json"
QUESTION = {"title": "Khai sinh cho trẻ người K'Ho", "body": "Chi tiết tình huống", "urgency": "normal"}


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# -- the model -------------------------------------------------------------------------------------------------------


def test_the_model_accepts_iso_639_3_codes_and_refuses_anything_else(ticket):
    ticket.served_language, ticket.interpreter_used = "cma", True
    ticket.full_clean()
    for bad in ("zzz", "CMA", "vi", "mạ"):
        ticket.served_language = bad
        with pytest.raises(ValidationError) as refused:
            ticket.full_clean()
        assert set(refused.value.message_dict) == {"served_language"}, bad


def test_the_service_refuses_an_unknown_code_and_stores_vietnamese_as_blank(routing, alice, file_question):
    with pytest.raises(ValidationError) as refused:
        file_question(alice, served_language="zzz", now=vn(2026, 2, 11, 9))
    assert set(refused.value.message_dict) == {"served_language"} and not Ticket.objects.exists()
    ticket = file_question(alice, served_language="vie", interpreter_used=True, now=vn(2026, 2, 11, 9))
    assert (ticket.served_language, ticket.interpreter_used) == ("", True)


# -- filing and logging a call ---------------------------------------------------------------------------------------


def test_the_official_records_the_language_when_filing(client_for, alice, routing, fields):
    client = client_for(alice)
    page = client.get("/hotline/new/").content.decode()
    assert "Ngôn ngữ phục vụ" in page and "Có người phiên dịch" in page
    assert '<option value="" selected>Tiếng Việt</option>' in page
    response = client.post(
        "/hotline/new/",
        {**QUESTION, "field": fields["ho_tich"].pk, "served_language": "kpm", "interpreter_used": "on"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/hotline/{ticket.pk}/"
    assert (ticket.served_language, ticket.interpreter_used) == ("kpm", True)
    created = AuditEvent.objects.get(object_type="hotline.ticket", action="create")
    assert created.changes["served_language"] == "kpm" and created.changes["interpreter_used"] is True
    detail = client.get(response.url).content.decode()
    assert "Phục vụ bằng tiếng K&#x27;Ho (Cơ Ho) · có phiên dịch" in detail


def test_a_refused_question_keeps_the_language_and_the_interpreter(client_for, alice, routing):
    response = client_for(alice).post(
        "/hotline/new/", {**QUESTION, "body": "", "served_language": "cma", "interpreter_used": "on"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert '<option value="cma" selected>Mạ</option>' in page
    assert 'name="interpreter_used" id="id_interpreter_used" checked' in page


def test_an_unknown_language_is_named_on_the_form(client_for, alice, routing):
    response = client_for(alice).post("/hotline/new/", {**QUESTION, "served_language": "zzz"})
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert "served_language" in response.context["form"].errors


def test_the_operator_records_the_language_of_a_call(client_for, routing, operator, di_linh):
    response = client_for(operator).post(
        "/hotline/phone/",
        {**QUESTION, "commune": di_linh.pk, "caller_name": "Bà Ka Huệ", "served_language": "cje"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.channel == "phone"
    assert (ticket.served_language, ticket.interpreter_used) == ("cje", False)


# -- later, on the ticket page ---------------------------------------------------------------------------------------


def test_the_commune_records_it_later_and_it_is_audited(client_for, ticket, alice):
    client = client_for(alice)
    page = client.get(f"/hotline/{ticket.pk}/").content.decode()
    assert f'action="/hotline/{ticket.pk}/language/"' in page and "Phục vụ bằng" not in page
    response = client.post(
        f"/hotline/{ticket.pk}/language/", {"served_language": "rad", "interpreter_used": "on"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.served_language, ticket.interpreter_used) == ("rad", True)
    event = AuditEvent.objects.get(object_type="hotline.ticket", action="update")
    assert event.actor == alice
    assert event.changes == {"served_language": ["", "rad"], "interpreter_used": [False, True]}
    assert "Phục vụ bằng tiếng Ê Đê · có phiên dịch" in client.get(f"/hotline/{ticket.pk}/").content.decode()


def test_an_interpreter_without_a_language_has_its_own_badge(client_for, ticket, phap):
    services.set_language_service(phap, ticket, served_language="", interpreter_used=True)
    page = client_for(phap).get(f"/hotline/{ticket.pk}/").content.decode()
    assert '<span class="badge">Có người phiên dịch</span>' in page


def test_a_refused_correction_keeps_the_choice(client_for, ticket, alice):
    url = f"/hotline/{ticket.pk}/language/"
    response = client_for(alice).post(url, {"served_language": "zzz", "interpreter_used": "on"})
    page = response.content.decode()
    assert response.status_code == 400 and '<details id="language" open>' in page
    assert 'name="interpreter_used" id="language_interpreter_used" checked' in page
    htmx = client_for(alice).post(url, {"served_language": "zzz"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400 and "<html" not in htmx.content.decode()
    ticket.refresh_from_db()
    assert (ticket.served_language, ticket.interpreter_used) == ("", False)


def test_who_may_record_it(client_for, ticket, charlie, lam, linh, alice):
    url = f"/hotline/{ticket.pk}/language/"
    data = {"served_language": "kpm"}
    assert client_for(charlie).post(url, data).status_code == 404  # another commune: not even seen
    assert client_for(charlie).get(f"/hotline/{ticket.pk}/").status_code == 404
    assert client_for(lam).post(url, data).status_code == 404  # an expert of another department
    with pytest.raises(PermissionDenied):
        services.set_language_service(charlie, ticket, served_language="kpm", interpreter_used=False)
    ticket.refresh_from_db()
    assert ticket.served_language == ""
    # The commune's leader is on the asking side too.
    assert client_for(linh).post(url, data).status_code == 302


# -- the API ---------------------------------------------------------------------------------------------------------


def test_the_api_takes_and_gives_both_fields(client, alice, charlie, routing):
    created = client.post(
        "/api/hotline/tickets",
        {**QUESTION, "field": "ho_tich", "served_language": "kpm", "interpreter_used": True},
        content_type=JSON,
        **auth(alice),
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["served_language"], body["interpreter_used"]) == ("kpm", True)
    listing = client.get("/api/hotline/tickets", **auth(alice)).json()
    assert [(t["id"], t["served_language"], t["interpreter_used"]) for t in listing] == [
        (body["id"], "kpm", True)
    ]
    detail = client.get(f"/api/hotline/tickets/{body['id']}", **auth(alice)).json()
    assert (detail["served_language"], detail["interpreter_used"]) == ("kpm", True)
    plain = client.post("/api/hotline/tickets", QUESTION, content_type=JSON, **auth(alice)).json()
    assert (plain["served_language"], plain["interpreter_used"]) == ("", False)
    assert client.get("/api/hotline/tickets", **auth(charlie)).json() == []
    assert client.get(f"/api/hotline/tickets/{body['id']}", **auth(charlie)).status_code == 404


def test_the_api_names_an_invalid_language(client, alice, routing):
    unknown = client.post(
        "/api/hotline/tickets", {**QUESTION, "served_language": "zzz"}, content_type=JSON, **auth(alice)
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid"
    assert "served_language" in unknown.json()["error"]["details"]
    too_long = client.post(
        "/api/hotline/tickets", {**QUESTION, "served_language": "kpmm"}, content_type=JSON, **auth(alice)
    )
    assert too_long.status_code == 422
    assert {d["loc"][-1] for d in too_long.json()["error"]["details"]} == {"served_language"}
    assert not Ticket.objects.exists()


def test_the_openapi_document_describes_the_fields(client, db):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("TicketOut", "TicketIn", "TicketDetailOut"):
        assert {"served_language", "interpreter_used"} <= set(schemas[name]["properties"]), name


# -- the Excel export ------------------------------------------------------------------------------------------------


def test_the_export_has_the_language_and_interpreter_columns(routing, alice, quan, file_question):
    file_question(alice, served_language="kpm", interpreter_used=True, now=vn(2026, 2, 11, 9))
    file_question(alice, now=vn(2026, 2, 11, 10))
    file_question(alice, served_language="eng", now=vn(2026, 2, 11, 11))
    sheet = load_workbook(io.BytesIO(export_xlsx(quan)))["Câu hỏi"]
    header = [cell.value for cell in sheet[1]]
    assert header[-2:] == ["Ngôn ngữ phục vụ", "Phiên dịch"]
    rows = {(r[-2], r[-1]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {("K'Ho (Cơ Ho)", "Có"), ("Tiếng Việt", "Không"), ("Tiếng Anh", "Không")}


# -- the query for the community app ---------------------------------------------------------------------------------

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def served(routing, alice, charlie, phap, file_question):
    rows = [
        # who, filed, language, interpreter
        (alice, vn(2026, 3, 1, 0, 5), "kpm", True),  # the first minutes of the period count
        (alice, vn(2026, 3, 2, 9), "kpm", False),
        (alice, vn(2026, 3, 3, 9), "cma", True),
        (alice, vn(2026, 3, 4, 9), "", True),  # an interpreter, no language recorded
        (alice, vn(2026, 3, 5, 9), "", False),  # Vietnamese: not counted
        (alice, vn(2026, 3, 31, 23, 50), "cje", False),  # the last minutes of the period count
        (alice, vn(2026, 4, 1, 0, 5), "kpm", True),  # the next month
        (alice, vn(2026, 2, 28, 23, 55), "kpm", True),  # the month before
        (charlie, vn(2026, 3, 2, 9), "kpm", True),  # another commune
    ]
    tickets = [
        file_question(user, served_language=language, interpreter_used=interpreter, now=at)
        for user, at, language, interpreter in rows
    ]
    # A duplicate merged into another question is not a question of its own (as in commune_ticket_stats).
    duplicate = file_question(alice, served_language="kpm", now=vn(2026, 3, 6, 9))
    services.merge(phap, duplicate, tickets[1], now=vn(2026, 3, 6, 10))
    return tickets


def test_language_service_counts_a_communes_questions_by_language(served, di_linh):
    counts = language_service(di_linh.code, *MARCH)
    assert counts == {
        "kpm": LanguageTickets(tickets=2, with_interpreter=1),
        "cma": LanguageTickets(tickets=1, with_interpreter=1),
        "": LanguageTickets(tickets=1, with_interpreter=1),
        "cje": LanguageTickets(tickets=1, with_interpreter=0),
    }
    assert language_service(di_linh.code, date(2026, 3, 3), date(2026, 3, 3)) == {
        "cma": LanguageTickets(tickets=1, with_interpreter=1)
    }
    assert language_service(di_linh.code, date(2025, 1, 1), date(2025, 12, 31)) == {}


def test_language_service_returns_frozen_dataclasses_and_refuses_an_unknown_commune(served, di_linh):
    entry = language_service(di_linh.code, *MARCH)["kpm"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.tickets = 0
    with pytest.raises(Commune.DoesNotExist):
        language_service(99999, *MARCH)
