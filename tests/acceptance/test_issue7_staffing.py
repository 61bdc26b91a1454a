"""Issue 7 — Staffing. "Done when": noivu.chuyenvien in the demo reviews Lâm Đồng's gaps, runs a 260-person plan,
compares it with 200, approves it, and a seconded expert files a weekly report; access rules: only Home Affairs plans,
a commune sees only its own secondees."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import html, login, submit


def _run(client, plan, capture):
    page = client.get(plan.get_absolute_url())
    with capture(execute=True):
        submit(client, page, action=f"/staffing/plans/{plan.pk}/run/")
    plan.refresh_from_db()
    assert plan.status == "solved", plan.status
    return client.get(plan.get_absolute_url())


@pytest.fixture
def approved(client, demo, users, django_capture_on_commit_callbacks):
    """noivu.chuyenvien's whole walk, up to the approval; returns (client, big plan, small plan)."""
    from civicdesk.staffing.models import Plan

    login(client, "noivu.chuyenvien")
    gaps = client.get("/staffing/gaps/")
    assert gaps.status_code == 200
    assert re.search(r"/staffing/gaps/\d+/", html(gaps)), "the gaps page lists no commune"
    di_linh = client.get("/staffing/gaps/25000/")
    assert di_linh.status_code == 200 and "Di Linh" in html(di_linh)
    needs = client.get("/staffing/needs/")
    assert needs.status_code == 200

    plans_page = client.get("/staffing/plans/")
    created = submit(client, plans_page, {"name": "QA 260 người", "total": "260"}, contains="total")
    assert created.status_code == 200, html(created)[:2000]
    big = Plan.objects.get(name="QA 260 người")
    locked = submit(
        client, created, {"kind": "must_send", "staff_code": "STP-DEMO", "reason": "Thử báo cáo tuần"},
        action=f"/staffing/plans/{big.pk}/locks/",
    )  # fmt: skip
    assert locked.status_code == 200 and big.locks.count() == 1, html(locked)[:1500]
    detail = _run(client, big, django_capture_on_commit_callbacks)
    assert big.assignments.count() == 260
    text = html(detail)
    assert re.search(r"[Mm]ục tiêu|objective", text) and re.search(r"[Cc]ận|bound", text)

    copied = submit(
        client, detail, {"name": "QA 200 người", "total": "200"}, action=f"/staffing/plans/{big.pk}/copy/"
    )
    small = Plan.objects.get(name="QA 200 người")
    assert copied.redirect_chain[-1][0] == small.get_absolute_url()
    _run(client, small, django_capture_on_commit_callbacks)
    assert small.assignments.count() == 200
    assert small.objective <= big.objective

    compare = client.get("/staffing/plans/compare/", {"ids": [big.pk, small.pk]})
    assert compare.status_code == 200
    assert "QA 260 người" in html(compare) and "QA 200 người" in html(compare)

    page = client.get(big.get_absolute_url())
    # approving shows what it will create first; nothing happens until the planner confirms
    confirmation = submit(client, page, {"decision_number": ""}, action=f"/staffing/plans/{big.pk}/approve/")
    assert confirmation.status_code == 200 and "Xác nhận phê duyệt" in html(confirmation)
    assert re.search(r"260</strong>\s*hồ sơ biệt phái", html(confirmation))
    big.refresh_from_db()
    assert big.status == "solved" and big.secondments.count() == 0
    done = submit(client, confirmation, action=f"/staffing/plans/{big.pk}/approve/")
    assert done.status_code == 200
    big.refresh_from_db()
    assert big.status == "approved"
    assert done.redirect_chain[-1][0].startswith("/staffing/secondments/")
    return client, big, small


