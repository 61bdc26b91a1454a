"""Two experts claim the same ticket at the same instant: exactly one becomes the assignee (PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection

from civicdesk.hotline import services
from civicdesk.hotline.models import Team, Ticket, TicketEvent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_claims_leave_exactly_one_assignee(
    routing, alice, phap, phap2, tu_phap_team, file_question
):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises every write, so there is no race to test.")
    services.update_team(phap, tu_phap_team, strategy=Team.Strategy.MANUAL, leader=phap)
    ticket = file_question(alice)
    barrier = threading.Barrier(2)
    outcomes = {}

    def claim(user):
        try:
            barrier.wait(timeout=10)
            services.claim(user, Ticket.objects.get(pk=ticket.pk))
            outcomes[user.username] = "won"
        except services.AlreadyClaimed:
            outcomes[user.username] = "lost"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in (phap, phap2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["lost", "won"]
    ticket.refresh_from_db()
    winner = phap if outcomes["phap"] == "won" else phap2
    assert ticket.assignee == winner and ticket.status == Ticket.Status.ASSIGNED
    assert ticket.events.filter(kind=TicketEvent.Kind.CLAIMED).count() == 1
