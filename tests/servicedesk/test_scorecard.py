"""The Decision 766 scorecard: catalogue, formulas on known counters, periods, targets, the map's colours."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from civicdesk.servicedesk import kpi, scorecard, scorecard_charts
from civicdesk.servicedesk.scorecard import Period

from .factories import DossierFactory, vn


def test_the_catalogue_holds_five_groups_and_invents_no_points():
    assert [g.code for g in scorecard.GROUPS] == ["cong_khai", "tien_do", "truc_tuyen", "hai_long", "so_hoa"]
    assert sum(g.max_points for g in scorecard.GROUPS) == scorecard.TOTAL_MAX == 100
    # Not checked against the decision's text: every group maximum and every indicator is flagged, none scored.
    assert all(g.needs_verification for g in scorecard.GROUPS)
    for indicator in scorecard.INDICATORS:
        assert indicator.needs_verification and indicator.max_points is None and not indicator.scored
        assert indicator.source == "Quyết định 766/QĐ-TTg (2022)" and str(indicator.formula)
        assert indicator.group in scorecard.GROUP_BY_CODE
        if indicator.measured:
            assert set(indicator.counters) <= set(kpi.COUNTERS) and not indicator.not_measured_reason
        else:
            assert str(indicator.not_measured_reason)
    assert all(scorecard.indicators_of(g.code) for g in scorecard.GROUPS)


def counts(**values):
    return kpi.empty() | values


def test_formulas_on_known_counters():
    now = counts(received=200, finished=100, on_time=90, online=50, rated=40, satisfied=30, digitised=120,
                 result_electronic=25)  # fmt: skip
    before = counts(received=100, finished=80, on_time=60, online=10)
    groups, total, previous_total = scorecard.score(now, before, targets={"td_dung_han": Decimal("95")})
    by_code = {s.indicator.code: s for g in groups for s in g.indicators}
    on_time = by_code["td_dung_han"]
    assert (on_time.numerator, on_time.denominator, on_time.value, on_time.previous) == (90, 100, 0.9, 0.75)
    assert on_time.change == 15.0 and on_time.target == Decimal("95") and on_time.meets_target is False
    assert by_code["tt_ho_so"].value == 0.25 and by_code["tt_ho_so"].previous == 0.1
    assert by_code["hl_hai_long"].value == 0.75 and by_code["hl_hai_long"].previous is None  # nobody rated
    assert by_code["sh_ho_so"].value == 0.6 and by_code["sh_ket_qua"].value == 0.25
    # Not measured: no value, no points — never a zero.
    for code in ("ck_cong_bo", "ck_dong_bo", "tt_thu_tuc", "tt_thanh_toan", "sh_tai_su_dung"):
        assert by_code[code].value is None and by_code[code].points is None
    # Unverified points are not computed, so no group or total either.
    assert all(g.points is None for g in groups) and total is None and previous_total is None


def test_points_are_computed_once_an_indicator_is_verified():
    """The scoring path, on a catalogue whose points a test declares verified (not the decision's numbers)."""
    verified = [
        replace(i, max_points=Decimal("10"), scoring="proportional", needs_verification=False)
        for i in scorecard.INDICATORS
        if i.group == "tien_do"
    ]
    group = replace(scorecard.GROUP_BY_CODE["tien_do"], max_points=10, needs_verification=False)
    groups, total, _previous = scorecard.score(
        counts(finished=8, on_time=6), counts(finished=4, on_time=4), catalogue=verified, groups=[group]
    )
    assert groups[0].indicators[0].points == Decimal("7.50") and groups[0].indicators[0].previous_points == 10
    assert groups[0].points == Decimal("7.50") and total == Decimal("7.50")


def test_default_period_is_the_last_full_quarter():
    assert scorecard.last_full_quarter(date(2026, 1, 15)) == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert scorecard.last_full_quarter(date(2025, 10, 1)) == Period(date(2025, 7, 1), date(2025, 9, 30))
    assert scorecard.last_full_quarter(date(2025, 12, 31)) == Period(date(2025, 7, 1), date(2025, 9, 30))


def test_previous_period_has_the_same_length():
    q4 = Period(date(2025, 10, 1), date(2025, 12, 31))
    assert scorecard.previous_period(q4) == Period(date(2025, 7, 1), date(2025, 9, 30))
    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    assert scorecard.previous_period(year) == Period(date(2024, 1, 1), date(2024, 12, 31))
    odd = Period(date(2025, 10, 15), date(2025, 11, 14))  # 31 days, not whole months
    before = scorecard.previous_period(odd)
    assert before == Period(date(2025, 9, 14), date(2025, 10, 14)) and before.days == odd.days


def test_partial_months_at_the_edges_are_marked():
    period = Period(date(2025, 10, 15), date(2025, 12, 10))
    assert period.partial_months() == [
        (date(2025, 10, 15), date(2025, 10, 31)),
        (date(2025, 12, 1), date(2025, 12, 10)),
    ]
    label = scorecard.month_label(date(2025, 10, 15), date(2025, 10, 31))
    assert (label["days"], label["of"]) == (17, 31)
    assert Period(date(2025, 10, 1), date(2025, 12, 31)).partial_months() == []
    assert period.unfinished(date(2025, 12, 10)) and not period.unfinished(date(2025, 12, 11))


@pytest.fixture
def quarter(di_linh, cam_ly, khai_sinh):
    """Di Linh: 4 dossiers in Q4 2025 (one on 15/10, in a partial month), 1 in Q3; Cam Ly: 1 in Q4."""

    def make(commune, received, finished=None, on_time=None, **extra):
        return DossierFactory(
            commune=commune, procedure=khai_sinh, received_at=received, finished_at=finished,
            is_on_time=on_time, **extra,
        )  # fmt: skip

    make(di_linh, vn(2025, 10, 15, 9), vn(2025, 10, 16, 9), True, documents_digitised=True, result_electronic=True,
         channel="truc_tuyen", rating=5)  # fmt: skip
    make(di_linh, vn(2025, 11, 3, 9), vn(2025, 11, 10, 9), False, documents_digitised=True)
    make(di_linh, vn(2025, 12, 1, 9), vn(2025, 12, 2, 9), True, result_electronic=True, rating=2)
    make(di_linh, vn(2025, 12, 31, 23), documents_digitised=True)  # 31/12 late evening, open
    make(di_linh, vn(2025, 8, 4, 9), vn(2025, 8, 5, 9), False)
    make(
        cam_ly,
        vn(2025, 11, 20, 9),
        vn(2025, 11, 21, 9),
        True,
        documents_digitised=True,
        result_electronic=True,
    )


def test_commune_and_province_scorecards_from_counters(
    quarter, lam_dong, di_linh, django_assert_max_num_queries
):
    q4 = Period(date(2025, 10, 1), date(2025, 12, 31))
    with django_assert_max_num_queries(8):
        result = scorecard.compute(lam_dong, q4, commune=di_linh, with_communes=False)
    card = result.scorecard
    assert card.previous_period == Period(date(2025, 7, 1), date(2025, 9, 30)) and result.communes == []
    on_time = card.indicator("td_dung_han")
    assert (on_time.numerator, on_time.denominator, on_time.previous) == (2, 3, 0.0)
    assert card.indicator("sh_ho_so").value == 0.75  # 3 of 4 received
    assert card.indicator("sh_ket_qua").value == round(2 / 3, 4)  # 2 of 3 finished
    assert card.indicator("tt_ho_so").value == 0.25 and card.indicator("hl_hai_long").value == 0.5

    province = scorecard.compute(lam_dong, q4).scorecard
    assert (
        province.indicator("td_dung_han").numerator == 3 and province.indicator("sh_ho_so").denominator == 5
    )
    # A period starting mid-month sums the edge days from the day counters.
    half = scorecard.compute(
        lam_dong, Period(date(2025, 10, 16), date(2025, 12, 31)), commune=di_linh
    ).scorecard
    assert half.indicator("sh_ho_so").denominator == 3


def test_field_filter_applies_only_where_field_counters_exist(quarter, lam_dong, khai_sinh):
    q4 = Period(date(2025, 10, 1), date(2025, 12, 31))
    card = scorecard.compute(lam_dong, q4, field_id=khai_sinh.field_id).scorecard
    assert card.indicator("td_dung_han").numerator == 3 and card.indicator("sh_ket_qua").numerator == 3
    assert card.indicator("tt_ho_so").filtered_out and card.indicator("tt_ho_so").value is None
    assert card.indicator("hl_hai_long").filtered_out
    other = scorecard.compute(lam_dong, q4, field_id=khai_sinh.field_id + 999).scorecard
    assert other.indicator("td_dung_han").denominator == 0 and other.indicator("td_dung_han").value is None


def test_province_targets_are_the_target_lines(quarter, lam_dong, quan, di_linh):
    from civicdesk.servicedesk.services import set_targets

    set_targets(quan, lam_dong, {"td_dung_han": "95", "sh_ho_so": "50,5"})
    q4 = Period(date(2025, 10, 1), date(2025, 12, 31))
    card = scorecard.compute(lam_dong, q4, commune=di_linh, with_communes=False).scorecard
    assert card.indicator("td_dung_han").target == Decimal("95.0")
    assert card.indicator("sh_ho_so").target == Decimal("50.5") and card.indicator("sh_ho_so").meets_target
    assert card.indicator("tt_ho_so").target is None
    set_targets(quan, lam_dong, {"td_dung_han": ""})
    assert scorecard.province_targets(lam_dong.pk) == {"sh_ho_so": Decimal("50.5")}


def test_only_the_province_admin_sets_targets(lam_dong, noi, alice):
    from django.core.exceptions import PermissionDenied

    from civicdesk.servicedesk.services import set_targets

    for user in (noi, alice):
        with pytest.raises(PermissionDenied):
            set_targets(user, lam_dong, {"td_dung_han": "90"})


def test_targets_are_validated(lam_dong, quan):
    from django.core.exceptions import ValidationError

    from civicdesk.servicedesk.services import set_targets

    with pytest.raises(ValidationError) as exc:
        set_targets(quan, lam_dong, {"td_dung_han": "120", "ck_cong_bo": "90", "sh_ho_so": "abc"})
    assert set(exc.value.message_dict) == {"td_dung_han", "ck_cong_bo", "sh_ho_so"}
    assert scorecard.province_targets(lam_dong.pk) == {}


def test_map_colours_each_commune_by_the_chosen_indicator(di_linh, cam_ly, lam_dong):
    di_linh.lat, di_linh.lon = 11.58, 108.07
    cam_ly.lat, cam_ly.lon = 11.94, 108.43
    good = scorecard.IndicatorScore(scorecard.INDICATOR_BY_CODE["td_dung_han"], 96, 100, 0.96)
    empty = scorecard.IndicatorScore(scorecard.INDICATOR_BY_CODE["td_dung_han"])
    svg = str(scorecard_charts.province_map(
        [(di_linh, good, "/a/"), (cam_ly, empty, "/b/")], title="Đúng hạn", selected=di_linh.pk
    ))  # fmt: skip
    assert 'data-code="25000" data-fill="#2c7bb6"' in svg and 'data-code="24787" data-fill="#bdbdbd"' in svg
    assert "Xã Di Linh: 96,0% (96/100)" in svg and 'href="/a/"' in svg and "sc-selected" in svg
    assert scorecard_charts.colour_for(0.49) == "#d7191c" and scorecard_charts.colour_for(0.5) == "#fdae61"
    assert scorecard_charts.colour_for(0.95) == scorecard_charts.colour_for(1.0) == "#2c7bb6"
    assert [label for _c, label in scorecard_charts.legend()][-1] == "Chưa có dữ liệu"


def test_a_commune_without_coordinates_is_left_off_the_map(di_linh):
    score = scorecard.IndicatorScore(scorecard.INDICATOR_BY_CODE["td_dung_han"])
    svg = str(scorecard_charts.province_map([(di_linh, score, "/a/")], title="x"))
    assert "<circle" not in svg and svg.startswith("<svg")
