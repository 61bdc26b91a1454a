"""Issue 5 — Hotline. "Done when": in the demo, dilinh.canbo asks a civil-status question and it lands with
tuphap.chuyenvien with due times that skip weekends and holidays; the expert replies, the official rates it, the answer
becomes a reviewed FAQ that the assistant then cites; a breach escalates; refusal (see test_issue2's sweep)."""

from datetime import datetime, timedelta
from io import StringIO

import lxml.html
import time_machine
from django.core import mail
from django.core.management import call_command

from civicdesk.core.workcal import VN_TZ, get_calendar
from tests.factories import SYSTEM

from .conftest import html, login, submit

# Friday 13/02/2026 at 16:00, the last working hour before the Tết holidays (16–20/02) and a weekend.
FILED_AT = datetime(2026, 2, 13, 16, 0, tzinfo=VN_TZ)
QUESTION = "Đăng ký khai sinh cho trẻ sinh tại nhà, không có giấy chứng sinh thì xử lý thế nào?"
FAQ_QUESTION = "Trẻ sinh tại nhà không có giấy chứng sinh thì đăng ký khai sinh bằng giấy tờ gì?"
FAQ_ANSWER = (
    "Thay giấy chứng sinh bằng văn bản của người làm chứng xác nhận việc sinh; nếu không có người làm chứng "
    "thì người đi khai sinh làm giấy cam đoan về việc sinh là có thật."
)


def _file_question(client):
    page = client.get("/hotline/new/")
    assert page.status_code == 200
    from civicdesk.handbook.models import Field

    ho_tich = Field.objects.get(code="ho_tich")
    return submit(
        client,
        page,
        {
            "title": QUESTION,
            "body": "Gia đình ở thôn Đồng Lạc sinh con tại nhà, không có giấy chứng sinh của cơ sở y tế.",
            "field": str(ho_tich.pk),
            "urgency": "normal",
        },
        contains="title",
    )


def test_question_lands_with_tu_phap_with_due_times_after_tet(client, demo, users):
    from civicdesk.hotline.models import Ticket

    with time_machine.travel(FILED_AT, tick=False):
        login(client, "dilinh.canbo")
        response = _file_question(client)
    assert response.status_code == 200, html(response)[:2000]
    ticket = Ticket.objects.get(title=QUESTION)
    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert ticket.commune.code == 25000
    assert ticket.team.department.code == "tu-phap"
    assert ticket.assignee is not None
    # normal urgency: first response 8 working hours, resolution 24 (README); 16:00–17:00 Friday, then after Tết
    calendar = get_calendar()
    assert ticket.first_response_due == datetime(2026, 2, 23, 16, 30, tzinfo=VN_TZ)
    assert ticket.first_response_due == calendar.add_working_hours(FILED_AT, 8)
    assert ticket.resolution_due == calendar.add_working_hours(FILED_AT, 24)
    # 1 h Friday + 7.5 h on each of Mon 23, Tue 24, Wed 25 → 08:00 on Thursday 26/02
    assert ticket.resolution_due == datetime(2026, 2, 26, 8, 0, tzinfo=VN_TZ)
    # the official sees the due time on the page
    with time_machine.travel(FILED_AT, tick=False):
        page = html(client.get(ticket.get_absolute_url()))
    assert "23/02/2026" in page or "2026-02-23" in page


def test_question_lands_with_tuphap_chuyenvien(client, demo):
    from civicdesk.hotline.models import Ticket

    with time_machine.travel(FILED_AT, tick=False):
        login(client, "dilinh.canbo")
        _file_question(client)
    assert Ticket.objects.get(title=QUESTION).assignee.username == "tuphap.chuyenvien"


