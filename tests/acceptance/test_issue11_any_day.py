"""Issue 11 — Correct on any day. "Done when": the demo is laid around one anchor day, so its 260-person plan has
260 assignments and the 200 scenario 200 whatever day it is loaded (CI runs this folder on a Monday in Tết, on
31 December and on 29 February besides today); a planner who locks an unavailable person gets a clear refusal
naming them, before anything is solved."""

import re
from datetime import datetime, time, timedelta

from django.utils import timezone

from .conftest import html, login, submit


def test_the_demo_is_laid_around_todays_anchor(demo):
    from civicdesk.core.models import DemoAnchor
    from civicdesk.hotline.models import Ticket
    from civicdesk.servicedesk.models import Dossier
    from civicdesk.staffing.models import Plan

    anchor = DemoAnchor.objects.get().anchor
    assert anchor == timezone.localdate()
    assert f"Ngày mốc của dữ liệu minh họa: {anchor:%d/%m/%Y}" in demo
    plans = {p.total: p for p in Plan.objects.all()}
    for total in (260, 200):
        assert plans[total].status == "solved" and plans[total].assignments.count() == total
        assert plans[total].period_start == anchor
    start_of_anchor = timezone.make_aware(datetime.combine(anchor, time(0, 0)))
    assert Dossier.objects.filter(received_at__gte=start_of_anchor).count() == 0
    assert Dossier.objects.filter(received_at__lt=start_of_anchor - timedelta(days=150)).exists()
    assert Ticket.objects.filter(created_at__gte=start_of_anchor).count() == 0


def test_a_lock_on_an_unavailable_person_is_refused_naming_them(client, demo, users):
    from civicdesk.staffing import services
    from civicdesk.staffing.models import Plan, StaffMember

    planner = users["noivu.chuyenvien"]
    services.approve_plan(planner, Plan.objects.get(total=260), decision_number="")  # 260 people now seconded
    secondee = StaffMember.objects.get(code="STP-DEMO")
    later = StaffMember.objects.filter(available_from__isnull=False).order_by("code").first()

    login(client, "noivu.chuyenvien")
    created = submit(
        client, client.get("/staffing/plans/"), {"name": "Đợt bổ sung", "total": "20"}, contains="total"
    )
    plan = Plan.objects.get(name="Đợt bổ sung")
    for code in ("STP-DEMO", later.code):
        created = submit(
            client, created, {"kind": "must_send", "staff_code": code, "reason": "Thử"},
            action=f"/staffing/plans/{plan.pk}/locks/",
        )  # fmt: skip
        assert created.status_code == 200, html(created)[:1500]
    page = html(client.get(plan.get_absolute_url()))
    assert "Cần sửa trước khi giải" in page
    assert secondee.full_name in page and "đang được biệt phái" in page
    assert later.full_name in page and f"{later.available_from:%d/%m/%Y}" in page

    refused = client.post(f"/staffing/plans/{plan.pk}/run/", follow=True)
    text = html(refused)
    assert "Chưa giải được phương án" in text and secondee.full_name in text
    assert not re.search(r"\binfeasible\b", text)
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.job is None


def test_the_200_plan_rerun_after_the_260_is_approved_explains_itself(demo, users):
    """On a demo server used for a while: the 260 plan approved, the planner re-runs the 200 scenario. Its
    must-send lock names someone now seconded, so it is refused with that person's name, never 'infeasible'."""
    import pytest
    from django.core.exceptions import ValidationError

    from civicdesk.staffing import services
    from civicdesk.staffing.models import Plan

    planner = users["noivu.chuyenvien"]
    services.approve_plan(planner, Plan.objects.get(total=260), decision_number="")
    small = Plan.objects.get(total=200)
    with pytest.raises(ValidationError) as refused:
        services.solve_plan_now(planner, small)
    assert any("Đặng Thu Phương" in m and "đang được biệt phái" in m for m in refused.value.messages)
    services.remove_lock(planner, small.locks.get())
    small = services.solve_plan_now(planner, small)
    assert small.status == "solved" and small.solver_status in ("optimal", "feasible")
    assert any("260 người đang được biệt phái" in m for m in small.messages)
