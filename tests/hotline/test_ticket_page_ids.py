"""Every element id of the ticket page is unique and every label points at a field of its own form (several forms
there have a `reason`, and all of them used to be `id_reason`)."""

from collections import Counter

import lxml.html
import pytest

from civicdesk.hotline import services


def _check_ids(response):
    assert response.status_code in (200, 400)
    doc = lxml.html.fromstring(response.content.decode())
    ids = Counter(el.get("id") for el in doc.xpath("//*[@id]"))
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    assert duplicates == [], f"duplicate ids: {duplicates}"
    for label in doc.xpath("//label[@for]"):
        target = doc.xpath(f'//*[@id="{label.get("for")}"]')
        assert target, f"label for {label.get('for')!r} points at nothing"
        own_form = label.xpath("ancestor::form")
        if own_form:
            assert target[0].xpath("ancestor::form") == own_form, (
                f"label {label.get('for')!r} is in another form"
            )
    for select in doc.xpath("//select[@data-canned-target]"):
        assert doc.xpath(f'//textarea[@id="{select.get("data-canned-target")}"]'), "canned replies go nowhere"
    return doc


def test_the_team_leader_sees_one_id_per_element(client_for, ticket, phap):
    services.save_canned_response(phap, team=ticket.team, title="Mẫu", body="Nội dung mẫu")
    doc = _check_ids(client_for(phap).get(f"/hotline/{ticket.pk}/"))
    # assign, transfer and merge all have a reason: each has its own
    reasons = {el.get("id") for el in doc.xpath('//input[@name="reason"]')}
    assert len(reasons) == 3


def test_the_operator_triaging_sees_one_id_per_element(client_for, operator, routing, alice, file_question):
    triage = file_question(alice, field=None, title="Chưa rõ lĩnh vực")
    _check_ids(client_for(operator).get(f"/hotline/{triage.pk}/"))


@pytest.mark.parametrize("who", ["phap", "alice"])
def test_a_resolved_question_has_one_id_per_element(client_for, ticket, phap, alice, who):
    services.reply(phap, ticket, "Trả lời", then="resolved")
    user = {"phap": phap, "alice": alice}[who]
    _check_ids(client_for(user).get(f"/hotline/{ticket.pk}/"))


def test_a_page_with_errors_has_one_id_per_element(client_for, ticket, phap, routing):
    _check_ids(client_for(phap).post(f"/hotline/{ticket.pk}/transfer/", {"team": routing["land"].pk}))
