"""The digitisation inputs (issue 19): recorded at the counter, at the result and on correction, counted in step."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import AuditEvent
from civicdesk.servicedesk import kpi, services
from civicdesk.servicedesk.models import CommuneDayFieldStat, CommuneDayStat, CommuneMonthStat, Dossier

from .conftest import APPLICANT
from .factories import vn

DAY = vn(2025, 10, 6, 9)


def receive(officer, commune, procedure, **extra):
    return services.receive_dossier(
        officer, commune=commune, procedure=procedure, present=[0, 1], received_at=DAY, **APPLICANT, **extra
    ).dossier


def counters(commune):
    day = CommuneDayStat.objects.get(commune=commune, day=DAY.date())
    month = CommuneMonthStat.objects.get(commune=commune, month=DAY.date().replace(day=1))
    field = CommuneDayFieldStat.objects.get(commune=commune, day=DAY.date())
    values = {(name, row): getattr(obj, name) for name in ("digitised", "result_electronic")
              for row, obj in (("day", day), ("month", month), ("field", field))}  # fmt: skip
    # Every table agrees, and they all agree with the dossiers.
    slow = Dossier.objects.filter(commune=commune).aggregate(**kpi.dossier_aggregates())
    for name in ("digitised", "result_electronic"):
        assert {values[(name, row)] for row in ("day", "month", "field")} == {slow[name]}, name
    return slow["digitised"], slow["result_electronic"]


@time_machine.travel(vn(2025, 10, 6, 10), tick=False)
def test_receive_finish_and_correct_keep_the_counters_in_step(alice, di_linh, khai_sinh):
    first = receive(alice, di_linh, khai_sinh, documents_digitised=True)
    receive(alice, di_linh, khai_sinh)
    assert first.documents_digitised and counters(di_linh) == (1, 0)

    services.mark_done(alice, first, result_electronic=True)
    first.refresh_from_db()
    assert first.result_electronic and counters(di_linh) == (1, 1)

    # Undo: the officer ticked the wrong boxes; the correction takes both counters back.
    services.record_digitisation(alice, first, documents_digitised=False, result_electronic=False)
    assert counters(di_linh) == (0, 0)
    event = AuditEvent.objects.filter(action="update", object_id=str(first.pk)).latest("pk")
    assert event.changes == {"documents_digitised": [True, False], "result_electronic": [True, False]}
    # And again, the other way.
    services.record_digitisation(alice, first, documents_digitised=True, result_electronic=True)
    assert counters(di_linh) == (1, 1)


@time_machine.travel(vn(2025, 10, 6, 10), tick=False)
def test_rejected_or_withdrawn_results_are_not_counted_as_electronic(alice, di_linh, khai_sinh):
    dossier = receive(alice, di_linh, khai_sinh, documents_digitised=True)
    services.withdraw(alice, dossier, reason="")
    assert counters(di_linh) == (1, 0)  # received and digitised still count; no result
    with pytest.raises(ValidationError):
        services.record_digitisation(alice, dossier, documents_digitised=True, result_electronic=True)


@time_machine.travel(vn(2025, 10, 6, 10), tick=False)
def test_an_unchanged_correction_writes_nothing_and_others_are_refused(
    alice, charlie, quan, di_linh, khai_sinh
):
    dossier = receive(alice, di_linh, khai_sinh, documents_digitised=True)
    before = AuditEvent.objects.count()
    services.record_digitisation(alice, dossier, documents_digitised=True, result_electronic=False)
    assert AuditEvent.objects.count() == before
    for user in (charlie, quan):
        with pytest.raises(PermissionDenied):
            services.record_digitisation(user, dossier, documents_digitised=False, result_electronic=False)


@time_machine.travel(vn(2025, 10, 6, 10), tick=False)
def test_rebuilding_the_counters_gives_the_same_digitisation_numbers(alice, di_linh, khai_sinh):
    dossier = receive(alice, di_linh, khai_sinh, documents_digitised=True)
    services.mark_done(alice, dossier, result_electronic=True)
    CommuneDayStat.objects.all().delete()
    CommuneMonthStat.objects.all().delete()
    CommuneDayFieldStat.objects.all().delete()
    services.rebuild_all_stats()
    assert counters(di_linh) == (1, 1)


@time_machine.travel(vn(2025, 10, 6, 10), tick=False)
def test_the_counter_form_and_the_result_step_record_them(client_for, alice, di_linh, khai_sinh):
    client = client_for(alice)
    form = client.get("/servicedesk/receive/", {"procedure": "HT-001"}).content.decode()
    assert 'name="documents_digitised"' in form and "Đã số hóa thành phần hồ sơ" in form
    response = client.post(
        "/servicedesk/receive/?procedure=HT-001",
        {**APPLICANT, "procedure": "HT-001", "components": ["0", "1"], "documents_digitised": "on"},
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.documents_digitised
    page = client.get(f"/servicedesk/dossiers/{dossier.code}/").content.decode()
    assert 'name="result_electronic"' in page and "Thành phần hồ sơ đã số hóa" in page
    client.post(f"/servicedesk/dossiers/{dossier.code}/actions/mark_done/", {"result_electronic": "on"})
    dossier.refresh_from_db()
    assert dossier.finished_at and dossier.result_electronic and counters(di_linh) == (1, 1)
    response = client.post(f"/servicedesk/dossiers/{dossier.code}/digitisation/", {"result_electronic": "on"})
    assert response.status_code == 302 and counters(di_linh) == (0, 1)


@time_machine.travel(vn(2025, 10, 6, 10), tick=False)
def test_the_correction_form_refuses_an_electronic_result_before_the_result(
    client_for, alice, di_linh, khai_sinh
):
    dossier = receive(alice, di_linh, khai_sinh)
    response = client_for(alice).post(
        f"/servicedesk/dossiers/{dossier.code}/digitisation/", {"result_electronic": "on"}
    )
    assert (
        response.status_code == 400
        and "Chỉ ghi kết quả điện tử khi hồ sơ đã có kết quả." in response.content.decode()
    )
    dossier.refresh_from_db()
    assert not dossier.result_electronic


def test_the_correction_page_is_refused_to_another_commune(client_for, charlie, di_linh, khai_sinh):
    from .factories import DossierFactory

    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh)
    response = client_for(charlie).post(
        f"/servicedesk/dossiers/{dossier.code}/digitisation/", {"documents_digitised": "on"}
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert not dossier.documents_digitised
