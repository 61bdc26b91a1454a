"""Approving a plan creates hundreds of secondments, so it takes two steps: "Phê duyệt phương án…" shows what will
happen (how many secondments, the period, how many communes, the decision number), and only "Xác nhận phê duyệt"
does it. The server never approves without that confirmation, nor a plan that sends nobody, nor a result that
changed after the planner read the numbers. Who approved, and when, shows on the plan and in the list."""

from datetime import date

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicdesk.staffing import services
from civicdesk.staffing.models import Plan, Secondment
from tests.factories import UserFactory

from .factories import NeedFactory, PlanFactory


@pytest.fixture
def solved(noi, needs, pool, lam_dong):
    """A solved plan of Lâm Đồng sending 4 people to 2 communes from 5 January 2026 for 3 months."""
    plan = services.solve_plan_now(
        noi, PlanFactory(province=lam_dong, total=4, period_start=date(2026, 1, 5))
    )
    assert plan.assignments.count() == 4
    return plan


def form_data(html, action):
    """The fields of the page's form posting to `action`, as the browser would send them."""
    doc = lxml.html.fromstring(html)
    form = next(f for f in doc.forms if (f.get("action") or "").endswith(action))
    return form, dict(form.form_values())


def test_the_plan_page_asks_first(client_for, noi, solved):
    html = client_for(noi).get(f"/staffing/plans/{solved.pk}/").content.decode()
    form, _values = form_data(html, f"/staffing/plans/{solved.pk}/approve/")
    assert form.get("method", "get").lower() == "get"  # showing the confirmation changes nothing
    assert "Phê duyệt phương án…" in html and "decision_number" in [i.name for i in form.inputs]


def test_the_confirmation_says_what_will_happen(client_for, noi, solved):
    client = client_for(noi)
    response = client.get(f"/staffing/plans/{solved.pk}/approve/", {"decision_number": "125"})
    html = response.content.decode()
    assert response.status_code == 200
    text = " ".join(lxml.html.fromstring(html).text_content().split())
    assert "4 hồ sơ biệt phái" in text
    assert "05/01/2026 – 04/04/2026 (3 tháng)" in text
    assert "2 xã, phường" in text
    assert "125/QĐ-UBND" in text
    assert "Xác nhận phê duyệt" in html and "Quay lại" in html
    # "Quay lại" goes back to the plan with what was typed
    back = lxml.html.fromstring(html).xpath('//a[contains(., "Quay lại")]')[0].get("href")
    assert back == f"/staffing/plans/{solved.pk}/?decision_number=125#plan-approve"
    assert 'value="125"' in client.get(back).content.decode()
    assert not Secondment.objects.exists() and Plan.objects.get(pk=solved.pk).status == "solved"


def test_confirming_approves_and_creates_the_secondments(client_for, noi, solved):
    client = client_for(noi)
    confirm = client.get(f"/staffing/plans/{solved.pk}/approve/", {"decision_number": "125/QĐ-UBND"})
    form, values = form_data(confirm.content.decode(), f"/staffing/plans/{solved.pk}/approve/")
    assert form.get("method").lower() == "post"
    response = client.post(form.get("action"), values)
    assert response.status_code == 302 and response.url == "/staffing/secondments/"
    solved.refresh_from_db()
    assert solved.status == "approved" and solved.decision_number == "125/QĐ-UBND"
    assert solved.approved_by == noi and solved.approved_at is not None
    assert Secondment.objects.filter(plan=solved).count() == 4


def test_confirming_twice_approves_once(client_for, noi, solved):
    client = client_for(noi)
    confirm = client.get(f"/staffing/plans/{solved.pk}/approve/")
    form, values = form_data(confirm.content.decode(), f"/staffing/plans/{solved.pk}/approve/")
    assert client.post(form.get("action"), values).status_code == 302
    again = client.post(form.get("action"), values, follow=True)
    assert again.redirect_chain[-1][0] == solved.get_absolute_url()
    assert "Phương án này đã được phê duyệt." in again.content.decode()
    assert Secondment.objects.filter(plan=solved).count() == 4


def test_one_click_approves_nothing(client_for, noi, solved):
    """A post without the confirmation (an old page, a script, a double click) only shows the confirmation."""
    response = client_for(noi).post(f"/staffing/plans/{solved.pk}/approve/", {"decision_number": "12"})
    assert response.status_code == 200 and "Xác nhận phê duyệt" in response.content.decode()
    solved.refresh_from_db()
    assert solved.status == "solved" and not Secondment.objects.exists()


