"""Staffing API: same rules as the pages (planning: Home Affairs only; secondments: the people concerned)."""

from datetime import date

import pytest
import time_machine

from civicdesk.core.services import issue_api_token
from civicdesk.staffing.models import Plan, WeeklyReport
from tests.factories import UserFactory

from .factories import CapacityRecordFactory, PlanFactory, SecondmentFactory


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_planner_creates_runs_and_approves_through_the_api(
    client, noi, needs, pool, django_capture_on_commit_callbacks
):
    h = auth(noi)
    body = {"name": "API 3", "total": 3, "period_start": "2026-01-05"}
    created = client.post("/api/staffing/plans", body, content_type="application/json", **h)
    assert created.status_code == 201
    plan_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        run = client.post(f"/api/staffing/plans/{plan_id}/run", **h)
    assert run.status_code == 202 and run.json()["url"].startswith("/jobs/")
    detail = client.get(f"/api/staffing/plans/{plan_id}", **h).json()
    assert detail["solver_status"] == "optimal" and len(detail["assignments"]) == 3 and detail["gap"] < 1e-6
    approved = client.post(
        f"/api/staffing/plans/{plan_id}/approve",
        {"decision_number": "7"},
        content_type="application/json",
        **h,
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert len(client.get("/api/staffing/secondments", **h).json()) == 3
    assert client.get("/api/staffing/needs", **h).json()[0]["priority"] == 5


def test_gaps_endpoint_shows_components(client, noi, di_linh):
    CapacityRecordFactory(commune=di_linh)
    rows = client.get("/api/staffing/gaps", **auth(noi)).json()
    assert rows[0]["commune_code"] == 25000 and set(rows[0]["components"]) >= {"workload", "late", "sla"}
    # No language data: the component is there, empty, and left out of the score.
    assert rows[0]["components"]["language"] is None


def test_gaps_endpoint_gives_the_language_gap_when_there_is_one(client, noi, di_linh, cam_ly):
    CapacityRecordFactory(commune=di_linh, language_gap=0.123456)
    CapacityRecordFactory(commune=cam_ly)
    rows = {r["commune_code"]: r for r in client.get("/api/staffing/gaps", **auth(noi)).json()}
    assert rows[25000]["components"]["language"] == 0.1235
    assert rows[24787]["components"]["language"] is None


@pytest.mark.parametrize("user", ["alice", "linh", "charlie", "phap"])
def test_planning_endpoints_refuse_everyone_else(request, client, user, lam_dong):
    plan = PlanFactory(province=lam_dong)
    h = auth(request.getfixturevalue(user))
    for url in [
        "/api/staffing/needs",
        "/api/staffing/gaps",
        "/api/staffing/plans",
        f"/api/staffing/plans/{plan.pk}",
    ]:
        response = client.get(url, **h)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden", url
    body = {"name": "x", "total": 1, "period_start": "2026-01-05"}
    assert client.post("/api/staffing/plans", body, content_type="application/json", **h).status_code == 403
    assert client.post(f"/api/staffing/plans/{plan.pk}/run", **h).status_code == 403
    assert (
        client.post(
            f"/api/staffing/plans/{plan.pk}/approve", {}, content_type="application/json", **h
        ).status_code
        == 403
    )
    assert Plan.objects.get().status == "draft"


def test_anonymous_api_is_unauthenticated(client):
    assert client.get("/api/staffing/plans").status_code == 401


@time_machine.travel("2025-12-10 09:00 +0700", tick=False)
def test_secondments_are_scoped_and_only_the_secondee_reports(
    client, secondee, secondee_user, di_linh, lam_dong, linh, charlie, phap
):
    s = SecondmentFactory(
        staff=secondee,
        commune=di_linh,
        plan=PlanFactory(province=lam_dong, status="approved"),
        start_date=date(2025, 12, 1),
        end_date=date(2026, 2, 28),
    )
    assert [r["id"] for r in client.get("/api/staffing/secondments", **auth(linh)).json()] == [s.pk]
    assert client.get("/api/staffing/secondments", **auth(charlie)).json() == []
    assert (
        client.get("/api/staffing/secondments", **auth(phap)).json() == []
    )  # same department, not their secondment
    week = date(2025, 12, 1).isoformat()
    body = {"week_start": week, "work_done": "Số hóa hồ sơ hộ tịch", "dossiers_helped": 5}
    assert (
        client.post(
            f"/api/staffing/secondments/{s.pk}/reports",
            body,
            content_type="application/json",
            **auth(charlie),
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/staffing/secondments/{s.pk}/reports", body, content_type="application/json", **auth(linh)
        ).status_code
        == 403
    )
    ok = client.post(
        f"/api/staffing/secondments/{s.pk}/reports",
        body,
        content_type="application/json",
        **auth(secondee_user),
    )
    assert ok.status_code == 201 and WeeklyReport.objects.get().dossiers_helped == 5


def test_other_province_planner_gets_404(client, lam_dong, other_province_commune):
    plan = PlanFactory(province=lam_dong)
    other = UserFactory(role="home_affairs_planner", province=other_province_commune.province)
    assert client.get(f"/api/staffing/plans/{plan.pk}", **auth(other)).status_code == 404
