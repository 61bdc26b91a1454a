"""The queue page: each tab shows how many questions it holds, and /hotline/ opens on the first tab with work —
the triage queue for the province desk when it is not empty."""

import lxml.html

from civicdesk.hotline import services
from civicdesk.hotline.models import Team


def _tabs(response):
    doc = lxml.html.fromstring(response.content.decode())
    tabs = {}
    for a in doc.xpath('//nav[contains(@class, "hl-tabs")]/a'):
        key = a.get("href").split("queue=")[1]
        count = a.xpath('.//*[contains(@class, "hl-count")]')
        tabs[key] = {"count": int(count[0].text_content()), "current": a.get("aria-current") == "page"}
    return tabs


def _current(tabs):
    return [key for key, tab in tabs.items() if tab["current"]]


def test_the_operator_opens_on_triage_when_questions_wait_there(
    client_for, operator, ticket, alice, file_question
):
    file_question(alice, field=None, title="Xin mẫu báo cáo hằng tháng")
    response = client_for(operator).get("/hotline/")
    tabs = _tabs(response)
    assert _current(tabs) == ["triage"] and tabs["triage"]["count"] == 1
    assert next(iter(tabs)) == "triage", "the desk's own work comes first"
    assert "Xin mẫu báo cáo hằng tháng" in response.content.decode()
    assert tabs["mine"]["count"] == 0 and tabs["open"]["count"] == 2


def test_with_triage_empty_the_operator_opens_on_the_next_tab_with_work(
    client_for, operator, routing, alice, fields
):
    routing["tu_phap"].strategy = Team.Strategy.MANUAL
    routing["tu_phap"].save()
    services.create_ticket(alice, title="Chưa ai nhận", body="Nội dung", field=fields["ho_tich"])
    tabs = _tabs(client_for(operator).get("/hotline/"))
    # the desk sees every question no one has taken yet, in any team of the province
    assert (
        _current(tabs) == ["unassigned"] and tabs["unassigned"]["count"] == 1 and tabs["triage"]["count"] == 0
    )


def test_an_expert_with_nothing_assigned_opens_on_the_team_queue(
    client_for, phap, phap2, routing, alice, fields
):
    routing["tu_phap"].strategy = Team.Strategy.MANUAL
    routing["tu_phap"].save()
    services.create_ticket(alice, title="Chưa ai nhận", body="Nội dung", field=fields["ho_tich"])
    tabs = _tabs(client_for(phap2).get("/hotline/"))
    assert "triage" not in tabs
    assert _current(tabs) == ["team"] and tabs["team"]["count"] == 1 and tabs["mine"]["count"] == 0


def test_an_expert_with_work_opens_on_their_own_queue(client_for, ticket, phap):
    tabs = _tabs(client_for(phap).get("/hotline/"))
    assert _current(tabs) == ["mine"] and tabs["mine"]["count"] == 1


def test_nothing_anywhere_opens_on_the_first_tab(client_for, operator, routing):
    tabs = _tabs(client_for(operator).get("/hotline/"))
    assert _current(tabs) == ["triage"] and all(tab["count"] == 0 for tab in tabs.values())


def test_a_chosen_tab_stays_chosen_even_when_empty(client_for, operator, alice, file_question, routing):
    file_question(alice, field=None, title="Chưa phân loại")
    tabs = _tabs(client_for(operator).get("/hotline/?queue=mine"))
    assert _current(tabs) == ["mine"]


def test_the_commune_counts_only_its_own(client_for, ticket, alice, charlie, file_question):
    file_question(charlie, title="Câu hỏi của Cam Ly")
    tabs = _tabs(client_for(charlie).get("/hotline/"))
    assert tabs["mine"]["count"] == 1 and tabs["commune"]["count"] == 1 and _current(tabs) == ["mine"]
    tabs = _tabs(client_for(alice).get("/hotline/"))
    assert tabs["commune"]["count"] == 1


def test_the_counts_take_one_query(client_for, operator, ticket, django_assert_num_queries):
    from civicdesk.hotline import queries

    with django_assert_num_queries(1):
        counts = queries.queue_counts(operator)
    assert counts["open"] == 1 and counts["triage"] == 0
