"""KPI formulas on hand-made data: every rate, local-date periods, whole and partial months, the CLI and API."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from civicdesk.servicedesk import kpi
from civicdesk.servicedesk.services import rebuild_all_stats

from .factories import DossierFactory, vn


@pytest.fixture
def july(di_linh, cam_ly, khai_sinh):
    """Di Linh: 5 dossiers in July 2025; Cam Ly: 1. Chosen so every rate has a distinct, checkable value."""
    make = DossierFactory
    rows = [
        # received, due, finished, channel, supplements, rating
        (vn(2025, 7, 1, 8), vn(2025, 7, 4, 8), vn(2025, 7, 3, 8), "truc_tiep", 0, 5),  # on time
        (vn(2025, 7, 2, 8), vn(2025, 7, 5, 8), vn(2025, 7, 7, 8), "truc_tuyen", 1, 2),  # late
        (
            vn(2025, 7, 3, 8),
            vn(2025, 7, 8, 8),
            vn(2025, 7, 8, 8),
            "truc_tuyen_ho_tro",
            2,
            4,
        ),  # on time (equal)
        (vn(2025, 7, 4, 8), vn(2025, 7, 9, 8), None, "truc_tuyen_ho_tro", 0, None),  # open
        (vn(2025, 7, 31, 23, 30), vn(2025, 8, 5, 8), None, "luu_dong", 0, None),  # 31/7 local, late evening
    ]
    for received, due, finished, channel, supplements, rating in rows:
        make(
            commune=di_linh,
            procedure=khai_sinh,
            received_at=received,
            due_at=due,
            finished_at=finished,
            is_on_time=None if finished is None else finished <= due,
            working_days_taken=None if finished is None else 2.0,
            channel=channel,
            supplement_count=supplements,
            rating=rating,
            status="done" if finished else "processing",
        )
    # 1 August 00:30 local is 31 July 17:30 UTC: it belongs to August.
    make(commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 8, 1, 0, 30))
    make(commune=cam_ly, procedure=khai_sinh, received_at=vn(2025, 7, 15, 9), channel="buu_chinh")


def test_commune_rates_follow_the_written_formulas(july, lam_dong):
    report = kpi.province_report(lam_dong, date(2025, 7, 1), date(2025, 7, 31))
    di_linh = next(c for c in report["communes"] if c["commune_code"] == 25000)
    assert di_linh == {
        "commune_code": 25000,
        "commune_name": "Xã Di Linh",
        "received": 5,
        "finished": 3,
        "on_time": 2,
        "on_time_rate": round(2 / 3, 4),
        "online_rate": 0.6,  # truc_tuyen + 2 × truc_tuyen_ho_tro
        "assisted_online_share": 0.4,
        "supplement_rate": 0.4,  # 2 dossiers with ≥ 1 request (not 3 requests)
        "satisfaction_rate": round(2 / 3, 4),  # 5★ and 4★ of 3 ratings
        "rated": 3,
        "avg_working_days": 2.0,
    }
    cam_ly = next(c for c in report["communes"] if c["commune_code"] == 24787)
    assert cam_ly["received"] == 1 and cam_ly["on_time_rate"] is None and cam_ly["satisfaction_rate"] is None
    assert cam_ly["online_rate"] == 0.0
    assert report["total"]["received"] == 6 and report["total"]["online_rate"] == 0.5


def test_partial_months_match_whole_months(july, lam_dong):
    whole = kpi.province_report(lam_dong, date(2025, 7, 1), date(2025, 7, 31))["total"]
    partial = kpi.province_report(lam_dong, date(2025, 7, 1), date(2025, 7, 30))["total"]
    assert partial["received"] == whole["received"] - 1  # the 31/7 evening dossier
    two_months = kpi.province_report(lam_dong, date(2025, 7, 1), date(2025, 8, 31))["total"]
    assert two_months["received"] == 7
    only_first_of_august = kpi.province_report(lam_dong, date(2025, 8, 1), date(2025, 8, 1))["total"]
    assert only_first_of_august["received"] == 1


def test_counters_rebuild_to_the_same_numbers(july, lam_dong):
    before = kpi.province_report(lam_dong, date(2025, 7, 1), date(2025, 8, 31))
    rebuild_all_stats()
    assert kpi.province_report(lam_dong, date(2025, 7, 1), date(2025, 8, 31)) == before


def test_monthly_series(july, di_linh):
    series = kpi.monthly_series(date(2025, 6, 1), date(2025, 8, 31), commune_ids=[di_linh.pk])
    assert [(m.month, r["received"]) for m, r in series] == [(6, 0), (7, 5), (8, 1)]
    assert series[0][1]["on_time_rate"] is None


def test_a_finished_dossier_without_due_date_is_not_counted_on_time(di_linh, lam_dong):
    DossierFactory(
        commune=di_linh, procedure=None, due_at=None, finished_at=vn(2025, 10, 7, 9), is_on_time=None
    )
    total = kpi.province_report(lam_dong, date(2025, 10, 1), date(2025, 10, 31))["total"]
    assert (total["finished"], total["on_time_rate"]) == (1, 0.0)


def test_kpi_command_json(july, lam_dong):
    out = StringIO()
    call_command(
        "kpi", "--province", "68", "--from", "2025-07-01", "--to", "2025-12-31", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert (data["province"], data["from"], data["to"]) == (68, "2025-07-01", "2025-12-31")
    assert data["total"]["received"] == 7
    keys = {"commune_code", "received", "finished", "on_time_rate", "online_rate", "assisted_online_share"}
    keys |= {"supplement_rate", "satisfaction_rate", "rated"}
    assert all(keys <= set(c) for c in data["communes"])
    text = StringIO()
    call_command("kpi", "--province", "68", "--from", "2025-07-01", "--to", "2025-07-31", stdout=text)
    assert "Xã Di Linh" in text.getvalue()


def test_kpi_command_refuses_bad_input(lam_dong):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("kpi", "--province", "68", "--from", "2025-13-01", "--to", "2025-12-31")
    with pytest.raises(CommandError, match="phải trước"):
        call_command("kpi", "--province", "68", "--from", "2025-12-01", "--to", "2025-07-31")
    with pytest.raises(CommandError, match="Không có tỉnh"):
        call_command("kpi", "--province", "1", "--from", "2025-07-01", "--to", "2025-07-31")
