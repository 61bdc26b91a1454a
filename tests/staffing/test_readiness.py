"""A plan that cannot be solved is refused before solving, naming each offending lock and what to change; a plan
that sends fewer people than its total says which limits held them back. "infeasible" alone never reaches a
planner."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from civicdesk.staffing import services
from civicdesk.staffing.models import Plan
from civicdesk.staffing.plan_messages import render
from civicdesk.staffing.readiness import plan_problems, pool_state

from .factories import PlanFactory, SecondmentFactory, StaffMemberFactory

START = date(2026, 3, 2)


@pytest.fixture
def plan(noi, needs, pool, lam_dong):
    return services.create_plan(noi, lam_dong, name="Đợt 2", total=3, period_start=START, period_months=3)


def _busy(person, commune, lam_dong, name="Đợt 1"):
    return SecondmentFactory(
        staff=person,
        plan=PlanFactory(province=lam_dong, status="approved", name=name),
        commune=commune,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 4, 4),
    )


def test_a_lock_on_someone_already_seconded_is_refused_with_their_name_and_the_fix(
    noi, plan, pool, needs, lam_dong
):
    _busy(pool[0], needs[0].commune, lam_dong)
    services.add_lock(noi, plan, kind="must_send", staff=pool[0], reason="Thử")
    with pytest.raises(ValidationError) as refused:
        services.run_plan(noi, plan)
    (message,) = refused.value.messages
    assert "TP1" in message and pool[0].full_name in message
    assert "đang được biệt phái đến Xã Di Linh từ 05/01/2026 đến 04/04/2026" in message
    assert "“Đợt 1”" in message and "05/04/2026" in message  # the day from which they are free
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.job is None and not plan.assignments.exists()


def test_a_lock_on_someone_not_yet_available_names_the_day(noi, plan, pool, lam_dong):
    late = StaffMemberFactory(
        province=lam_dong, department=pool[0].department, code="LATE", available_from=date(2026, 6, 1)
    )
    services.add_lock(noi, plan, kind="must_send", staff=late)
    (message,) = plan_problems(plan)
    assert "LATE" in message and "01/06/2026" in message and "02/03/2026" in message


def test_a_person_who_left_the_pool(noi, plan, pool):
    pool[1].is_active = False
    pool[1].save()
    services.add_lock(noi, plan, kind="must_send", staff=pool[1])
    (message,) = plan_problems(plan)
    assert "TP2" in message and "không còn trong danh sách" in message


def test_an_empty_pool_for_the_period_says_when_people_are_free(noi, plan, pool, needs, lam_dong):
    for person in pool:
        _busy(person, needs[0].commune, lam_dong)
    (message,) = plan_problems(plan)
    assert "Không có cán bộ nào" in message and "4 người đang được biệt phái" in message
    assert "05/04/2026" in message
    with pytest.raises(ValidationError):
        services.solve_plan_now(noi, plan)


def test_no_needs(noi, pool, lam_dong, located):
    plan = services.create_plan(noi, lam_dong, name="Trống", total=3, period_start=START)
    assert any("Chưa có nhu cầu" in p for p in plan_problems(plan))


def test_a_fixed_lock_where_the_commune_has_no_such_need(noi, plan, pool, needs):
    cam_ly = needs[2].commune
    services.add_lock(noi, plan, kind="fixed", staff=pool[2], commune=cam_ly, field="dat_dai")
    (message,) = plan_problems(plan)
    assert "NN1" in message and "Phường Cam Ly - Đà Lạt" in message and "Đất đai" in message


def test_locks_that_are_fine_alone_but_too_many_together(noi, plan, pool, lam_dong, tu_phap):
    from civicdesk.staffing.models import DepartmentQuota

    DepartmentQuota.objects.create(department=tu_phap, max_release=1)
    services.add_lock(noi, plan, kind="must_send", staff=pool[0])
    services.add_lock(noi, plan, kind="must_send", staff=pool[1])
    problems = plan_problems(plan)
    assert any("Sở Tư pháp" in p and "hạn mức" in p for p in problems), problems


def test_must_send_and_must_not_send_on_the_same_person(noi, plan, pool):
    services.add_lock(noi, plan, kind="must_send", staff=pool[0])
    services.add_lock(noi, plan, kind="must_not_send", staff=pool[0])
    (message,) = plan_problems(plan)
    assert "TP1" in message and "không cử" in message


def test_busy_and_unavailable_people_stay_out_of_the_solver_input(noi, plan, pool, needs, lam_dong):
    _busy(pool[0], needs[0].commune, lam_dong)
    state = pool_state(lam_dong, START, 3)
    assert [m.code for m in state.available] == ["NN1", "NN2", "TP2"]
    snapshot = services.build_snapshot(plan)
    assert {row[0] for row in snapshot["staff"]} == {"NN1", "NN2", "TP2"}
    (warning,) = snapshot["warnings"]
    assert warning["code"] == "pool_left_out" and warning["params"]["busy"] == 1
    assert "1 người đang được biệt phái" in render(warning)


def test_the_page_lists_the_problems_and_disables_solving(client_for, noi, plan, pool, needs, lam_dong):
    _busy(pool[0], needs[0].commune, lam_dong)
    services.add_lock(noi, plan, kind="must_send", staff=pool[0])
    page = client_for(noi).get(plan.get_absolute_url())
    text = page.content.decode()
    assert "Cần sửa trước khi giải" in text and "TP1" in text and "disabled" in text
    response = client_for(noi).post(f"/staffing/plans/{plan.pk}/run/", follow=True)
    text = response.content.decode()
    assert "Chưa giải được phương án" in text and "đang được biệt phái" in text
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_the_api_refuses_with_the_same_messages(client_for, noi, plan, pool, needs, lam_dong):
    _busy(pool[0], needs[0].commune, lam_dong)
    services.add_lock(noi, plan, kind="must_send", staff=pool[0])
    response = client_for(noi).post(f"/api/staffing/plans/{plan.pk}/run")
    assert response.status_code == 422
    details = str(response.json()["error"])
    assert "TP1" in details and "đang được biệt phái" in details


def test_a_plan_short_of_its_total_says_what_held_people_back(noi, needs, pool, lam_dong, tu_phap, nnmt):
    from civicdesk.staffing.models import DepartmentQuota

    DepartmentQuota.objects.create(department=tu_phap, max_release=1)
    DepartmentQuota.objects.create(department=nnmt, max_release=2)
    plan = services.create_plan(noi, lam_dong, name="Thiếu", total=4, period_start=START)
    plan = services.solve_plan_now(noi, plan)
    assert plan.status == Plan.Status.SOLVED and plan.assignments.count() == 3
    text = " ".join(plan.messages)
    assert "chỉ cử được 3 trên 4 người" in text
    assert "Nhu cầu còn thiếu: Hộ tịch, chứng thực 1" in text
    assert "Đã hết hạn mức cử" in text and "(1)" in text


def test_solver_status_is_said_in_words(plan):
    plan.solver_status = "infeasible"
    assert "infeasible" not in plan.solver_status_label and "xem lý do" in plan.solver_status_label
