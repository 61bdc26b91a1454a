"""The hotline pages as people use them, and a refusal for every view: charlie (Cam Ly) gets 404 on Di Linh's
tickets; visible-but-not-allowed is 403."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.core.models import AuditEvent
from civicdesk.hotline import services
from civicdesk.hotline.models import Absence, CannedResponse, RoutingRule, SlaPolicy, Ticket
from tests.handbook.factories import FaqFactory

S = Ticket.Status


def test_official_files_a_question_with_an_attachment(client_for, alice, routing, phap, fields):
    client = client_for(alice)
    page = client.get("/hotline/new/")
    assert page.status_code == 200 and "Gửi câu hỏi lên đường dây nóng" in page.content.decode()
    response = client.post(
        "/hotline/new/",
        {
            "title": "Khai sinh cho trẻ có cha là người nước ngoài",
            "body": "Chi tiết tình huống",
            "field": fields["ho_tich"].pk,
            "urgency": "normal",
            "attachments": [SimpleUploadedFile("giay.pdf", b"%PDF-1.4 x")],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/hotline/{ticket.pk}/"
    assert ticket.attachments.count() == 1 and ticket.requester == alice and ticket.assignee == phap


def test_invalid_form_keeps_what_was_typed(client_for, alice, routing):
    response = client_for(alice).post(
        "/hotline/new/",
        {
            "title": "Câu hỏi giữ nguyên",
            "body": "",
            "urgency": "normal",
            "attachments": [SimpleUploadedFile("a.exe", b"MZ")],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'value="Câu hỏi giữ nguyên"' in html and "errorlist" in html
    assert not Ticket.objects.exists()


def test_prefilled_from_the_assistant(client_for, alice, routing):
    html = client_for(alice).get("/hotline/new/?question=Khai+sinh+con+lai&conversation=42").content.decode()
    assert 'value="Khai sinh con lai"' in html and 'name="conversation" value="42"' in html
    assert "chuyển từ trợ lý AI" in html


def test_suggestions_while_typing(client_for, alice, routing, django_capture_on_commit_callbacks):
    FaqFactory(
        slug="khai-sinh-nuoc-ngoai", question="Đăng ký khai sinh cho trẻ có cha là người nước ngoài ở đâu?"
    )
    response = client_for(alice).get(
        "/hotline/suggest/", {"title": "khai sinh cha người nước ngoài"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Đăng ký khai sinh cho trẻ có cha là người nước ngoài ở đâu?" in html


def test_queues(client_for, ticket, phap, alice, charlie, quan, file_question):
    file_question(alice, field=None, title="Câu hỏi chưa phân loại")
    assert ticket.title in client_for(phap).get("/hotline/").content.decode()
    assert "Câu hỏi chưa phân loại" in client_for(quan).get("/hotline/?queue=triage").content.decode()
    assert ticket.title in client_for(alice).get("/hotline/?queue=commune").content.decode()
    rows = client_for(charlie).get("/hotline/?queue=commune&q=khai", HTTP_HX_REQUEST="true").content.decode()
    assert ticket.title not in rows and "<html" not in rows
    with time_machine.travel(ticket.resolution_due + timedelta(hours=1), tick=False):
        overdue = client_for(phap).get("/hotline/?queue=overdue").content.decode()
    assert ticket.title in overdue


def test_detail_shows_the_sla_and_hides_internal_notes_from_the_commune(client_for, ticket, phap, alice):
    services.reply(phap, ticket, "Ghi chú riêng của sở", internal=True)
    services.reply(phap, ticket, "Trả lời công khai")
    expert_html = client_for(phap).get(f"/hotline/{ticket.pk}/").content.decode()
    assert "Ghi chú riêng của sở" in expert_html and "Thời hạn" in expert_html
    commune_html = client_for(alice).get(f"/hotline/{ticket.pk}/").content.decode()
    assert "Trả lời công khai" in commune_html and "Ghi chú riêng của sở" not in commune_html


def test_phone_call_logged_by_the_operator_shows_caller_data_with_audit(
    client_for, routing, quan, di_linh, phap
):
    client = client_for(quan)
    response = client.post(
        "/hotline/phone/",
        {
            "commune": di_linh.pk,
            "caller_name": "Bà Ka Huệ",
            "caller_phone": "0912 345 678",
            "title": "Hỏi về chứng thực",
            "body": "Gọi điện hỏi",
            "field": "",
            "urgency": "normal",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.channel == "phone" and ticket.caller_name == "Bà Ka Huệ"
    assert "0912 345 678" in client.get(f"/hotline/{ticket.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(ticket.pk), actor=quan).exists()


def test_reply_with_htmx_then_reload_shows_the_same(client_for, ticket, phap):
    client = client_for(phap)
    response = client.post(
        f"/hotline/{ticket.pk}/reply/", {"body": "Xã có thẩm quyền.", "then": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Xã có thẩm quyền." in html and "<html" not in html
    assert "Xã có thẩm quyền." in client.get(f"/hotline/{ticket.pk}/").content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.ANSWERED


def test_empty_reply_keeps_the_form(client_for, ticket, phap):
    response = client_for(phap).post(f"/hotline/{ticket.pk}/reply/", {"body": "  "})
    assert response.status_code == 400 and "errorlist" in response.content.decode()


def test_full_flow_through_the_pages(client_for, ticket, phap, alice, quan):
    client_for(phap).post(f"/hotline/{ticket.pk}/reply/", {"body": "Trả lời", "then": "resolved"})
    client = client_for(alice)
    assert client.post(f"/hotline/{ticket.pk}/rate/", {"score": "1", "reason": ""}).status_code == 400
    assert client.post(f"/hotline/{ticket.pk}/rate/", {"score": "4", "reason": "Tốt"}).status_code == 302
    assert client.post(f"/hotline/{ticket.pk}/reopen/", {"reason": "Còn vướng"}).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.csat_score) == (S.ASSIGNED, 4)
    assert client_for(phap).post(f"/hotline/{ticket.pk}/resolve/").status_code == 302
    assert client_for(alice).post(f"/hotline/{ticket.pk}/close/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    response = client_for(phap).post(
        f"/hotline/{ticket.pk}/faq/",
        {"question": "Câu hỏi chung?", "answer": "Trả lời chung.", "submit": "on"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.faq.question == "Câu hỏi chung?"


def test_manage_assign_transfer_merge_link_pages(
    client_for, ticket, phap, phap2, routing, alice, file_question
):
    client = client_for(phap)
    assert client.post(f"/hotline/{ticket.pk}/assign/", {"assignee": phap2.pk}).status_code == 302
    other = file_question(alice, title="Trùng")
    assert client.post(f"/hotline/{other.pk}/merge/", {"target": ticket.pk}).status_code == 302
    assert client.post(f"/hotline/{other.pk}/merge/", {"target": 999999}).status_code == 400
    from tests.handbook.factories import ProcedureFactory

    procedure = ProcedureFactory(code="HT-201", name="Khai sinh", field=ticket.field)
    assert (
        client.post(f"/hotline/{ticket.pk}/links/", {"kind": "procedure", "key": "HT-201"}).status_code == 302
    )
    link = ticket.handbook_links.get()
    assert link.title == procedure.name
    search = client.get(f"/hotline/{ticket.pk}/links/search/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true")
    assert search.status_code == 200
    assert client.post(f"/hotline/{ticket.pk}/links/{link.pk}/delete/").status_code == 302
    response = client.post(
        f"/hotline/{ticket.pk}/transfer/", {"team": routing["land"].pk, "reason": "Đất đai"}
    )
    assert response.status_code == 302 and response.url == "/hotline/"


def test_claim_conflict_is_a_clear_message(client_for, ticket, phap2):
    response = client_for(phap2).post(f"/hotline/{ticket.pk}/claim/", follow=True)
    assert "đã có người nhận" in response.content.decode()


def test_settings_pages_for_the_province_admin(client_for, quan, routing, fields, lam_dong):
    client = client_for(quan)
    assert "Lĩnh vực → nhóm trả lời" in client.get("/hotline/settings/").content.decode()
    assert client.post("/hotline/settings/", {"sync_teams": "1"}).status_code == 302
    response = client.post(
        "/hotline/settings/rules/", {"field": fields["ho_tich"].pk, "team": routing["land"].pk}
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(field=fields["ho_tich"])
    assert client.post(f"/hotline/settings/rules/{rule.pk}/delete/").status_code == 302
    bad = client.post(
        "/hotline/settings/sla/",
        {"urgency": "high", "first_response_hours": "9", "resolution_hours": "4", "warn_percent": "75"},
    )
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    good = client.post(
        "/hotline/settings/sla/",
        {"urgency": "high", "first_response_hours": "2", "resolution_hours": "8", "warn_percent": "80"},
    )
    assert good.status_code == 302 and SlaPolicy.objects.get(urgency="high").warn_percent == 80


def test_team_page_canned_replies_and_absences(client_for, phap, phap2, routing):
    team = routing["tu_phap"]
    client = client_for(phap)
    assert client.get(f"/hotline/teams/{team.pk}/").status_code == 200
    assert (
        client.post(
            f"/hotline/teams/{team.pk}/", {"strategy": "least_open", "leader": phap.pk, "is_active": "on"}
        ).status_code
        == 302
    )
    assert (
        client.post(f"/hotline/teams/{team.pk}/canned/", {"title": "Mẫu", "body": "Nội dung mẫu"}).status_code
        == 302
    )
    canned = CannedResponse.objects.get()
    assert client.post(f"/hotline/teams/{team.pk}/canned/{canned.pk}/delete/").status_code == 302
    response = client.post(
        "/hotline/absences/", {"user": phap2.pk, "start": "2026-03-03", "end": "2026-03-05"}
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert client.post(f"/hotline/absences/{absence.pk}/delete/").status_code == 302
    bad = client.post("/hotline/absences/", {"user": phap.pk, "start": "2026-03-05", "end": "2026-03-03"})
    assert bad.status_code == 400


def test_channel_link_page(client_for, alice):
    client = client_for(alice)
    response = client.post("/hotline/channels/")
    assert response.status_code == 200 and 'id="link-code"' in response.content.decode()


# --- refusals ------------------------------------------------------------------------------------------------------
@pytest.fixture
def extras(ticket, phap, alice):
    attachment = services.reply(
        phap, ticket, "Kèm mẫu", attachments=[SimpleUploadedFile("mau.pdf", b"%PDF-1.4 x")]
    ).attachments.get()
    from tests.handbook.factories import ProcedureFactory

    link = services.link_record(phap, ticket, ProcedureFactory(code="HT-301", field=ticket.field))
    return {"attachment": attachment, "link": link}


def test_other_commune_gets_404_on_every_ticket_view(client_for, charlie, ticket, extras):
    client = client_for(charlie)
    pk = ticket.pk
    gets = [
        f"/hotline/{pk}/",
        f"/hotline/{pk}/attachments/{extras['attachment'].pk}/",
        f"/hotline/{pk}/links/search/?q=x",
    ]
    posts = [
        f"/hotline/{pk}/{action}/"
        for action in (
            "claim",
            "assign",
            "transfer",
            "reply",
            "resolve",
            "close",
            "reopen",
            "merge",
            "rate",
            "faq",
        )
    ] + [f"/hotline/{pk}/links/", f"/hotline/{pk}/links/{extras['link'].pk}/delete/"]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert (
            client.post(url, {"body": "x", "reason": "x", "score": "5", "target": pk}).status_code == 404
        ), url
    ticket.refresh_from_db()
    assert ticket.messages.count() == 1 and ticket.status == S.ANSWERED


def test_expert_of_another_department_gets_404(client_for, lam, ticket):
    assert client_for(lam).get(f"/hotline/{ticket.pk}/").status_code == 404
    assert client_for(lam).post(f"/hotline/{ticket.pk}/claim/").status_code == 404


def test_visible_but_not_allowed_is_403(client_for, ticket, alice, linh, phap2, phap, extras, routing):
    # Linh (Di Linh's leader) sees the ticket but is not an expert.
    assert client_for(linh).post(f"/hotline/{ticket.pk}/claim/").status_code == 403
    assert client_for(linh).post(f"/hotline/{ticket.pk}/assign/", {"assignee": phap2.pk}).status_code == 403
    assert (
        client_for(linh)
        .post(f"/hotline/{ticket.pk}/links/", {"kind": "procedure", "key": "HT-301"})
        .status_code
        == 403
    )
    assert client_for(linh).post(f"/hotline/{ticket.pk}/links/{extras['link'].pk}/delete/").status_code == 403
    assert client_for(linh).get(f"/hotline/{ticket.pk}/links/search/?q=x").status_code == 404
    land = routing["land"].pk
    assert (
        client_for(linh).post(f"/hotline/{ticket.pk}/transfer/", {"team": land, "reason": "x"}).status_code
        == 403
    )
    # phap2 is in the team but not its leader; the expert may not rate.
    assert client_for(phap2).post(f"/hotline/{ticket.pk}/assign/", {"assignee": phap2.pk}).status_code == 403
    assert client_for(phap).post(f"/hotline/{ticket.pk}/rate/", {"score": "5"}).status_code == 403
    services.resolve(phap, ticket)
    assert (
        client_for(alice).post(f"/hotline/{ticket.pk}/faq/", {"question": "q", "answer": "a"}).status_code
        == 403
    )
    assert client_for(phap2).post(f"/hotline/{ticket.pk}/merge/", {"target": ticket.pk}).status_code == 400


def test_role_pages_refuse_the_wrong_roles(client_for, phap, alice, charlie, routing, fields):
    assert client_for(phap).get("/hotline/new/").status_code == 403
    assert client_for(alice).get("/hotline/phone/").status_code == 403
    for url in ("/hotline/settings/",):
        assert client_for(phap).get(url).status_code == 403
    for url, data in (
        ("/hotline/settings/rules/", {"field": fields["ho_tich"].pk, "team": routing["land"].pk}),
        (
            "/hotline/settings/sla/",
            {"urgency": "low", "first_response_hours": 1, "resolution_hours": 2, "warn_percent": 75},
        ),
    ):
        assert client_for(alice).post(url, data).status_code == 403
    rule = RoutingRule.objects.get()
    assert client_for(phap).post(f"/hotline/settings/rules/{rule.pk}/delete/").status_code == 403
    assert RoutingRule.objects.filter(pk=rule.pk).exists()
    assert client_for(alice).get("/hotline/absences/").status_code == 403


def test_team_settings_refused_to_non_leaders(
    client_for, charlie, phap2, routing, phap, other_province_commune
):
    team = routing["tu_phap"]
    assert client_for(charlie).post(f"/hotline/teams/{team.pk}/", {"strategy": "manual"}).status_code == 403
    assert (
        client_for(phap2).post(f"/hotline/teams/{team.pk}/canned/", {"title": "x", "body": "y"}).status_code
        == 403
    )
    canned = services.save_canned_response(phap, team=team, title="Mẫu", body="Nội dung")
    assert client_for(phap2).post(f"/hotline/teams/{team.pk}/canned/{canned.pk}/delete/").status_code == 403
    from tests.factories import UserFactory

    outsider = UserFactory(role="commune_officer", commune=other_province_commune)
    assert client_for(outsider).get(f"/hotline/teams/{team.pk}/").status_code == 404


def test_absences_of_others_are_not_reachable(client_for, phap, phap2, lam, routing):
    absence = services.add_absence(phap, user=phap2, start=date(2026, 3, 3), end=date(2026, 3, 4))
    assert client_for(lam).post(f"/hotline/absences/{absence.pk}/delete/").status_code == 404
    assert Absence.objects.filter(pk=absence.pk).exists()


def test_channel_unlink_of_someone_else_is_404(client_for, alice, charlie):
    from civicdesk.hotline.models import ChannelIdentity

    identity = ChannelIdentity.objects.create(user=alice, channel="telegram", external_id="111")
    assert client_for(charlie).post(f"/hotline/channels/{identity.pk}/unlink/").status_code == 404
    assert client_for(alice).post(f"/hotline/channels/{identity.pk}/unlink/").status_code == 302


def test_anonymous_is_sent_to_login(client, ticket):
    for url in (
        "/hotline/",
        "/hotline/new/",
        f"/hotline/{ticket.pk}/",
        "/hotline/reports/",
        "/hotline/suggest/",
        "/hotline/phone/",
        "/hotline/settings/",
        "/hotline/channels/",
        "/hotline/absences/",
        "/hotline/reports/export.xlsx",
        f"/hotline/teams/{ticket.team_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_home_cards(client_for, ticket, alice, phap, quan):
    assert "Đường dây nóng" in client_for(alice).get("/").content.decode()
    assert "tôi phụ trách" in client_for(phap).get("/").content.decode()
    assert "cần phân loại" in client_for(quan).get("/").content.decode()
