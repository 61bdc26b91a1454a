"""Estimates from the database's counters: the planted effect, no effect, partial months, the hotline rate,
the refusals by field, and who may ask."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.impact import services
from civicdesk.servicedesk.models import CommuneMonthStat

from .conftest import VN, as_request, lay_counters


def test_the_planted_8_points_are_recovered_and_said_in_vietnamese(quan, planted):
    _communes, treated = planted
    result = services.estimate(quan, as_request(quan.province, treated, kind="secondment"))
    did = result.did
    assert did.low <= 8 <= did.high and did.low > 0
    assert did.n_treated == 10 and did.n_control >= 10
    assert len(result.pre) == 6 and len(result.post) == 6
    assert result.sentence.startswith("Sau biệt phái, tỉ lệ đúng hạn của các xã được biệt phái tăng ")
    assert "so với các xã tương đồng không được biệt phái (khoảng tin cậy 95 %:" in result.sentence
    assert result.placebo is not None and result.placebo.covers_zero


def test_without_an_effect_the_sentence_says_the_data_show_none(quan, no_effect):
    _communes, treated = no_effect
    result = services.estimate(quan, as_request(quan.province, treated))
    assert result.did.covers_zero
    assert "số liệu chưa cho thấy tỉ lệ đúng hạn của các xã đã chọn thay đổi" in result.sentence


def test_the_start_month_is_left_out_when_it_does_not_start_on_the_first(quan, planted):
    _communes, treated = planted
    result = services.estimate(quan, as_request(quan.province, treated, start=date(2025, 7, 15)))
    assert result.pre[-1] == date(2025, 6, 1)
    assert result.post[0] == date(2025, 8, 1)
    assert date(2025, 7, 1) in result.months and date(2025, 7, 1) not in result.pre + result.post


def test_the_current_month_is_never_counted(quan, planted, lam_dong):
    _communes, treated = planted
    # January 2026 has counters, but on 15 January it is not over
    CommuneMonthStat.objects.bulk_create(
        CommuneMonthStat(
            commune=c, province=lam_dong, month=date(2026, 1, 1), received=50, finished=50, on_time=0
        )
        for c in _communes
    )
    result = services.estimate(quan, as_request(quan.province, treated, months_after=12))
    assert result.post[-1] == date(2025, 12, 1)
    with pytest.raises(ValidationError) as refused:
        services.estimate(quan, as_request(quan.province, treated, start=date(2026, 1, 1)))
    assert "start" in refused.value.message_dict


def test_hotline_questions_per_1000_dossiers(quan, lam_dong):
    from civicdesk.hotline.models import Ticket
    from civicdesk.impact import data
    from civicdesk.impact.indicators import INDICATORS

    communes, treated = lay_counters(lam_dong, 0.0, n=12, treated=3, seed=1)
    first = next(c for c in communes if c.code == treated[0])
    for day in (4, 5, 6):
        Ticket.objects.create(
            province=lam_dong,
            commune=first,
            title="Hỏi",
            body="?",
            created_at=datetime(2025, 8, day, 9, tzinfo=VN),
        )
    # 00:30 on 1 August in Vietnam is still 31 July in UTC: an August question all the same
    Ticket.objects.create(
        province=lam_dong,
        commune=first,
        title="Hỏi",
        body="?",
        created_at=datetime(2025, 8, 1, 0, 30, tzinfo=VN),
    )
    months = [date(2025, 7, 1), date(2025, 8, 1)]
    panel = data.load_panel(lam_dong, INDICATORS["hotline"], months)
    row = list(panel.codes).index(first.code)
    received = CommuneMonthStat.objects.get(commune=first, month=date(2025, 8, 1)).received
    assert panel.num[row].tolist() == [0, 4] and panel.den[row, 1] == received
    assert panel.scale == 1000  # 4 ÷ received × 1,000 questions per 1,000 dossiers
    result = services.estimate(quan, as_request(lam_dong, treated, indicator="hotline"))
    assert "câu hỏi trên 1.000 hồ sơ" in result.sentence


def test_refusals_by_field(quan, planted, other_province_commune):
    _communes, treated = planted
    with pytest.raises(ValidationError) as refused:
        services.estimate(quan, as_request(quan.province, [*treated, other_province_commune.code]))
    assert "Không có trong tỉnh: 26734" in refused.value.message_dict["communes"][0]
    with pytest.raises(ValidationError) as refused:
        services.estimate(quan, as_request(quan.province, treated, indicator="mood"))
    assert "indicator" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.estimate(quan, as_request(quan.province, treated, months_before=0))
    assert "months_before" in refused.value.message_dict
    all_codes = [c.code for c in _communes]
    with pytest.raises(ValidationError) as refused:
        services.estimate(quan, as_request(quan.province, all_codes))
    assert "Không còn xã nào khác" in refused.value.message_dict["communes"][0]


def test_only_the_province_roles_may_estimate(quan, noi, alice, phap, planted):
    _communes, treated = planted
    assert services.estimate(noi, as_request(noi.province, treated, indicator="online")).did.n_treated == 10
    for user in (alice, phap):
        with pytest.raises(PermissionDenied):
            services.estimate(user, as_request(quan.province, treated))


def test_saved_estimates_are_seen_in_their_province_only(quan, noi, alice, planted, other_province_commune):
    from civicdesk.impact.models import Estimate
    from tests.factories import UserFactory

    _communes, treated = planted
    result = services.estimate(quan, as_request(quan.province, treated))
    saved = services.save_estimate(quan, result)
    assert saved.n_treated == 10 and saved.result["sentence"] == result.sentence
    elsewhere = UserFactory(username="hcm", role="province_admin", province=other_province_commune.province)
    assert list(Estimate.objects.visible_to(noi)) == [saved]
    assert not Estimate.objects.visible_to(alice).exists()
    assert not Estimate.objects.visible_to(elsewhere).exists()
    with pytest.raises(PermissionDenied):
        services.save_estimate(alice, result)