def test_question_through_the_api_returns_the_documented_shape(client, users):
    from civicdesk.core.services import issue_api_token

    _t, raw = issue_api_token(SYSTEM, users["dilinh.canbo"])
    with time_machine.travel(FILED_AT, tick=False):
        response = client.post(
            "/api/hotline/tickets",
            {"title": QUESTION, "body": "Sinh tại nhà.", "field": "ho_tich", "urgency": "normal"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
    assert response.status_code in (200, 201), response.content
    body = response.json()
    assert set(body) >= {"id", "status", "team", "assignee", "first_response_due", "resolution_due"}
    assert datetime.fromisoformat(body["first_response_due"]) == datetime(2026, 2, 23, 16, 30, tzinfo=VN_TZ)
    _t, other = issue_api_token(SYSTEM, users["camly.canbo"])
    assert (
        client.get(f"/api/hotline/tickets/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code
        == 404
    )


def test_reply_rate_faq_review_then_the_assistant_cites_it(
    client, demo, users, django_capture_on_commit_callbacks
):
    from civicdesk.handbook.models import Faq
    from civicdesk.hotline.models import Ticket

    login(client, "dilinh.canbo")
    _file_question(client)
    ticket = Ticket.objects.get(title=QUESTION)
    url = ticket.get_absolute_url()

    # the expert answers from the ticket page, and marks it resolved
    login(client, "tuphap.chuyenvien")
    page = client.get(url)
    assert page.status_code == 200
    replied = submit(
        client, page, {"body": FAQ_ANSWER, "then": "resolved"}, action=f"/hotline/{ticket.pk}/reply/"
    )
    assert replied.status_code == 200, html(replied)[:2000]
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.first_responded_at is not None

    # the official reads the answer and rates it
    login(client, "dilinh.canbo")
    page = client.get(url)
    assert FAQ_ANSWER[:40] in html(page)
    rated = submit(
        client, page, {"score": "5", "reason": "Rõ ràng, làm được ngay"}, action=f"/hotline/{ticket.pk}/rate/"
    )
    assert rated.status_code == 200
    ticket.refresh_from_db()
    assert ticket.csat_score == 5

    # the expert turns the answer into a FAQ draft sent for review
    login(client, "tuphap.chuyenvien")
    page = client.get(url)
    made = submit(
        client, page, {"question": FAQ_QUESTION, "answer": FAQ_ANSWER, "submit": "on"},
        action=f"/hotline/{ticket.pk}/faq/",
    )  # fmt: skip
    assert made.status_code == 200, html(made)[:2000]
    faq = Faq.objects.get(question=FAQ_QUESTION)
    assert faq.status == "in_review"
    assert client.post(f"/handbook/faqs/{faq.slug}/publish/", follow=True).status_code in (200, 403)
    faq.refresh_from_db()
    assert faq.status == "in_review", "the author published their own FAQ"

    # a second reviewer publishes it; the index rebuilds after the commit
    login(client, "biepphai.chuyenvien")
    record = client.get(f"/handbook/faqs/{faq.slug}/")
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, record, action=f"/handbook/faqs/{faq.slug}/publish/")
    faq.refresh_from_db()
    assert faq.status == "published"

    # the official asks the assistant the same question: the FAQ is cited
    login(client, "dilinh.canbo")
    chat = client.get("/assistant/")
    answer = submit(client, chat, {"q": FAQ_QUESTION}, contains="q")
    doc = lxml.html.fromstring(html(answer))
    turn = doc.xpath('//article[contains(@class, "assistant-turn")]')[-1]
    hrefs = [a.get("href") for a in turn.xpath('.//ol[contains(@class, "assistant-sources")]//a')]
    assert hrefs and hrefs[0].rstrip("/").endswith(f"/faqs/{faq.slug}"), hrefs


def test_the_operator_opens_on_triage_and_the_field_routes_the_question(client, demo, users):
    """Issue 13: tongdai.vien used to land on an empty "Tôi phụ trách" while the demo's unsorted question waited."""
    from civicdesk.handbook.models import Field
    from civicdesk.hotline.models import Ticket
    from civicdesk.hotline.services.routing import route

    login(client, "tongdai.vien")
    queues = client.get("/hotline/")
    tab = lxml.html.fromstring(html(queues)).xpath(
        '//nav[contains(@class, "hl-tabs")]/a[@aria-current="page"]'
    )[0]
    assert tab.get("href").endswith("queue=triage") and tab.xpath('.//*[@class="hl-count"]')[0].text == "1"
    unsorted = Ticket.objects.get(team__isnull=True)
    assert unsorted.title in html(queues)

    page = client.get(unsorted.get_absolute_url())
    noi_vu = Field.objects.get(code="noi_vu")
    done = submit(
        client, page, {"field": str(noi_vu.pk), "team": ""}, action=f"/hotline/{unsorted.pk}/transfer/"
    )
    assert done.status_code == 200, html(done)[:2000]
    unsorted.refresh_from_db()
    routed = route(unsorted.province, noi_vu)
    assert routed is not None and (unsorted.field, unsorted.team) == (noi_vu, routed)
    # triage is empty now: the operator opens on the next tab with work
    tab = lxml.html.fromstring(html(client.get("/hotline/"))).xpath(
        '//a[@aria-current="page"][contains(@href, "queue=")]'
    )
    assert not tab[0].get("href").endswith("queue=triage")


def test_the_faq_draft_is_not_sent_for_review_unless_ticked(client, demo, users):
    from civicdesk.hotline.models import Ticket

    # the demo's resolved and rated civil-status question of Di Linh
    ticket = Ticket.objects.get(title__startswith="Đăng ký khai sinh cho trẻ có cha là người nước ngoài")
    login(client, "tuphap.chuyenvien")
    page = client.get(ticket.get_absolute_url())
    form = lxml.html.fromstring(html(page)).xpath('//form[contains(@action, "/faq/")]')[0]
    assert not form.xpath('.//input[@name="submit"][@checked]')
    made = submit(
        client,
        page,
        {"question": "Khai sinh có yếu tố nước ngoài ở xã?"},
        action=f"/hotline/{ticket.pk}/faq/",
    )
    assert made.status_code == 200, html(made)[:2000]
    ticket.refresh_from_db()
    assert ticket.faq.status == "draft"


def test_a_breach_escalates_to_the_team_leader(client, demo, users, django_capture_on_commit_callbacks):
    from civicdesk.hotline.models import Ticket

    with time_machine.travel(FILED_AT, tick=False):
        login(client, "dilinh.canbo")
        _file_question(client)
    ticket = Ticket.objects.get(title=QUESTION)
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("hotline", "check-sla", "--now", "2026-02-26T09:00:00+07:00", stdout=out)
    ticket.refresh_from_db()
    assert ticket.escalated_at is not None, out.getvalue()
    leader = ticket.team.leader_user
    assert leader is not None
    assert any(leader.email in m.to for m in mail.outbox), [m.to for m in mail.outbox]
    with time_machine.travel(ticket.resolution_due + timedelta(hours=1), tick=False):
        login(client, "tuphap.chuyenvien")
        assert QUESTION[:30] in html(client.get("/hotline/?queue=overdue"))


def test_hotline_reports_and_expert_guide(login_as):
    client = login_as("tinh.admin")
    assert client.get("/hotline/reports/").status_code == 200
    export = client.get("/hotline/reports/export.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    from pathlib import Path

    from django.conf import settings

    guide = Path(settings.BASE_DIR).parent / "docs" / "huong-dan-duong-day-nong.md"
    assert guide.exists() and "chuyên viên" in guide.read_text(encoding="utf-8").lower()
