"""Staffing reads the real service desk and hotline through their query functions, field by field."""

from datetime import date, timedelta

import pytest
import time_machine

from civicdesk.handbook.fields import ensure_fields
from civicdesk.hotline import services as hotline
from civicdesk.staffing import scoring, services, signals_in
from civicdesk.staffing.models import CapacityRecord
from tests.handbook.factories import ProcedureFactory
from tests.servicedesk.factories import DossierFactory, vn

from .factories import CapacityRecordFactory

SINCE, UNTIL = date(2025, 10, 1), date(2025, 12, 29)  # 90 days


@pytest.fixture(autouse=True)
def _the_day_after_the_period():
    """Overdue and late are judged at a fixed moment after the period, not on the day the tests run."""
    with time_machine.travel(vn(2025, 12, 30, 9), tick=False):
        yield


@pytest.fixture
def activity(di_linh, cam_ly, alice):
    """Di Linh: civil status mostly on time, land mostly late; two land questions to the hotline, one overdue."""
    fields = ensure_fields()
    birth = ProcedureFactory(code="HT-001", field=fields["ho_tich"])
    copy = ProcedureFactory(code="CT-001", field=fields["chung_thuc"])
    land = ProcedureFactory(code="DD-001", field=fields["dat_dai"])
    plan = [(birth, 6, 0), (copy, 3, 1), (land, 2, 3)]  # procedure, on time, late
    n = 0
    for procedure, on_time, late in plan:
        for i in range(on_time + late):
            received = vn(2025, 10, 6, 9) + timedelta(days=n)
            n += 1
            finished = received + timedelta(days=2 if i < on_time else 9)
            DossierFactory(
                commune=di_linh,
                procedure=procedure,
                received_at=received,
                due_at=received + timedelta(days=5),
                finished_at=finished,
                is_on_time=finished <= received + timedelta(days=5),
                working_days_taken=2.0,
                supplement_count=1 if procedure is land else 0,
                status="done",
            )
    DossierFactory(commune=cam_ly, procedure=birth, received_at=vn(2025, 10, 6, 9))
    for day in (6, 7):
        hotline.create_ticket(
            alice,
            title="Cấp giấy chứng nhận lần đầu",
            body="Thửa đất chưa có giấy tờ, xã giải quyết thế nào?",
            field=fields["dat_dai"],
            now=vn(2025, 10, day, 9),
        )


def test_workload_from_the_real_apps(activity, di_linh):
    data = signals_in.commune_workload(di_linh, SINCE, UNTIL)
    months = 90 / 30.44
    assert data["sources"] == ["servicedesk", "hotline"]
    assert data["dossiers_per_month"] == pytest.approx(15 / months)
    assert data["late_rate"] == pytest.approx(4 / 15, abs=1e-4)
    # Birth registration and certification are one staffing line (ho_tich): 10 dossiers, 1 late.
    assert data["by_field"]["ho_tich"]["dossiers_per_month"] == pytest.approx(10 / months)
    assert data["by_field"]["ho_tich"]["late_rate"] == pytest.approx(0.1)
    assert data["by_field"]["dat_dai"]["late_rate"] == pytest.approx(0.6)
    assert data["by_field"]["dat_dai"]["supplement_rate"] == pytest.approx(1.0)
    # Both land questions are still unanswered past their due times.
    assert data["by_field"]["dat_dai"]["hotline_questions"] == pytest.approx(2 / months)
    assert data["by_field"]["dat_dai"]["sla_breaches"] == pytest.approx(2 / months)


def test_gap_scores_use_each_fields_own_signals(activity, di_linh, noi):
    for field in ("ho_tich", "dat_dai", "cntt"):
        CapacityRecordFactory(
            commune=di_linh, field=field, current_staff=2, avg_experience_years=3, dossiers_per_month=10
        )
    services.refresh_signals(noi, di_linh.province, since=SINCE, until=UNTIL)
    records = {r.field: r for r in CapacityRecord.objects.filter(commune=di_linh)}
    assert records["ho_tich"].late_rate == pytest.approx(0.1)
    assert records["dat_dai"].late_rate == pytest.approx(0.6)
    assert records["dat_dai"].dossiers_per_month == pytest.approx(round(5 / (90 / 30.44), 1))
    # No IT dossiers: the commune-level rate applies.
    assert records["cntt"].late_rate == pytest.approx(round(4 / 15, 4))
    weights = scoring.Weights()
    land, civil = scoring.gap(records["dat_dai"], weights), scoring.gap(records["ho_tich"], weights)
    assert land.components["late"] > civil.components["late"] and land.score > civil.score
