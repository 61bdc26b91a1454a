"""A phone's retry races its own first attempt (the answer was slow, the outbox fired again): one dossier in the
register, the other request answered as a retry (PostgreSQL; the device row is locked while a dossier is taken)."""

import threading

import pytest
from django.db import close_old_connections, connection

from civicdesk.mobile import services
from civicdesk.mobile.models import FieldDossier
from civicdesk.servicedesk.models import Dossier

from .conftest import field_dossier, new_uuid


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_dossier_sent_twice_at_once_enters_the_register_once(mai, phone, khai_sinh):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises every write, so there is no race to test.")
    key, data = new_uuid(), field_dossier(phone)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.sync_field_dossier(mai, key, dict(data)).http_status)
        except services.sync.SyncRefused as refused:
            outcomes.append(refused.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(map(str, outcomes)) == ["200", "201"]
    assert Dossier.objects.count() == 1 and FieldDossier.objects.count() == 1
