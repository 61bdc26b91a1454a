"""The plan form (create, edit, copy) refuses what cannot be a secondment plan, in place and in Vietnamese, and keeps
what the planner typed: a total of nobody or more people than the pool holds, a start long past or years ahead,
a period of 0 or more than 24 months."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicdesk.staffing import services
from civicdesk.staffing.forms import START_FUTURE_DAYS, START_PAST_DAYS
from civicdesk.staffing.models import Plan
from tests.factories import ProvinceFactory

from .factories import PlanFactory, StaffMemberFactory


def today():
    return timezone.localdate()


def params(**changes):
    data = {
        "name": "Đợt 2",
        "total": 3,
        "distance_weight": 0.01,
        "max_per_commune": 4,
        "time_limit": 60,
        "period_start": today().isoformat(),
        "period_months": 3,
    }
    data.update(changes)
    return data


@pytest.fixture
def planner(client_for, noi, pool, lam_dong, tu_phap):
    # not in the active pool: someone out of the list, someone of another province
    StaffMemberFactory(province=lam_dong, department=tu_phap, code="OFF", is_active=False)
    StaffMemberFactory(province=ProvinceFactory(code=79, name="Hồ Chí Minh"), code="HCM")
    return client_for(noi)


POOL_SIZE = 4  # the `pool` fixture's active people in Lâm Đồng

BAD_TOTAL = "Tổng số người phải từ 1 đến 4 (số người đang có trong nguồn biệt phái)."


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("total", 0, BAD_TOTAL),
        ("total", 2000, BAD_TOTAL),
        ("total", POOL_SIZE + 1, BAD_TOTAL),
        ("period_start", "2000-01-03", "Ngày bắt đầu không được sớm hơn"),
        ("period_start", "+400", "Ngày bắt đầu không được muộn hơn"),
        ("period_start", f"-{START_PAST_DAYS + 1}", "Ngày bắt đầu không được sớm hơn"),
        ("period_months", 0, "Thời hạn biệt phái từ 1 đến 24 tháng."),
        ("period_months", 25, "Thời hạn biệt phái từ 1 đến 24 tháng."),
    ],
)
def test_creating_refuses_what_cannot_be_a_plan(planner, field, value, error):
    if isinstance(value, str) and value[0] in "+-":
        value = (today() + timedelta(days=int(value))).isoformat()
    response = planner.post("/staffing/plans/", params(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 400 and not Plan.objects.exists()
    assert error in html
    # the error sits with its field, and what was typed is still there
    field_html = html[html.index(f'id="id_{field}"') - 600 :]
    assert error in field_html[:1500] and f'value="{value}"' in field_html[:1500]


def test_the_limits_themselves_are_accepted(planner):
    earliest = today() - timedelta(days=START_PAST_DAYS)
    latest = today() + timedelta(days=START_FUTURE_DAYS)
    for start, total, months in ((earliest, 1, 1), (latest, POOL_SIZE, 24)):
        response = planner.post(
            "/staffing/plans/", params(name=str(start), total=total, period_start=start, period_months=months)
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert Plan.objects.count() == 2


def test_the_form_says_what_the_limits_are(planner):
    html = planner.get("/staffing/plans/").content.decode()
    total = html[html.index('id="id_total"') - 300 :][:600]
    assert 'min="1"' in total and f'max="{POOL_SIZE}"' in total
    start = html[html.index('id="id_period_start"') - 300 :][:600]
    assert f'min="{today() - timedelta(days=START_PAST_DAYS):%Y-%m-%d}"' in start
    months = html[html.index('id="id_period_months"') - 300 :][:600]
    assert 'min="1"' in months and 'max="24"' in months


def test_editing_applies_the_same_limits(planner, lam_dong):
    plan = PlanFactory(province=lam_dong, total=3, period_start=today())
    response = planner.post(f"/staffing/plans/{plan.pk}/edit/", params(total=2000, period_months=0))
    html = response.content.decode()
    assert response.status_code == 400
    assert BAD_TOTAL in html and "Thời hạn biệt phái từ 1 đến 24 tháng." in html
    assert 'value="2000"' in html
    plan.refresh_from_db()
    assert plan.total == 3 and plan.period_months == 3


def test_editing_an_older_plan_keeps_its_start(planner, lam_dong):
    """A plan started two months ago may still be renamed: only a start the planner changes must be recent."""
    old = today() - timedelta(days=60)
    plan = PlanFactory(province=lam_dong, total=3, period_start=old)
    response = planner.post(f"/staffing/plans/{plan.pk}/edit/", params(name="Đổi tên", period_start=old))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "Đổi tên" and plan.period_start == old
    moved = planner.post(
        f"/staffing/plans/{plan.pk}/edit/", params(period_start=old - timedelta(days=1))
    ).content.decode()
    assert "Ngày bắt đầu không được sớm hơn" in moved


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"total": 0}, BAD_TOTAL),
        ({"total": 2000}, BAD_TOTAL),
        ({"period_start": "2000-01-03"}, "Ngày bắt đầu không được sớm hơn"),
        ({"period_months": 0}, "Thời hạn biệt phái từ 1 đến 24 tháng."),
    ],
)
def test_copying_applies_the_same_limits(planner, lam_dong, data, error):
    plan = PlanFactory(province=lam_dong, total=3, period_start=today())
    response = planner.post(f"/staffing/plans/{plan.pk}/copy/", {"name": "Bản sao", "total": 2, **data})
    assert response.status_code == 400 and error in response.content.decode()
    assert Plan.objects.count() == 1


def test_copying_an_old_plan_asks_for_a_new_start(planner, lam_dong):
    old = PlanFactory(province=lam_dong, total=3, period_start=date(2000, 1, 3), period_months=6)
    page = planner.get(f"/staffing/plans/{old.pk}/").content.decode()
    assert 'value="2000-01-03"' in page  # the copy starts from the plan's own period …
    refused = planner.post(f"/staffing/plans/{old.pk}/copy/", {"name": "Bản sao", "total": 2})
    assert refused.status_code == 400 and "Ngày bắt đầu không được sớm hơn" in refused.content.decode()
    start = today() + timedelta(days=7)
    copied = planner.post(
        f"/staffing/plans/{old.pk}/copy/",
        {"name": "Bản sao", "total": 2, "period_start": start.isoformat(), "period_months": 4},
    )
    assert copied.status_code == 302  # … and takes the new one
    new = Plan.objects.get(name="Bản sao")
    assert (new.total, new.period_start, new.period_months) == (2, start, 4)


def test_the_service_refuses_a_plan_for_nobody(noi, lam_dong):
    """The API goes through the same service: a total of 0 people is refused there too."""
    with pytest.raises(ValidationError) as refused:
        services.create_plan(noi, lam_dong, name="Rỗng", total=0, period_start=today(), period_months=3)
    assert "Tổng số người phải ít nhất là 1." in refused.value.messages
    assert not Plan.objects.exists()
