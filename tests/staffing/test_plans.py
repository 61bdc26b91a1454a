"""Plans: the issue's model on small instances against brute force, jobs, locks, comparison, approval, access."""

import itertools
import math
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicdesk.core.models import Job
from civicdesk.staffing import optimizer, services
from civicdesk.staffing.models import Plan, PlanLock, Secondment
from civicdesk.staffing.queries import input_from_snapshot
from tests.factories import UserFactory

from .factories import PlanFactory, SecondmentFactory, StaffMemberFactory


def brute_force(inp):
    """Best objective of the issue's model by enumerating every choice of (commune, field) or nothing per person."""
    options = []
    for s in inp.staff:
        mine = [None] + [(n.commune_code, n.field) for n in inp.needs if n.field in s.fields]
        options.append(mine)
    quotas = inp.quotas or None
    best = -math.inf
    for combo in itertools.product(*options):
        chosen = [(s, c) for s, c in zip(inp.staff, combo, strict=True) if c is not None]
        if len(chosen) > inp.total:
            continue
        per_commune = {}
        per_dept = {}
        for s, (code, _f) in chosen:
            per_commune[code] = per_commune.get(code, 0) + 1
            per_dept[s.department] = per_dept.get(s.department, 0) + 1
        if any(v > inp.max_per_commune for v in per_commune.values()):
            continue
        if quotas is not None and any(v > quotas.get(d, 0) for d, v in per_dept.items()):
            continue
        assignments = [optimizer.Assignment(s.staff_id, code, f, 0, 0) for s, (code, f) in chosen]
        best = max(best, optimizer.objective_of(inp, assignments))
    return best


@pytest.mark.parametrize(
    ("total", "weight", "max_per_commune", "quota"),
    [(4, 0.01, 4, None), (2, 0.01, 4, None), (4, 0.05, 1, None), (3, 0.0, 2, 1), (4, 0.2, 4, 2)],
)
def test_solved_plan_matches_brute_force(
    noi, needs, pool, lam_dong, tu_phap, total, weight, max_per_commune, quota
):
    if quota is not None:
        services.set_quota(noi, tu_phap, quota)
    plan = services.create_plan(
        noi,
        lam_dong,
        name="P",
        total=total,
        distance_weight=weight,
        max_per_commune=max_per_commune,
        time_limit=10,
        period_start=date(2026, 1, 5),
        period_months=3,
    )
    plan = services.solve_plan_now(noi, plan)
    inp = input_from_snapshot(plan.input_snapshot)
    assert plan.status == "solved" and plan.solver_status == "optimal"
    assert plan.objective == pytest.approx(brute_force(inp), abs=1e-6)
    assert plan.bound >= plan.objective - 1e-9 and plan.gap <= 1e-6
    assigned = list(plan.assignments.all())
    assert len(assigned) <= total and len({a.staff_id for a in assigned}) == len(assigned)
    assert all(a.field in a.staff.fields and a.value > 0 for a in assigned)
    assert plan.summary["assigned"] == len(assigned)


def test_quota_file_semantics_in_the_app(noi, needs, pool, lam_dong, tu_phap):
    services.set_quota(noi, tu_phap, 1)  # a quota table now exists: Sở NN&MT (no row) releases nobody
    plan = services.solve_plan_now(noi, PlanFactory(province=lam_dong, total=10))
    departments = {a.staff.department.code for a in plan.assignments.select_related("staff__department")}
    assert departments == {"tu-phap"} and plan.assignments.count() == 1


