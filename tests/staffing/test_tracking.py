"""Secondments: the secondee reports weekly, the host commune's leader assesses, the province follows; others refused."""

from datetime import date

import pytest
import time_machine

from civicdesk.core.models import AuditEvent
from civicdesk.staffing import services
from civicdesk.staffing.models import Assessment, Secondment, WeeklyReport
from civicdesk.staffing.queries import province_overview, report_status
from tests.factories import SYSTEM, UserFactory

from .factories import PlanFactory, SecondmentFactory

TODAY = date(2026, 1, 21)  # a Wednesday, in the third week of the secondment


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 09:00 +07:00", tick=False):
        yield


@pytest.fixture
def seconded(secondee, di_linh, lam_dong):
    return SecondmentFactory(
        staff=secondee, commune=di_linh, plan=PlanFactory(province=lam_dong, status="approved")
    )


def report_data(**kw):
    data = {
        "week_start": "2026-01-12",
        "work_done": "Hướng dẫn đăng ký khai sinh trực tuyến",
        "dossiers_helped": 14,
        "difficulties": "Mạng yếu ở thôn xa",
        "needs": "Thêm máy quét",
    }
    data.update(kw)
    return data


def test_secondee_files_a_weekly_report(client_for, secondee_user, seconded):
    client = client_for(secondee_user)
    assert "Xã Di Linh" in client.get("/staffing/secondments/").content.decode()
    page = client.get(f"/staffing/secondments/{seconded.pk}/").content.decode()
    assert "Gửi báo cáo tuần" in page and "Chưa có báo cáo tuần bắt đầu 12/01/2026" in page
    assert client.post(f"/staffing/secondments/{seconded.pk}/reports/", report_data()).status_code == 302
    report = WeeklyReport.objects.get()
    assert (report.week_start, report.dossiers_helped, report.submitted_by) == (
        date(2026, 1, 12),
        14,
        secondee_user,
    )
    assert (
        "Hướng dẫn đăng ký khai sinh" in client.get(f"/staffing/secondments/{seconded.pk}/").content.decode()
    )
    # filing the same week again corrects it rather than duplicating
    client.post(f"/staffing/secondments/{seconded.pk}/reports/", report_data(dossiers_helped=16))
    assert WeeklyReport.objects.get().dossiers_helped == 16
    assert "Đợt biệt phái của tôi" in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("week", "message"),
    [("2026-01-13", "thứ Hai"), ("2026-01-26", "chưa bắt đầu"), ("2025-12-22", "ngoài thời gian")],
)
def test_bad_report_week_is_explained_and_input_kept(client_for, secondee_user, seconded, week, message):
    response = client_for(secondee_user).post(
        f"/staffing/secondments/{seconded.pk}/reports/", report_data(week_start=week)
    )
    html = response.content.decode()
    assert response.status_code == 400 and message in html and "Mạng yếu ở thôn xa" in html
    assert not WeeklyReport.objects.exists()


def test_overdue_reports_and_ending_soon_in_the_province_view(
    client_for, noi, seconded, lam_dong, cam_ly, secondee
):
    week, due, overdue = report_status(seconded)
    assert (week, due, overdue) == (date(2026, 1, 12), date(2026, 1, 19), True)
    ending = SecondmentFactory(commune=cam_ly, end_date=date(2026, 1, 30), plan=seconded.plan)
    overview = province_overview(noi, lam_dong)
    assert seconded in overview["overdue"] and overview["ending"] == [ending]
    html = client_for(noi).get("/staffing/secondments/").content.decode()
    assert "Chậm báo cáo tuần" in html and "Đặng Thu" in html and "30/01/2026" in html
    services.submit_weekly_report(secondee.user, seconded, week_start=date(2026, 1, 12), work_done="Đã làm")
    assert seconded not in province_overview(noi, lam_dong)["overdue"]


def test_report_due_date_follows_the_working_calendar(db):
    # week of 09/02/2026: the next working day after Sunday 15/02 is after Tết (16–20/02 are holidays)
    s = SecondmentFactory(status="active", start_date=date(2026, 1, 5), end_date=date(2026, 4, 4))
    with time_machine.travel("2026-02-18 09:00 +07:00", tick=False):
        week, due, _overdue = report_status(s, today=date(2026, 2, 18))
    assert week == date(2026, 2, 9) and due == date(2026, 2, 23)


