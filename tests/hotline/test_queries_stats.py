"""`commune_ticket_stats`, the hotline figures the staffing app reads: questions filed and SLA breaches in a period."""

from datetime import date

import pytest

from civicdesk.geo.models import Commune
from civicdesk.hotline import services
from civicdesk.hotline.queries import CommuneTicketStats, TicketCounts, commune_ticket_stats
from tests.hotline.conftest import vn

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def tickets(routing, alice, charlie, phap, lam, file_question):
    """Di Linh's questions around March 2026 (normal urgency: first response 8 h, resolution 24 office hours)."""
    answered = file_question(alice, now=vn(2026, 3, 2, 8))  # answered and resolved within the hour
    services.reply(phap, answered, "Xã có thẩm quyền.", then="resolved", now=vn(2026, 3, 2, 10))
    # First response due Tue 3/3 08:30, answered Wed 4/3: late, between two runs of the SLA check (not stamped).
    late = file_question(alice, now=vn(2026, 3, 2, 8))
    services.reply(phap, late, "Trả lời muộn.", then="resolved", now=vn(2026, 3, 4, 9))
    # Filed in February, never answered; the check stamps both targets breached on 9/3: one ticket, once.
    land = file_question(alice, field="dat_dai", title="Cấp giấy chứng nhận lần đầu", now=vn(2026, 2, 27, 8))
    file_question(charlie, now=vn(2026, 3, 2, 8))  # another commune
    services.check_sla(vn(2026, 3, 9, 8))
    # No field, never answered: overdue with its clock running, not yet stamped by the check.
    triage = file_question(alice, field=None, now=vn(2026, 3, 10, 9))
    duplicate = file_question(alice, now=vn(2026, 3, 12, 9))
    services.merge(phap, duplicate, answered, now=vn(2026, 3, 12, 10))
    # Waiting for the commune since 20/3: the resolution clock is paused, no breach.
    waiting = file_question(alice, now=vn(2026, 3, 20, 9))
    services.reply(phap, waiting, "Xin gửi thêm giấy tờ.", then="waiting", now=vn(2026, 3, 20, 10))
    return {"land": land, "triage": triage}


def test_questions_and_breaches_of_a_month(tickets, di_linh):
    stats = commune_ticket_stats(di_linh.code, *MARCH, now=vn(2026, 3, 31, 17))
    # filed in March: answered, late, triage, waiting (the merged duplicate is not a question of its own)
    assert stats.questions == 4
    # late (first response met late), land (stamped on 9/3), triage (overdue now)
    assert stats.sla_breaches == 3
    assert stats.by_field == {
        "ho_tich": TicketCounts(questions=3, sla_breaches=1),
        "dat_dai": TicketCounts(questions=0, sla_breaches=1),
    }


def test_a_breach_counts_in_the_period_it_happened(tickets, di_linh):
    february = commune_ticket_stats(
        di_linh.code, date(2026, 2, 1), date(2026, 2, 28), now=vn(2026, 3, 31, 17)
    )
    assert february == CommuneTicketStats(
        questions=1, sla_breaches=0, by_field={"dat_dai": TicketCounts(questions=1, sla_breaches=0)}
    )
    # Before the triage question's due time it is not a breach yet.
    early = commune_ticket_stats(di_linh.code, *MARCH, now=vn(2026, 3, 10, 12))
    assert early.sla_breaches == 2


def test_period_bounds_are_local_dates(routing, alice, di_linh, file_question):
    file_question(alice, now=vn(2026, 3, 31, 23, 30))  # 16:30 UTC, still 31 March in Vietnam
    file_question(alice, now=vn(2026, 4, 1, 0, 30))
    assert commune_ticket_stats(di_linh.code, *MARCH, now=vn(2026, 4, 1, 1)).questions == 1
    assert (
        commune_ticket_stats(25000, date(2026, 4, 1), date(2026, 4, 1), now=vn(2026, 4, 1, 1)).questions == 1
    )


def test_another_commune_sees_nothing_of_di_linh(tickets, cam_ly):
    stats = commune_ticket_stats(cam_ly.code, *MARCH, now=vn(2026, 3, 31, 17))
    assert stats.questions == 1 and stats.by_field["ho_tich"].questions == 1


def test_an_unknown_commune_is_an_error(db):
    with pytest.raises(Commune.DoesNotExist):
        commune_ticket_stats(99999, *MARCH)