def test_plan_runs_as_a_background_job_with_progress(
    client_for, noi, needs, pool, lam_dong, django_capture_on_commit_callbacks
):
    client = client_for(noi)
    response = client.post(
        "/staffing/plans/",
        {
            "name": "Phương án 4 người",
            "total": 4,
            "distance_weight": 0.01,
            "max_per_commune": 4,
            "time_limit": 60,
            "period_start": timezone.localdate().isoformat(),
            "period_months": 3,
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == f"/staffing/plans/{plan.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staffing/plans/{plan.pk}/run/").status_code == 302
    plan.refresh_from_db()
    job = Job.objects.get(pk=plan.job_id)
    assert job.status == "done" and job.result["url"] == f"/staffing/plans/{plan.pk}/"
    assert plan.status == "solved" and plan.assignments.count() == 4
    html = client.get(f"/staffing/plans/{plan.pk}/").content.decode()
    assert "cận trên" in html and "khoảng cách tối ưu" in html and "thời gian giải" in html
    a = plan.assignments.first()
    why = client.get(
        f"/staffing/plans/{plan.pk}/assignments/{a.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in why and a.commune.name in why and "km" in why


def test_running_plan_page_shows_progress(client_for, noi, lam_dong):
    job = Job.objects.create(kind="staffing.plan", title="Giải", created_by=noi, progress=40)
    plan = PlanFactory(province=lam_dong, status="running", job=job)
    assert "40%" in client_for(noi).get(f"/staffing/plans/{plan.pk}/").content.decode()


def test_locks_are_honoured_and_editing_resets_the_result(client_for, noi, needs, pool, lam_dong):
    plan = services.solve_plan_now(noi, PlanFactory(province=lam_dong, total=10))
    client = client_for(noi)
    assert (
        client.post(
            f"/staffing/plans/{plan.pk}/locks/", {"kind": "must_not_send", "staff_code": "TP1"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/staffing/plans/{plan.pk}/locks/",
            {"kind": "fixed", "staff_code": "NN2", "commune_code": 24787, "field": "ho_tich"},
        ).status_code
        == 302
    )
    bad = client.post(
        f"/staffing/plans/{plan.pk}/locks/",
        {"kind": "fixed", "staff_code": "NN1", "commune_code": 24787, "field": "ho_tich"},
    )
    assert bad.status_code == 400 and "không có lĩnh vực" in bad.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft" and not plan.assignments.exists()
    plan = services.solve_plan_now(noi, plan)
    chosen = {
        (a.staff.code, a.commune.code, a.field) for a in plan.assignments.select_related("staff", "commune")
    }
    assert ("NN2", 24787, "ho_tich") in chosen and not any(s == "TP1" for s, _c, _f in chosen)


def test_compare_scenarios_side_by_side(client_for, noi, needs, pool, lam_dong):
    big = services.solve_plan_now(noi, PlanFactory(province=lam_dong, name="Ba người", total=3))
    small = services.copy_plan(noi, big, name="Hai người", total=2)
    small = services.solve_plan_now(noi, small)
    html = client_for(noi).get("/staffing/plans/compare/", {"ids": [big.pk, small.pk]}).content.decode()
    table = html[html.index('class="table compare"') :]
    assert table.index("Ba người") < table.index("Hai người")
    assert "ưu tiên 5" in table and "Tổng quãng đường" in table and "Khoảng cách tối ưu" in table
    assert big.objective > small.objective
    assigned = (
        f'<td class="num">{big.summary["assigned"]}</td><td class="num">{small.summary["assigned"]}</td>'
    )
    assert assigned in table.replace("\n", "")


def test_approve_creates_secondments_and_refuses_double_booking(client_for, noi, needs, pool, lam_dong):
    plan = services.solve_plan_now(
        noi, PlanFactory(province=lam_dong, total=4, period_start=date(2026, 1, 5))
    )
    client = client_for(noi)
    approve = f"/staffing/plans/{plan.pk}/approve/"
    assert "Xác nhận phê duyệt" in client.get(approve, {"decision_number": "12"}).content.decode()
    confirmed = client.post(approve, {"decision_number": "12", "result": plan.result_stamp})
    assert confirmed.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.decision_number == "12"
    rows = Secondment.objects.filter(plan=plan)
    assert rows.count() == plan.assignments.count() == 4
    assert {(s.start_date, s.end_date) for s in rows} == {(date(2026, 1, 5), date(2026, 4, 4))}
    docx = client.get(f"/staffing/plans/{plan.pk}/decision.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # a second plan over the same period cannot send the same people again: everyone is busy, so it is refused
    # before solving, with the day they are free again
    other = PlanFactory(province=lam_dong, total=4, period_start=date(2026, 2, 1))
    with pytest.raises(ValidationError) as refused:
        services.solve_plan_now(noi, other)
    assert "4 người đang được biệt phái" in refused.value.messages[0]
    assert "05/04/2026" in refused.value.messages[0]
    other.refresh_from_db()
    assert other.status == "draft" and other.assignments.count() == 0


def test_decision_document_has_the_administrative_layout(noi, needs, pool, lam_dong):
    import io

    from docx import Document

    plan = services.solve_plan_now(noi, PlanFactory(province=lam_dong, total=4))
    services.approve_plan(noi, plan)
    from civicdesk.staffing.documents import decision_docx

    doc = Document(io.BytesIO(decision_docx(plan, list(plan.secondments.all()))))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: ……/QĐ-UBND",
        "Căn cứ …",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
        "DANH SÁCH",
        "Xã Di Linh",
    ]:
        assert needle in text, needle


@pytest.mark.parametrize("user", ["alice", "linh", "charlie", "phap"])
def test_only_home_affairs_runs_or_approves_plans(request, client_for, user, noi, needs, pool, lam_dong):
    plan = services.solve_plan_now(noi, PlanFactory(province=lam_dong, total=4))
    assignment = plan.assignments.first()
    lock = PlanLock.objects.create(plan=plan, kind="must_send", staff=assignment.staff)
    client = client_for(request.getfixturevalue(user))
    for url in ["", "export.csv", "decision.docx", f"assignments/{assignment.pk}/"]:
        assert client.get(f"/staffing/plans/{plan.pk}/{url}").status_code == 403, url
    for url in ["edit/", "run/", "locks/", f"locks/{lock.pk}/delete/", "copy/", "approve/"]:
        assert (
            client.post(f"/staffing/plans/{plan.pk}/{url}", {"name": "x", "total": 1}).status_code == 403
        ), url
    plan.refresh_from_db()
    assert plan.status == "solved" and not Secondment.objects.exists()


def test_planner_of_another_province_gets_404(client_for, noi, needs, pool, lam_dong, other_province_commune):
    plan = PlanFactory(province=lam_dong)
    other = UserFactory(role="home_affairs_planner", province=other_province_commune.province)
    client = client_for(other)
    assert client.get(f"/staffing/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/staffing/plans/{plan.pk}/approve/").status_code == 404


def test_province_admin_may_plan_too(client_for, quan, needs, pool):
    assert client_for(quan).get("/staffing/plans/").status_code == 200


def test_busy_people_are_left_out(noi, needs, pool, lam_dong):
    SecondmentFactory(
        staff=pool[0], plan=PlanFactory(province=lam_dong, status="approved"), commune=needs[0].commune
    )
    snapshot = services.build_snapshot(PlanFactory(province=lam_dong, period_start=date(2026, 3, 1)))
    assert "TP1" not in {row[0] for row in snapshot["staff"]}
    unavailable = StaffMemberFactory(
        province=lam_dong, department=pool[0].department, code="LATE", available_from=date(2026, 6, 1)
    )
    snapshot = services.build_snapshot(PlanFactory(province=lam_dong, period_start=date(2026, 3, 1)))
    assert unavailable.code not in {row[0] for row in snapshot["staff"]}