def test_home_affairs_plans_compares_approves_and_the_secondee_reports(approved, users):
    from civicdesk.staffing.models import Secondment, WeeklyReport

    client, big, _small = approved
    assert big.secondments.count() == 260
    mine = Secondment.objects.get(plan=big, staff__user__username="biepphai.chuyenvien")
    assert mine.status == "active"
    decision = client.get(f"/staffing/plans/{big.pk}/decision.docx")
    assert decision.status_code == 200 and decision.content[:2] == b"PK"

    login(client, "biepphai.chuyenvien")
    home = html(client.get("/"))
    assert "Đợt biệt phái của tôi" in home or mine.commune.name in home
    page = client.get(f"/staffing/secondments/{mine.pk}/")
    assert page.status_code == 200
    filed = submit(
        client, page,
        {"work_done": "Hướng dẫn đăng ký khai sinh tại bộ phận một cửa", "dossiers_helped": "14",
         "difficulties": "", "needs": ""},
        action=f"/staffing/secondments/{mine.pk}/reports/",
    )  # fmt: skip
    assert filed.status_code == 200, html(filed)[:2000]
    report = WeeklyReport.objects.get(secondment=mine)
    assert report.dossiers_helped == 14
    assert "Hướng dẫn đăng ký khai sinh" in html(filed)


def test_a_commune_sees_only_its_own_secondees(approved, users):
    from civicdesk.staffing.models import Secondment

    client, big, _small = approved
    leader = users["dilinh.lanhdao"]
    own = set(Secondment.objects.filter(plan=big, commune=leader.commune).values_list("pk", flat=True))
    others = Secondment.objects.filter(plan=big).exclude(commune=leader.commune)
    login(client, "dilinh.lanhdao")
    listing = client.get("/staffing/secondments/", {"status": "all"})
    assert listing.status_code == 200
    shown = {int(m) for m in re.findall(r"/staffing/secondments/(\d+)/", html(listing))}
    assert shown <= own, f"Di Linh's leader sees other communes' secondees: {sorted(shown - own)[:5]}"
    other = others.first()
    assert client.get(f"/staffing/secondments/{other.pk}/").status_code == 404
    # camly.canbo: a commune officer, no planning at all
    login(client, "camly.canbo")
    assert client.get("/staffing/plans/").status_code in (403, 404)
    assert client.get(f"/staffing/secondments/{other.pk}/").status_code in (403, 404)


def test_only_home_affairs_plans(client, demo):
    from civicdesk.staffing.models import Plan

    plan = Plan.objects.order_by("pk").first()
    for username in ("tuphap.chuyenvien", "dilinh.lanhdao", "dilinh.canbo", "tongdai.vien"):
        login(client, username)
        assert client.get("/staffing/plans/").status_code in (403, 404), username
        assert client.post("/staffing/plans/", {"name": "x", "total": "5"}).status_code in (403, 404), (
            username
        )
        assert client.post(f"/staffing/plans/{plan.pk}/approve/", {"decision_number": ""}).status_code in (
            403,
            404,
        )
    plan.refresh_from_db()
    assert plan.status == "solved"


def test_secondment_cli_plan_from_csv(tmp_path, demo):
    (tmp_path / "communes.csv").write_text("commune_code,lat,lon\n25000,11.58,108.07\n24787,11.95,108.42\n")
    (tmp_path / "needs.csv").write_text(
        "commune_code,field,units,priority\n25000,ho_tich,1,5\n24787,dat_dai,1,3\n"
    )
    (tmp_path / "staff.csv").write_text(
        "staff_id,department,fields,home_lat,home_lon\nS1,tu-phap,ho_tich,11.94,108.44\nS2,nnmt,dat_dai;ho_tich,11.9,108.4\n"
    )
    (tmp_path / "quotas.csv").write_text("department,max_release\ntu-phap,1\nnnmt,1\n")
    args = [f"--{n}={tmp_path / (n + '.csv')}" for n in ("communes", "needs", "staff", "quotas")]
    out = StringIO()
    call_command("secondment", "plan", *args, "--total=2", "--distance-weight=0.01", "--max-per-commune=4",
                 "--time-limit=10", "--json", stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    assert set(result) >= {"status", "objective", "bound", "seconds", "assignments"}
    assert sorted((a["staff_id"], str(a["commune_code"]), a["field"]) for a in result["assignments"]) == [
        ("S1", "25000", "ho_tich"),
        ("S2", "24787", "dat_dai"),
    ]
    (tmp_path / "staff.csv").write_text(
        "staff_id,department,fields,home_lat,home_lon\nS1,tu-phap,ho_tich,abc,108\n"
    )
    with pytest.raises(CommandError) as bad:
        call_command("secondment", "plan", *args, "--total=2", "--json", stdout=StringIO(), stderr=StringIO())
    assert re.search(r"(?i)(dòng|line) 2\b", str(bad.value)) and "home_lat" in str(bad.value), str(bad.value)
