"""The issue's "done when": Home Affairs reviews gaps, runs a 260-person plan, compares it with 200, approves it,
and a seconded expert files a weekly report (on a small Lâm Đồng built with factories)."""

from django.utils import timezone

from civicdesk.staffing.models import Plan, Secondment, WeeklyReport
from civicdesk.staffing.queries import monday

from .factories import CapacityRecordFactory, StaffMemberFactory


def test_home_affairs_to_weekly_report(
    client_for,
    noi,
    secondee,
    secondee_user,
    located,
    pool,
    lam_dong,
    tu_phap,
    django_capture_on_commit_callbacks,
):
    di_linh, cam_ly = located
    for field in ("ho_tich", "dat_dai", "mot_cua"):
        CapacityRecordFactory(commune=di_linh, field=field, current_staff=0, dossiers_per_month=300)
    CapacityRecordFactory(commune=cam_ly, field="ho_tich")
    for i in range(6):
        StaffMemberFactory(province=lam_dong, department=tu_phap, code=f"X{i}", fields=["mot_cua", "ho_tich"])
    client = client_for(noi)
    assert "Xã Di Linh" in client.get("/staffing/gaps/").content.decode()
    client.post("/staffing/needs/generate/")
    assert "Xã Di Linh" in client.get("/staffing/needs/").content.decode()

    today = timezone.localdate().isoformat()
    params = {
        "distance_weight": 0.01,
        "max_per_commune": 4,
        "time_limit": 60,
        "period_start": today,
        "period_months": 3,
    }
    # the pool holds 11 people: a plan may ask for at most that many
    client.post("/staffing/plans/", {"name": "10 người", "total": 10, **params})
    big = Plan.objects.get(name="10 người")
    client.post(f"/staffing/plans/{big.pk}/locks/", {"kind": "must_send", "staff_code": secondee.code})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staffing/plans/{big.pk}/run/")
    client.post(f"/staffing/plans/{big.pk}/copy/", {"name": "8 người", "total": 8})
    small = Plan.objects.get(name="8 người")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staffing/plans/{small.pk}/run/")
    compare = client.get("/staffing/plans/compare/", {"ids": [big.pk, small.pk]})
    assert compare.status_code == 200 and "10 người" in compare.content.decode()
    big.refresh_from_db()
    confirmation = client.get(f"/staffing/plans/{big.pk}/approve/").content.decode()
    assert f"{big.assignments.count()} hồ sơ biệt phái" in confirmation.replace("</strong> ", " ")
    approve = {"decision_number": "", "result": big.result_stamp}
    assert client.post(f"/staffing/plans/{big.pk}/approve/", approve).status_code == 302

    mine = Secondment.objects.get(staff=secondee)
    assert mine.status == "active"
    client.logout()
    expert = client_for(secondee_user)
    assert "Đợt biệt phái của tôi" in expert.get("/").content.decode()
    week = monday(timezone.localdate()).isoformat()
    response = expert.post(
        f"/staffing/secondments/{mine.pk}/reports/",
        {"week_start": week, "work_done": "Hướng dẫn hộ tịch tại bộ phận một cửa", "dossiers_helped": 12},
    )
    assert response.status_code == 302 and WeeklyReport.objects.get().secondment == mine
