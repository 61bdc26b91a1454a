"""The adapter to the service desk and the hotline, and the demo's approximate commune positions."""

from datetime import date
from types import SimpleNamespace

import pytest

from civicdesk.hotline.queries import CommuneTicketStats, TicketCounts
from civicdesk.servicedesk.queries import CommuneKpis, DossierCounts
from civicdesk.staffing import signals_in
from civicdesk.staffing.demo import ANCHORS, approximate_positions


def test_workload_is_none_when_the_other_apps_have_no_data(monkeypatch):
    monkeypatch.setattr(
        "civicdesk.servicedesk.queries.commune_kpis",
        lambda code, since, until: CommuneKpis(received=0, finished=0, on_time=0, supplemented=0),
    )
    monkeypatch.setattr(
        "civicdesk.hotline.queries.commune_ticket_stats",
        lambda code, since, until: CommuneTicketStats(questions=0, sla_breaches=0),
    )
    data = signals_in.commune_workload(SimpleNamespace(code=25000), date(2026, 1, 1), date(2026, 1, 31))
    assert all(data[k] is None for k in signals_in.KEYS) and data["sources"] == []


def test_workload_reads_the_query_functions(monkeypatch):
    calls = []

    def kpis(code, since, until):
        calls.append(("sd", code, since, until))
        return CommuneKpis(
            received=61,
            finished=40,
            on_time=30,
            supplemented=7,
            by_field={
                "ho_tich": DossierCounts(received=20, finished=10, on_time=9, supplemented=2),
                "chung_thuc": DossierCounts(received=10, finished=10, on_time=7, supplemented=1),
                "cu_tru": DossierCounts(
                    received=5, finished=5, on_time=5, supplemented=0
                ),  # not a staffing line
            },
        )

    def tickets(code, since, until):
        calls.append(("hl", code, since, until))
        return CommuneTicketStats(
            questions=10, sla_breaches=2, by_field={"dat_dai": TicketCounts(questions=4, sla_breaches=1)}
        )

    monkeypatch.setattr("civicdesk.servicedesk.queries.commune_kpis", kpis)
    monkeypatch.setattr("civicdesk.hotline.queries.commune_ticket_stats", tickets)
    since, until = date(2026, 1, 1), date(2026, 1, 30)
    data = signals_in.commune_workload(SimpleNamespace(code=25000), since, until)
    months = 30 / 30.44
    # Both apps are asked the same way: the commune's code and the period.
    assert calls == [("sd", 25000, since, until), ("hl", 25000, since, until)]
    assert data["dossiers_per_month"] == pytest.approx(61 / months)
    assert data["late_rate"] == pytest.approx(0.25) and data["supplement_rate"] == pytest.approx(0.1148)
    assert data["hotline_questions"] == pytest.approx(10 / months) and data["sla_breaches"] == pytest.approx(
        2 / months
    )
    # civil status and certification are one staffing line: counts added, rates from the added counts
    assert data["by_field"]["ho_tich"] == pytest.approx(
        {"dossiers_per_month": 30 / months, "late_rate": 4 / 20, "supplement_rate": 0.1}
    )
    assert data["by_field"]["dat_dai"] == pytest.approx(
        {"hotline_questions": 4 / months, "sla_breaches": 1 / months}
    )
    assert set(data["by_field"]) == {"ho_tich", "dat_dai"}
    assert data["sources"] == ["servicedesk", "hotline"]


def test_a_failing_app_is_an_error_not_a_missing_signal(monkeypatch):
    """A broken query must show, not pass for "no data" and leave the planner's figures silently stale."""
    monkeypatch.setattr("civicdesk.servicedesk.queries.commune_kpis", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        signals_in.commune_workload(SimpleNamespace(code=1), date(2026, 1, 1), date(2026, 1, 2))


def test_handbook_fields_fold_into_staffing_lines():
    assert signals_in.staffing_field("chung_thuc") == "ho_tich"
    assert signals_in.staffing_field("ho_kinh_doanh") == "dang_ky_kinh_doanh"
    assert signals_in.staffing_field("chuyen_doi_so") == "cntt"
    assert signals_in.staffing_field("cu_tru") is None and signals_in.staffing_field("bench") is None


def test_demo_positions_come_from_former_district_centres():
    communes = [
        SimpleNamespace(code=25000, name="Xã Di Linh"),
        SimpleNamespace(code=25001, name="Xã Không Rõ"),
        SimpleNamespace(code=24787, name="Phường Cam Ly - Đà Lạt"),
        SimpleNamespace(code=23272, name="Đặc khu Phú Quý"),
    ]
    positions = approximate_positions(communes)
    for commune, anchor in [
        (communes[0], "di_linh"),
        (communes[1], "di_linh"),
        (communes[2], "da_lat"),
        (communes[3], "phu_quy"),
    ]:
        lat, lon, key = positions[commune.code]
        assert key == anchor
        assert abs(lat - ANCHORS[anchor][0]) <= 0.04 and abs(lon - ANCHORS[anchor][1]) <= 0.04
    assert approximate_positions(communes) == positions  # deterministic


def test_the_real_apps_answer_without_errors(db, di_linh, caplog):
    """Against the service desk and hotline with no data for the period: no signal, and nothing logged."""
    data = signals_in.commune_workload(di_linh, date(2026, 1, 1), date(2026, 3, 31))
    assert data["sources"] == [] and not [r for r in caplog.records if r.levelname == "ERROR"]
