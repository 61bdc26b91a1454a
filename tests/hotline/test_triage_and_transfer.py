"""Triage and transfer set the field (lĩnh vực) too, and the team follows the field through the routing rules
(`services.routing.route`) unless a team is chosen."""

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.hotline import services
from civicdesk.hotline.models import TicketEvent


@pytest.fixture
def unsorted(routing, alice, file_question):
    """Alice's question filed without a field: it waits in the triage queue."""
    return file_question(
        alice, field=None, title="Hộ ông K'Brũ hỏi cấp giấy chứng nhận", body="Đất không giấy tờ"
    )


def test_the_operator_sets_the_field_and_the_question_goes_where_the_field_is_routed(
    client_for, operator, unsorted, fields, routing, lam
):
    assert unsorted.team is None
    client = client_for(operator)
    page = lxml.html.fromstring(client.get(f"/hotline/{unsorted.pk}/").content.decode())
    form = next(f for f in page.forms if f.get("action", "").endswith("/transfer/"))
    assert form.xpath('.//select[@name="field"]') and not form.xpath("ancestor::details[not(@open)]")
    response = client.post(f"/hotline/{unsorted.pk}/transfer/", {"field": fields["dat_dai"].pk, "team": ""})
    assert response.status_code == 302 and response.url == f"/hotline/{unsorted.pk}/"
    unsorted.refresh_from_db()
    # đất đai → the land working group by the province's rule, and its member gets it
    assert (unsorted.field, unsorted.team, unsorted.assignee) == (fields["dat_dai"], routing["land"], lam)
    event = unsorted.events.get(kind=TicketEvent.Kind.TRANSFERRED)
    assert event.data["field"] == [None, "dat_dai"] and event.data["to_team"] == routing["land"].pk


def test_the_field_list_tells_where_each_field_goes(client_for, operator, unsorted, routing):
    html = client_for(operator).get(f"/hotline/{unsorted.pk}/").content.decode()
    assert "Đất đai → Tổ Đất đai – Xây dựng" in html and "Hộ tịch → Sở Tư pháp" in html


def test_a_team_chosen_at_triage_wins_over_the_field(client_for, operator, unsorted, fields, routing):
    client_for(operator).post(
        f"/hotline/{unsorted.pk}/transfer/", {"field": fields["dat_dai"].pk, "team": routing["tu_phap"].pk}
    )
    unsorted.refresh_from_db()
    assert (unsorted.field, unsorted.team) == (fields["dat_dai"], routing["tu_phap"])


def test_triage_with_neither_field_nor_team_says_so(client_for, operator, unsorted):
    response = client_for(operator).post(f"/hotline/{unsorted.pk}/transfer/", {"field": "", "team": ""})
    assert response.status_code == 400 and "Chọn lĩnh vực hoặc nhóm nhận" in response.content.decode()
    unsorted.refresh_from_db()
    assert unsorted.team is None


def test_a_field_no_team_answers_keeps_the_chosen_field_and_asks_for_a_team(
    client_for, operator, unsorted, fields
):
    response = client_for(operator).post(
        f"/hotline/{unsorted.pk}/transfer/", {"field": fields["giao_duc"].pk, "team": ""}
    )
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    form = next(f for f in doc.forms if f.get("action", "").endswith("/transfer/"))
    assert "chưa có nhóm trả lời" in form.text_content()
    assert form.xpath('.//select[@name="field"]/option[@selected]')[0].get("value") == str(
        fields["giao_duc"].pk
    )


def test_an_expert_transfers_by_field_with_a_reason(client_for, ticket, phap, fields, routing, lam):
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/transfer/",
        {"field": fields["dat_dai"].pk, "team": "", "reason": "Câu hỏi về đất đai"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.field, ticket.team, ticket.assignee) == (fields["dat_dai"], routing["land"], lam)
    event = ticket.events.get(kind=TicketEvent.Kind.TRANSFERRED)
    assert event.note == "Câu hỏi về đất đai" and event.data["field"] == ["ho_tich", "dat_dai"]


def test_a_field_routed_to_the_same_team_is_not_a_transfer(client_for, ticket, phap, fields):
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/transfer/",
        {"field": fields["chung_thuc"].pk, "team": "", "reason": "Chứng thực"},
    )
    assert response.status_code == 400 and "đang ở nhóm này" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.field == fields["ho_tich"]


def test_a_transfer_still_needs_a_reason_in_the_service(ticket, phap, routing, fields):
    with pytest.raises(ValidationError) as exc:
        services.transfer(phap, ticket, None, field=fields["dat_dai"], reason="")
    assert "reason" in exc.value.message_dict
    triaged = services.transfer(phap, ticket, None, field=fields["dat_dai"], reason="Đất đai")
    assert triaged.team == routing["land"]


def test_triage_is_refused_to_the_commune_and_hidden_from_other_teams(
    client_for, unsorted, alice, charlie, lam, fields
):
    data = {"field": fields["dat_dai"].pk, "team": "", "reason": "x"}
    assert client_for(alice).post(f"/hotline/{unsorted.pk}/transfer/", data).status_code == 403
    assert client_for(charlie).post(f"/hotline/{unsorted.pk}/transfer/", data).status_code == 404
    assert client_for(lam).post(f"/hotline/{unsorted.pk}/transfer/", data).status_code == 404
    with pytest.raises(PermissionDenied):
        services.transfer(alice, unsorted, None, field=fields["dat_dai"])
    unsorted.refresh_from_db()
    assert unsorted.team is None and unsorted.field is None