def test_host_leader_sees_secondees_and_assesses(client_for, linh, seconded):
    client = client_for(linh)
    assert "Đặng Thu" in client.get("/staffing/secondments/").content.decode()
    assert "Đặng Thu" in client.get("/").content.decode()
    page = client.get(f"/staffing/secondments/{seconded.pk}/").content.decode()
    assert "Đánh giá cuối đợt" in page and "Gửi báo cáo tuần" not in page
    assert "Ngôn ngữ:" not in page  # no language recorded for the secondee
    services.save_staff_member(
        SYSTEM, seconded.staff.province, seconded.staff.code, {"languages": ["vie", "kpm"]}
    )
    page = client.get(f"/staffing/secondments/{seconded.pk}/").content.decode()
    assert (
        "Ngôn ngữ: Tiếng Việt, K&#x27;Ho (Cơ Ho)" in page
    )  # the leader sees who speaks the commune's language
    response = client.post(
        f"/staffing/secondments/{seconded.pk}/assessment/",
        {
            "rating": 3,
            "results": "Giảm hồ sơ trễ hạn hộ tịch",
            "shortcomings": "",
            "recommendation": "Gia hạn",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().assessed_by == linh
    assert AuditEvent.objects.filter(object_type="staffing.secondment", action="view", actor=linh).exists()


def test_leader_of_another_commune_and_others_are_refused(
    client_for, seconded, lam_dong, cam_ly, alice, charlie, lam, secondee_user
):
    other_leader = UserFactory(role="commune_leader", commune=cam_ly)
    urls_get = ["", "decision.docx"]
    urls_post = ["reports/", "assessment/", "transition/"]
    for user in (other_leader, charlie, lam):
        client = client_for(user)
        for url in urls_get:
            assert client.get(f"/staffing/secondments/{seconded.pk}/{url}").status_code == 404, (user, url)
        for url in urls_post:
            assert (
                client.post(f"/staffing/secondments/{seconded.pk}/{url}", {"action": "cancel"}).status_code
                == 404
            )
        client.logout()
    # Di Linh's officer (not the leader) and the hotline operator are refused the whole area
    for user in (alice, UserFactory(role="hotline_operator", province=lam_dong)):
        assert client_for(user).get("/staffing/").status_code == 403
        assert client_for(user).get("/staffing/secondments/").status_code == 403
    # the secondee cannot assess themselves, nor change the state
    client = client_for(secondee_user)
    assert (
        client.post(
            f"/staffing/secondments/{seconded.pk}/assessment/", {"rating": 4, "results": "Tốt"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/staffing/secondments/{seconded.pk}/transition/", {"action": "cancel", "reason": "x"}
        ).status_code
        == 403
    )
    assert not Assessment.objects.exists() and Secondment.objects.get().status == "active"


def test_leader_may_not_file_reports(client_for, linh, seconded):
    assert (
        client_for(linh).post(f"/staffing/secondments/{seconded.pk}/reports/", report_data()).status_code
        == 403
    )


def test_planner_transitions_are_named_and_guarded(client_for, noi, seconded):
    client = client_for(noi)
    client.post(f"/staffing/secondments/{seconded.pk}/transition/", {"action": "cancel"})
    assert Secondment.objects.get().status == "active"  # a reason is required
    client.post(f"/staffing/secondments/{seconded.pk}/transition/", {"action": "start"})
    assert Secondment.objects.get().status == "active"  # not from active
    client.post(
        f"/staffing/secondments/{seconded.pk}/transition/", {"action": "complete", "reason": "Hết hạn"}
    )
    assert Secondment.objects.get().status == "completed"
    assert AuditEvent.objects.filter(object_type="staffing.secondment", action="transition").count() == 1


def test_secondee_downloads_their_own_decision(client_for, secondee_user, seconded):
    response = client_for(secondee_user).get(f"/staffing/secondments/{seconded.pk}/decision.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_before_after_uses_the_other_apps_queries(monkeypatch, client_for, noi, seconded):
    from civicdesk.servicedesk.queries import CommuneKpis
    from civicdesk.staffing import signals_in

    def kpis(commune, since, until):
        if since < seconded.start_date:
            return CommuneKpis(received=100, finished=100, on_time=70, supplemented=0)
        return CommuneKpis(received=80, finished=80, on_time=72, supplemented=0)

    monkeypatch.setattr(signals_in, "commune_kpis", kpis)
    monkeypatch.setattr(signals_in, "hotline_stats", lambda c, a, b: None)
    html = client_for(noi).get(f"/staffing/secondments/{seconded.pk}/").content.decode()
    assert "Tỷ lệ trễ hạn" in html and "0,30" in html and "0,10" in html


def test_before_after_without_data_says_so(client_for, noi, seconded):
    assert (
        "Chưa có số liệu một cửa"
        in client_for(noi).get(f"/staffing/secondments/{seconded.pk}/").content.decode()
    )
