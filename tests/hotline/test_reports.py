"""Reports: volumes, first-response and resolution times in working hours (median, p90), SLA compliance, backlog
ageing, topics, CSAT per team and expert, the Excel export — each person sees only their scope."""

import io

from openpyxl import load_workbook

from civicdesk.core.models import AuditEvent
from civicdesk.hotline import queries, services
from tests.hotline.conftest import vn


def _resolved(file_question, user, expert, start, reply_after, resolve_after, score=None):
    from civicdesk.core.workcal import get_calendar

    calendar = get_calendar()
    ticket = file_question(user, now=start, title="Đăng ký khai sinh cho trẻ")
    services.reply(expert, ticket, "Trả lời", now=calendar.add_working_hours(start, reply_after))
    services.resolve(expert, ticket, now=calendar.add_working_hours(start, resolve_after))
    if score:
        services.rate(user, ticket, score=score, reason="ok")
    return ticket


def test_report_numbers_in_working_hours(routing, alice, charlie, phap, file_question):
    # Friday 13/02/2026 16:00: one office hour that day, then Tết — the second ticket's clock resumes on 23/02.
    _resolved(file_question, alice, phap, vn(2026, 2, 11, 8), 1, 4, score=5)
    _resolved(file_question, alice, phap, vn(2026, 2, 13, 16), 2, 30, score=3)
    _resolved(file_question, charlie, phap, vn(2026, 2, 11, 9), 3, 6)
    report = queries.report(phap, now=vn(2026, 3, 2, 9))
    s = report["summary"]
    assert s["count"] == 3 and s["open"] == 0
    assert (s["first_median"], s["first_p90"]) == (2.0, 3.0)
    assert (s["resolution_median"], s["resolution_p90"]) == (6.0, 30.0)
    assert s["resolution_compliance"] == round(100 * 2 / 3, 1)  # 30 h > 24 h target
    assert s["first_compliance"] == 100.0
    assert (s["csat_avg"], s["csat_count"]) == (4.0, 2)
    assert {r["commune__name"]: r["n"] for r in report["by_commune"]} == {
        "Xã Di Linh": 2,
        "Phường Cam Ly - Đà Lạt": 1,
    }
    assert report["by_expert"][0]["expert"] == phap and report["by_team"][0]["team"] == routing["tu_phap"]
    assert ("khai sinh", 3) in report["top_topics"]


def test_paused_time_is_not_resolution_time(ticket, phap, alice):
    services.reply(phap, ticket, "Cần bổ sung", then="waiting", now=vn(2026, 2, 11, 10))
    services.reply(alice, ticket, "Đã bổ sung", now=vn(2026, 2, 12, 10))  # 7.5 office hours waiting
    services.resolve(phap, ticket, now=vn(2026, 2, 12, 11))
    report = queries.report(phap, now=vn(2026, 3, 2, 9))
    # Wed 9:00 → Thu 11:00 is 9.5 office hours, of which 7.5 were spent waiting for the commune.
    assert report["summary"]["resolution_median"] == 2.0


def test_backlog_ageing_and_scope(routing, alice, charlie, quan, phap, lam, file_question):
    file_question(alice, now=vn(2026, 2, 23, 8))
    file_question(charlie, now=vn(2026, 2, 26, 8))
    province = queries.report(quan, now=vn(2026, 3, 2, 8))
    assert province["summary"]["open"] == 2
    assert dict(province["ageing"]) == {"< 1": 0, "1–3": 1, "3–5": 0, "> 5": 1}
    assert queries.report(alice, now=vn(2026, 3, 2, 8))["summary"]["count"] == 1
    assert queries.report(lam, now=vn(2026, 3, 2, 8))["summary"]["count"] == 0  # not his team's


def test_reports_page_and_excel_export(client_for, ticket, phap, alice, charlie):
    services.reply(phap, ticket, "Trả lời")
    html = client_for(phap).get("/hotline/reports/").content.decode()
    assert "Theo nhóm trả lời" in html and "Sở Tư pháp" in html
    partial = client_for(phap).get(
        "/hotline/reports/?start=2026-01-01&end=2026-12-31", HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    response = client_for(alice).get("/hotline/reports/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng hợp", "Câu hỏi", "Theo nhóm", "Theo chuyên viên"]
    rows = list(workbook["Câu hỏi"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [ticket.reference]
    assert AuditEvent.objects.filter(action="export", actor=alice).exists()
    # Charlie's export has no Di Linh question in it.
    other = load_workbook(io.BytesIO(client_for(charlie).get("/hotline/reports/export.xlsx").content))
    assert list(other["Câu hỏi"].iter_rows(min_row=2, values_only=True)) == []
    assert "Chưa có câu hỏi nào" in client_for(charlie).get("/hotline/reports/").content.decode()


def test_percentile_is_nearest_rank():
    assert queries.percentile([], 90) is None
    assert queries.percentile([5, 1, 3], 50) == 3
    assert queries.percentile(list(range(1, 11)), 90) == 9
