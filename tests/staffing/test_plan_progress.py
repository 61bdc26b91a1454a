"""While a plan is being solved its page polls the job's progress, and reloads itself with the result when the job
ends: the planner never has to press F5 to leave "Đang giải". The poll is the plan page itself, asked by htmx for
its `#plan-solving` block (HX-Target)."""

import lxml.html
import pytest

from civicdesk.core.models import Job
from civicdesk.staffing import services
from civicdesk.staffing.models import Plan
from tests.factories import UserFactory

from .factories import PlanFactory


@pytest.fixture
def running(noi, lam_dong):
    job = Job.objects.create(
        kind="staffing.plan", title="Giải", created_by=noi, progress=40, message="Đang tìm"
    )
    return PlanFactory(province=lam_dong, status="running", job=job)


def poller(html):
    return lxml.html.fromstring(html).get_element_by_id("plan-solving")


def poll(client, plan):
    """What htmx sends every second from the plan page."""
    return client.get(plan.get_absolute_url(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="plan-solving")


def test_the_running_plan_page_polls_the_plans_progress(client_for, noi, running):
    page = client_for(noi).get(f"/staffing/plans/{running.pk}/").content.decode()
    div = poller(page)
    assert div.get("hx-get") == f"/staffing/plans/{running.pk}/"
    assert div.get("hx-trigger") == "every 1s" and div.get("hx-swap") == "outerHTML"
    assert "40%" in div.text_content() and "Đang tìm" in div.text_content()
    # the job's own poll is switched off inside: one request a second, not two
    inner = div.xpath(f'.//*[@id="job-{running.job.pk}"]')[0]
    assert any(a.get("hx-disable") is not None for a in inner.iterancestors() if a is not div)


def test_the_progress_partial_follows_the_job(client_for, noi, running):
    client = client_for(noi)
    Job.objects.filter(pk=running.job.pk).update(status="running", progress=70, message="Đã có nghiệm")
    response = poll(client, running)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "HX-Refresh" not in response.headers
    div = poller(html)
    assert div.get("hx-trigger") == "every 1s" and "70%" in div.text_content()


def test_when_the_plan_is_solved_the_page_reloads_itself(
    client_for, noi, needs, pool, lam_dong, django_capture_on_commit_callbacks
):
    plan = PlanFactory(province=lam_dong, total=4)
    client = client_for(noi)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.run_plan(noi, plan)
    plan.refresh_from_db()
    assert (
        plan.status == "running" and poller(client.get(plan.get_absolute_url()).content.decode()) is not None
    )
    assert poll(client, plan).headers.get("HX-Refresh") is None
    for callback in callbacks:  # the worker picks the job up and solves it
        callback()
    plan.refresh_from_db()
    assert plan.status == "solved"
    response = poll(client, plan)
    assert response.status_code == 200 and response.headers["HX-Refresh"] == "true"
    # and the reload shows the result, with nothing polling any more
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Kết quả bộ giải" in page and 'id="plan-solving"' not in page and "every 1s" not in page


def test_a_failed_job_stops_the_polling_and_says_so(client_for, noi, running):
    Job.objects.filter(pk=running.job.pk).update(status="failed", message="Lỗi bộ giải")
    div = poller(poll(client_for(noi), running).content.decode())
    assert div.get("hx-trigger") is None and "Lỗi bộ giải" in div.text_content()


def test_other_htmx_requests_get_the_whole_page(client_for, noi, running):
    """The "Quay lại" of the approval asks htmx for the whole plan page and picks its card from it."""
    response = client_for(noi).get(
        running.get_absolute_url(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="plan-approve"
    )
    assert "<html" in response.content.decode() and "HX-Refresh" not in response.headers


@pytest.mark.parametrize("user", ["alice", "linh", "charlie", "phap"])
def test_only_planners_follow_the_progress(request, client_for, user, running):
    assert poll(client_for(request.getfixturevalue(user)), running).status_code == 403


def test_a_planner_of_another_province_gets_404(client_for, running, other_province_commune):
    other = UserFactory(role="home_affairs_planner", province=other_province_commune.province)
    assert poll(client_for(other), running).status_code == 404
    assert Plan.objects.get(pk=running.pk).status == "running"


def test_a_plan_whose_solve_job_crashed_can_go_back_to_draft(client_for, noi, needs, pool, lam_dong):
    from civicdesk.core.models import Job
    from civicdesk.staffing.models import Plan

    from .factories import PlanFactory

    plan = PlanFactory(province=lam_dong, total=2)
    plan.job = Job.objects.create(
        kind="staffing.plan", title="x", created_by=noi, status="failed", error="boom"
    )
    plan.status = Plan.Status.RUNNING
    plan.save()
    client = client_for(noi)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f"/staffing/plans/{plan.pk}/reset/" in page
    client.post(f"/staffing/plans/{plan.pk}/reset/")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    # While a job still runs, nothing is reset.
    plan.job = Job.objects.create(kind="staffing.plan", title="y", created_by=noi, status="running")
    plan.status = Plan.Status.RUNNING
    plan.save()
    client.post(f"/staffing/plans/{plan.pk}/reset/")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RUNNING
