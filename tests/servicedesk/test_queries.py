"""`servicedesk.queries.commune_kpis`, what the staffing app reads: one commune's KPIs, totals and by field."""

from dataclasses import asdict
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicdesk.geo.models import Commune
from civicdesk.servicedesk import kpi
from civicdesk.servicedesk.queries import CommuneKpis, DossierCounts, commune_kpis
from tests.handbook.factories import FieldFactory, ProcedureFactory

from .factories import DossierFactory, vn


@pytest.fixture
def dossiers(di_linh, cam_ly, khai_sinh):
    """Di Linh in October 2025: three civil-status dossiers, two land dossiers, one of an unknown procedure."""
    land = ProcedureFactory(code="DD-001", field=FieldFactory(code="dat_dai", name="Đất đai"))
    rows = [
        # procedure, received, due, finished, channel, supplements, rating, working days
        (khai_sinh, vn(2025, 10, 6, 9), vn(2025, 10, 9, 9), vn(2025, 10, 8, 9), "truc_tiep", 0, 5, 2.0),
        (khai_sinh, vn(2025, 10, 7, 9), vn(2025, 10, 10, 9), vn(2025, 10, 13, 9), "truc_tuyen", 1, 2, 4.0),
        (khai_sinh, vn(2025, 10, 20, 9), vn(2025, 10, 23, 9), None, "truc_tuyen_ho_tro", 0, None, None),
        (land, vn(2025, 10, 8, 9), vn(2025, 10, 20, 9), vn(2025, 10, 15, 9), "truc_tiep", 1, 4, 5.0),
        (
            land,
            vn(2025, 10, 9, 9),
            None,
            vn(2025, 10, 16, 9),
            "truc_tiep",
            0,
            None,
            5.0,
        ),  # no due: not on time
        (None, vn(2025, 10, 10, 9), vn(2025, 10, 15, 9), None, "buu_chinh", 1, None, None),
    ]
    for procedure, received, due, finished, channel, supplements, rating, days in rows:
        DossierFactory(
            commune=di_linh,
            procedure=procedure,
            received_at=received,
            due_at=due,
            finished_at=finished,
            is_on_time=None if finished is None or due is None else finished <= due,
            working_days_taken=days,
            channel=channel,
            supplement_count=supplements,
            rating=rating,
            status="done" if finished else "processing",
        )
    DossierFactory(commune=cam_ly, procedure=khai_sinh, received_at=vn(2025, 10, 6, 9))
    DossierFactory(commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 11, 3, 9))  # outside the period


def test_one_communes_kpis_with_the_dashboard_formulas(dossiers, di_linh):
    data = commune_kpis(25000, date(2025, 10, 1), date(2025, 10, 31))
    assert isinstance(data, CommuneKpis)
    assert {k: v for k, v in asdict(data).items() if k != "by_field"} == {
        "received": 6,
        "finished": 4,
        "on_time": 2,
        "supplemented": 3,
        "online_rate": round(2 / 6, 4),
        "assisted_online_share": round(1 / 6, 4),
        "satisfaction_rate": round(2 / 3, 4),
        "rated": 3,
        "avg_working_days": 4.0,
    }
    assert (data.on_time_rate, data.late_rate, data.supplement_rate) == (0.5, 0.5, 0.5)
    # The same numbers as the dashboard's commune row, which reads the same counters.
    report = kpi.rates(kpi.total(date(2025, 10, 1), date(2025, 10, 31), commune_ids=[di_linh.pk]))
    assert {k: getattr(data, k) for k in report} == report
    assert data.by_field == {
        "ho_tich": DossierCounts(received=3, finished=2, on_time=1, supplemented=1),
        "dat_dai": DossierCounts(received=2, finished=2, on_time=1, supplemented=1),
    }
    ho_tich = data.by_field["ho_tich"]
    assert (ho_tich.on_time_rate, ho_tich.late_rate, ho_tich.supplement_rate) == (0.5, 0.5, round(1 / 3, 4))


def test_a_mid_month_period_and_an_empty_one(dossiers):
    data = commune_kpis(25000, date(2025, 10, 7), date(2025, 10, 9))
    assert data.received == 3 and data.by_field["ho_tich"].received == 1
    assert data.by_field["dat_dai"].late_rate == 0.5
    empty = commune_kpis(25000, date(2025, 9, 1), date(2025, 9, 30))
    assert empty.received == 0 and empty.on_time_rate is None and empty.by_field == {}


def test_everything_comes_from_counters_not_from_dossier_rows(dossiers):
    with CaptureQueriesContext(connection) as queries:
        commune_kpis(25000, date(2025, 10, 7), date(2025, 11, 30))
    tables = " ".join(q["sql"] for q in queries)
    assert "servicedesk_communedaystat" in tables and "servicedesk_communemonthstat" in tables
    assert "servicedesk_communedayfieldstat" in tables
    assert '"servicedesk_dossier"' not in tables


def test_an_unknown_commune_is_an_error(db):
    with pytest.raises(Commune.DoesNotExist):
        commune_kpis(99999, date(2025, 10, 1), date(2025, 10, 31))
