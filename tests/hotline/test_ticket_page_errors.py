"""A failed submission on the ticket page says what is wrong where it was typed, and keeps what was typed and selected
— whether the form was sent by htmx (the partial it lives in comes back) or without JavaScript (the whole page)."""

from pathlib import Path

import lxml.html
import pytest
from django.conf import settings

from civicdesk.hotline import services
from civicdesk.hotline.models import Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


def _doc(response):
    return lxml.html.fromstring(response.content.decode())


def _form(doc, action):
    forms = [f for f in doc.forms if (f.get("action") or "").endswith(f"/{action}/")]
    assert len(forms) == 1, [f.get("action") for f in doc.forms]
    return forms[0]


def _details_open(form):
    details = form.xpath("ancestor::details")
    return bool(details) and details[0].get("open") is not None


def _selected(form, name):
    return [o.get("value") for o in form.xpath(f'.//select[@name="{name}"]/option[@selected]')]


def _summary(doc):
    """The note at the top of the page after a failed submission without JavaScript."""
    return " ".join(a.text_content() for a in doc.xpath('//*[@id="form-errors"]'))


# --- transfer ------------------------------------------------------------------------------------------------------
def test_transfer_without_a_reason_shows_why_and_keeps_the_chosen_team(client_for, ticket, phap, routing):
    land = routing["land"]
    response = client_for(phap).post(f"/hotline/{ticket.pk}/transfer/", {"team": land.pk, "reason": "  "})
    assert response.status_code == 400
    doc = _doc(response)
    form = _form(doc, "transfer")
    assert _details_open(form), "the error is inside a folded section nobody opens"
    assert "Cần ghi lý do chuyển" in form.text_content()
    assert _selected(form, "team") == [str(land.pk)]
    assert "Cần ghi lý do chuyển" in _summary(doc)
    assert doc.xpath('//*[@id="form-errors"]//a[@href="#transfer"]')
    ticket.refresh_from_db()
    assert ticket.team == routing["tu_phap"]


def test_transfer_without_a_reason_with_htmx_returns_the_actions_with_the_error(
    client_for, ticket, phap, routing
):
    land = routing["land"]
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/transfer/", {"team": land.pk, "reason": ""}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 400 and "<html" not in html
    doc = lxml.html.fragment_fromstring(html)
    assert doc.get("id") == "actions"
    form = _form(lxml.html.fromstring(f"<div>{html}</div>"), "transfer")
    assert _details_open(form) and "Cần ghi lý do chuyển" in form.text_content()
    assert _selected(form, "team") == [str(land.pk)]


def test_a_transfer_with_htmx_goes_to_the_page_it_leads_to(client_for, ticket, phap, routing):
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/transfer/", {"team": routing["land"].pk, "reason": "Đất đai"}, **HTMX
    )
    # phap no longer sees the ticket once it is with the land group: back to the queues
    assert response.status_code == 200 and response["HX-Redirect"] == "/hotline/"


# --- the other folded forms ----------------------------------------------------------------------------------------
def test_assign_without_anyone_keeps_the_note(client_for, ticket, phap):
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/assign/", {"assignee": "", "reason": "Anh Tư rảnh"}
    )
    assert response.status_code == 400
    form = _form(_doc(response), "assign")
    assert _details_open(form) and "errorlist" in lxml.html.tostring(form).decode()
    assert form.xpath('.//input[@name="reason"]')[0].get("value") == "Anh Tư rảnh"


def test_merge_into_an_unknown_question_keeps_the_number_and_note(client_for, ticket, phap):
    response = client_for(phap).post(f"/hotline/{ticket.pk}/merge/", {"target": "999999", "reason": "Trùng"})
    assert response.status_code == 400
    doc = _doc(response)
    form = _form(doc, "merge")
    assert _details_open(form) and "Không tìm thấy câu hỏi này" in form.text_content()
    assert form.xpath('.//input[@name="target"]')[0].get("value") == "999999"
    assert form.xpath('.//input[@name="reason"]')[0].get("value") == "Trùng"
    assert doc.xpath('//*[@id="form-errors"]//a[@href="#merge"]')


def test_reopen_without_a_reason_opens_the_section_with_the_error(client_for, ticket, phap, alice):
    services.resolve(phap, ticket)
    response = client_for(alice).post(f"/hotline/{ticket.pk}/reopen/", {"reason": ""})
    assert response.status_code == 400
    form = _form(_doc(response), "reopen")
    assert _details_open(form) and "errorlist" in lxml.html.tostring(form).decode()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_low_rating_without_a_reason_keeps_the_stars(client_for, ticket, phap, alice, htmx):
    services.resolve(phap, ticket)
    response = client_for(alice).post(
        f"/hotline/{ticket.pk}/rate/", {"score": "1", "reason": ""}, **(HTMX if htmx else {})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    form = _form(lxml.html.fromstring(f"<div>{html}</div>"), "rate")
    assert form.xpath('.//input[@name="score"][@checked]')[0].get("value") == "1"
    assert "Xin cho biết lý do" in form.text_content()
    ticket.refresh_from_db()
    assert ticket.rated_at is None


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_faq_without_a_question_keeps_the_answer(client_for, ticket, phap, htmx):
    services.resolve(phap, ticket)
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/faq/",
        {"question": "", "answer": "Câu trả lời đã sửa"},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    form = _form(lxml.html.fromstring(f"<div>{html}</div>"), "faq")
    assert form.xpath('.//textarea[@name="answer"]')[0].text.strip() == "Câu trả lời đã sửa"
    assert "errorlist" in lxml.html.tostring(form).decode()
    assert not form.xpath('.//input[@name="submit"][@checked]')
    ticket.refresh_from_db()
    assert ticket.faq is None


# --- reply ---------------------------------------------------------------------------------------------------------
def test_an_empty_reply_with_htmx_returns_the_conversation_with_the_error_and_the_choices(
    client_for, ticket, phap
):
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/reply/", {"body": "  ", "internal": "on", "then": "waiting"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 400 and "<html" not in html
    form = _form(lxml.html.fromstring(f"<div>{html}</div>"), "reply")
    assert "Trường này là bắt buộc" in form.text_content()
    assert form.xpath('.//input[@name="internal"][@checked]')
    assert _selected(form, "then") == ["waiting"]
    assert ticket.messages.count() == 0


def test_an_empty_reply_without_javascript_points_to_the_reply_box(client_for, ticket, phap):
    response = client_for(phap).post(f"/hotline/{ticket.pk}/reply/", {"body": "", "then": "resolved"})
    assert response.status_code == 400
    doc = _doc(response)
    assert _selected(_form(doc, "reply"), "then") == ["resolved"]
    assert doc.xpath('//*[@id="form-errors"]//a[@href="#reply"]')
    assert doc.xpath('//*[@id="reply"]')


def test_every_page_lets_htmx_show_an_answer_with_errors():
    """htmx leaves a 400 answer unswapped by default, which is why an empty reply used to show nothing at all; the
    site-wide script (loaded by base.html on every page) swaps it."""
    script = Path(settings.BASE_DIR, "static", "js", "civicdesk.js").read_text(encoding="utf-8")
    assert "htmx:beforeSwap" in script and "400" in script


# --- what cannot be a form error still says so ---------------------------------------------------------------------
def test_resolving_twice_says_why(client_for, ticket, phap):
    services.resolve(phap, ticket)
    response = client_for(phap).post(f"/hotline/{ticket.pk}/resolve/")
    assert response.status_code == 400 and "đã được giải quyết rồi" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.RESOLVED
