"""The adapter to the service desk and the hotline, and the demo's approximate commune positions."""

import sys
import types
from datetime import date
from types import SimpleNamespace

import pytest

from civicdesk.staffing import signals_in
from civicdesk.staffing.demo import ANCHORS, approximate_positions


def test_workload_is_none_without_the_other_apps(monkeypatch):
    monkeypatch.setattr(signals_in, "_query", lambda module, name: None)
    data = signals_in.commune_workload(SimpleNamespace(code=25000), date(2026, 1, 1), date(2026, 1, 31))
    assert all(data[k] is None for k in signals_in.KEYS) and data["sources"] == []


def test_workload_reads_the_query_functions(monkeypatch):
    calls = []
    sd = types.ModuleType("fake_sd")
    sd.commune_kpis = lambda code, a, b: (
        calls.append(("sd", code, a, b))
        or {
            "received": 61,
            "on_time_rate": 0.75,
            "supplement_rate": 12,
            "by_field": {"ho_tich": {"received": 30.44}},
        }
    )
    hl = types.ModuleType("fake_hl")
    hl.commune_ticket_stats = lambda commune, a, b: (
        calls.append(("hl", commune.code)) or {"total": 10, "sla_breaches": 2}
    )
    monkeypatch.setitem(sys.modules, "civicdesk.servicedesk.queries", sd)
    monkeypatch.setitem(sys.modules, "civicdesk.hotline.queries", hl)
    data = signals_in.commune_workload(SimpleNamespace(code=25000), date(2026, 1, 1), date(2026, 1, 30))
    months = 30 / 30.44
    assert calls[0] == ("sd", 25000, date(2026, 1, 1), date(2026, 1, 30)) and calls[1] == ("hl", 25000)
    assert data["dossiers_per_month"] == pytest.approx(61 / months)
    assert data["late_rate"] == pytest.approx(0.25) and data["supplement_rate"] == pytest.approx(0.12)
    assert data["hotline_questions"] == pytest.approx(10 / months) and data["sla_breaches"] == pytest.approx(
        2 / months
    )
    assert data["by_field"]["ho_tich"]["dossiers_per_month"] == pytest.approx(30.44 / months)
    assert data["sources"] == ["servicedesk", "hotline"]


def test_a_failing_app_gives_no_signal_rather_than_an_error(monkeypatch, caplog):
    sd = types.ModuleType("fake_sd")
    sd.commune_kpis = lambda *a: 1 / 0
    monkeypatch.setitem(sys.modules, "civicdesk.servicedesk.queries", sd)
    monkeypatch.setattr(signals_in, "hotline_stats", lambda *a: None)
    assert (
        signals_in.commune_workload(SimpleNamespace(code=1), date(2026, 1, 1), date(2026, 1, 2))["sources"]
        == []
    )


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
    """Against the service desk and hotline as they are today: no data yet, so no signal, and nothing logged."""
    data = signals_in.commune_workload(di_linh, date(2026, 1, 1), date(2026, 3, 31))
    assert data["sources"] == [] and not [r for r in caplog.records if r.levelname == "ERROR"]


def test_fallbacks_read_the_exposed_query_functions(monkeypatch, db, di_linh):
    kpi = types.ModuleType("fake_kpi")
    kpi.total = lambda a, b, commune_ids: {"n": 40, "ids": commune_ids}
    kpi.rates = lambda counts: {"received": counts["n"], "on_time_rate": 0.9, "supplement_rate": 0.1}
    hq = types.ModuleType("fake_hotline_queries")
    # tickets created on or after `since`: 12 from 1 January, 2 after 31 January
    hq.questions_per_commune = lambda province_id, since: {
        di_linh.pk: {"questions": 12 if since.month == 1 else 2}
    }
    monkeypatch.setitem(sys.modules, "civicdesk.servicedesk.queries", types.ModuleType("empty"))
    monkeypatch.setitem(sys.modules, "civicdesk.servicedesk.kpi", kpi)
    monkeypatch.setitem(sys.modules, "civicdesk.hotline.queries", hq)
    data = signals_in.commune_workload(di_linh, date(2026, 1, 1), date(2026, 1, 31))
    months = 31 / 30.44
    assert data["dossiers_per_month"] == pytest.approx(40 / months) and data["late_rate"] == pytest.approx(
        0.1
    )
    assert data["hotline_questions"] == pytest.approx(10 / months) and data["sla_breaches"] is None