def test_a_confirmation_of_an_older_result_is_refused(client_for, noi, solved, lam_dong, di_linh):
    client = client_for(noi)
    confirm = client.get(f"/staffing/plans/{solved.pk}/approve/")
    form, values = form_data(confirm.content.decode(), f"/staffing/plans/{solved.pk}/approve/")
    # meanwhile a colleague adds a need and solves the plan again: the numbers the planner confirmed are gone
    NeedFactory(commune=di_linh, field="mot_cua", units=1, priority=4)
    services.solve_plan_now(noi, Plan.objects.get(pk=solved.pk))
    response = client.post(form.get("action"), values)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Phương án vừa được giải lại" in html and "Xác nhận phê duyệt" in html
    assert not Secondment.objects.exists()


def test_with_htmx_the_confirmation_takes_the_approval_cards_place(client_for, noi, solved):
    client = client_for(noi)
    page = client.get(f"/staffing/plans/{solved.pk}/").content.decode()
    card = lxml.html.fromstring(page).get_element_by_id("plan-approve")
    form = card.xpath(".//form")[0]
    assert form.get("hx-get") == f"/staffing/plans/{solved.pk}/approve/"
    assert form.get("hx-target") == "#plan-approve" and form.get("hx-swap") == "outerHTML"
    partial = client.get(
        f"/staffing/plans/{solved.pk}/approve/", {"decision_number": "7"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and 'id="plan-approve"' in partial and "Xác nhận phê duyệt" in partial
    back = lxml.html.fromstring(partial).xpath('//a[contains(., "Quay lại")]')[0]
    assert back.get("hx-select") == "#plan-approve" and back.get("hx-target") == "#plan-approve"
    # a fresh load of the confirmation gives the same page, whole
    whole = client.get(f"/staffing/plans/{solved.pk}/approve/", {"decision_number": "7"}).content.decode()
    assert "<html" in whole and "Xác nhận phê duyệt" in whole and "7/QĐ-UBND" in whole


def test_a_decision_number_too_long_is_shown_in_place(client_for, noi, solved):
    response = client_for(noi).get(f"/staffing/plans/{solved.pk}/approve/", {"decision_number": "9" * 61})
    html = response.content.decode()
    assert response.status_code == 400 and "Xác nhận phê duyệt" not in html
    card = lxml.html.tostring(lxml.html.fromstring(html).get_element_by_id("plan-approve"), encoding=str)
    assert "9" * 61 in card and "errorlist" in card


def test_a_plan_that_sends_nobody_cannot_be_approved(client_for, noi, pool, lam_dong, di_linh):
    NeedFactory(commune=di_linh, field="xay_dung", units=2, priority=5)  # nobody in the pool builds
    di_linh.lat, di_linh.lon = 11.58, 108.07
    di_linh.save()
    plan = services.solve_plan_now(noi, PlanFactory(province=lam_dong, total=4))
    assert plan.status == "solved" and not plan.assignments.exists()
    with pytest.raises(ValidationError) as refused:
        services.approve_plan(noi, plan)
    assert "không cử ai" in refused.value.messages[0]
    client = client_for(noi)
    page = client.get(f"/staffing/plans/{plan.pk}/").content.decode()
    assert "Phê duyệt phương án…" not in page and "không cử ai" in page
    confirm = client.get(f"/staffing/plans/{plan.pk}/approve/").content.decode()
    assert "không cử ai" in confirm and "Xác nhận phê duyệt" not in confirm
    plan.refresh_from_db()
    assert plan.status == "solved" and not Secondment.objects.exists()


def test_the_plan_and_the_list_say_who_approved_and_when(client_for, noi, solved):
    services.approve_plan(noi, solved, decision_number="125")
    solved.refresh_from_db()
    at = timezone.localtime(solved.approved_at).strftime("%d/%m/%Y %H:%M")
    client = client_for(noi)
    page = " ".join(
        lxml.html.fromstring(client.get(f"/staffing/plans/{solved.pk}/").content).text_content().split()
    )
    assert f"Phê duyệt bởi Trần Nội lúc {at}" in page and "125/QĐ-UBND" in page
    listing = client.get("/staffing/plans/").content.decode()
    row = lxml.html.fromstring(listing).xpath(f'//tr[.//a[@href="/staffing/plans/{solved.pk}/"]]')[0]
    cells = [" ".join(c.text_content().split()) for c in row.xpath("./td")]
    assert any("Trần Nội" in c and at in c for c in cells), cells


@pytest.mark.parametrize("user", ["alice", "linh", "charlie", "phap"])
def test_only_home_affairs_sees_the_confirmation(request, client_for, user, solved):
    client = client_for(request.getfixturevalue(user))
    assert client.get(f"/staffing/plans/{solved.pk}/approve/").status_code == 403


def test_a_planner_of_another_province_sees_no_confirmation(client_for, solved, other_province_commune):
    other = UserFactory(role="home_affairs_planner", province=other_province_commune.province)
    assert client_for(other).get(f"/staffing/plans/{solved.pk}/approve/").status_code == 404
