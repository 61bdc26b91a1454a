"""Two volunteers take the last place of a shift at the same instant: one gets it, the other the waiting list
(PostgreSQL; the shift row is locked while places are counted)."""

import threading

import pytest
from django.db import close_old_connections, connection

from civicdesk.volunteers import services
from civicdesk.volunteers.models import Booking, Shift

from .conftest import _volunteer


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_place_goes_to_one(alice, di_linh, vy, tuan, week):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises every write, so there is no race to test.")
    shift = week[2]  # 2 places
    first = _volunteer(alice, di_linh, "an", "Ka An")
    services.sign_up(first.person.user, shift, first)
    barrier = threading.Barrier(2)
    outcomes = {}

    def take(volunteer):
        try:
            barrier.wait(timeout=10)
            booking = services.sign_up(volunteer.person.user, Shift.objects.get(pk=shift.pk), volunteer)
            outcomes[volunteer.pk] = booking.status
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=take, args=(v,)) for v in (vy, tuan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["confirmed", "waitlisted"]
    assert Booking.objects.filter(shift=shift).on_shift().count() == 2
