"""Two people call the same citizen at the same instant: one attempt is logged, the other is told of the cool-off
(PostgreSQL; the target row is locked while the rules are checked)."""

import threading

import pytest
from django.db import close_old_connections, connection

from civicdesk.outreach import services
from civicdesk.outreach.models import Attempt, Target


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_attempts_log_one(listed, alice, vy, campaign):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises every write, so there is no race to test.")
    target = listed[0]
    services.reserve(alice, campaign, vy, count=1)
    barrier = threading.Barrier(2)
    outcomes = {}

    def call(user):
        try:
            barrier.wait(timeout=10)
            services.record_attempt(
                user, Target.objects.get(pk=target.pk), channel="phone", outcome="no_answer"
            )
            outcomes[user.username] = "logged"
        except services.ContactBlocked as exc:
            outcomes[user.username] = [r.code for r in exc.reasons]
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=call, args=(user,)) for user in (alice, vy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(map(str, outcomes.values())) == ["['cooloff']", "logged"]
    assert Attempt.objects.filter(target=target).count() == 1
    assert Target.objects.get(pk=target.pk).attempt_count == 1
