"""The adapter to the service desk and the hotline, and the demo's approximate commune positions."""

from datetime import date
from types import SimpleNamespace

import pytest

from civicdesk.staffing import signals_in
from civicdesk.staffing.demo import ANCHORS, approximate_positions


def test_workload_is_none_when_the_other_apps_have_no_data(monkeypatch):
    monkeypatch.setattr("civicdesk.servicedesk.queries.commune_kpis", lambda code, a, b: {"received": 0})
    monkeypatch.setattr(
        "civicdesk.hotline.queries.commune_ticket_stats",
        lambda commune, a, b: {"questions": 0, "sla_breaches": 0, "by_field": {}},
    )
    data = signals_in.commune_workload(SimpleNamespace(code=25000), date(2026, 1, 1), date(2026, 1, 31))
    assert all(data[k] is None for k in signals_in.KEYS) and data["sources"] == []


def test_workload_reads_the_query_functions(monkeypatch):
    calls = []

    def kpis(code, a, b):
        calls.append(("sd", code, a, b))
        return {
            "received": 61,
            "on_time_rate": 0.75,
            "supplement_rate": 12,
            "by_field": {
                "ho_tich": {"received": 20, "finished": 10, "on_time": 9, "supplemented": 2},
                "chung_thuc": {"received": 10.44, "finished": 10, "on_time": 7, "supplemented": 1},
                "cu_tru": {
                    "received": 5,
                    "finished": 5,
                    "on_time": 5,
                    "supplemented": 0,
                },  # not a staffing line
            },
        }

    def tickets(commune, a, b):
        calls.append(("hl", commune.code))
        return {
            "questions": 10,
            "sla_breaches": 2,
            "by_field": {"dat_dai": {"questions": 4, "sla_breaches": 1}},
        }

    monkeypatch.setattr("civicdesk.servicedesk.queries.commune_kpis", kpis)
    monkeypatch.setattr("civicdesk.hotline.queries.commune_ticket_stats", tickets)
    data = signals_in.commune_workload(SimpleNamespace(code=25000), date(2026, 1, 1), date(2026, 1, 30))
    months = 30 / 30.44
    assert calls[0] == ("sd", 25000, date(2026, 1, 1), date(2026, 1, 30)) and calls[1] == ("hl", 25000)
    assert data["dossiers_per_month"] == pytest.approx(61 / months)
    assert data["late_rate"] == pytest.approx(0.25) and data["supplement_rate"] == pytest.approx(0.12)
    assert data["hotline_questions"] == pytest.approx(10 / months) and data["sla_breaches"] == pytest.approx(
        2 / months
    )
    # civil status and certification are one staffing line: counts added, rates recomputed from the counts
    assert data["by_field"]["ho_tich"] == pytest.approx(
        {"dossiers_per_month": 30.44 / months, "late_rate": 4 / 20, "supplement_rate": 3 / 30.44}
    )
    assert data["by_field"]["dat_dai"] == pytest.approx(
        {"hotline_questions": 4 / months, "sla_breaches": 1 / months}
    )
    assert set(data["by_field"]) == {"ho_tich", "dat_dai"}
    assert data["sources"] == ["servicedesk", "hotline"]


def test_a_failing_app_gives_no_signal_rather_than_an_error(monkeypatch, caplog):
    monkeypatch.setattr("civicdesk.servicedesk.queries.commune_kpis", lambda *a: 1 / 0)
    monkeypatch.setattr(signals_in, "hotline_stats", lambda *a: None)
    assert (
        signals_in.commune_workload(SimpleNamespace(code=1), date(2026, 1, 1), date(2026, 1, 2))["sources"]
        == []
    )
    assert "servicedesk KPIs failed" in caplog.text


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
