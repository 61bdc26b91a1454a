"""Telegram and Zalo OA webhooks (recorded-shape payloads, signatures, duplicates, sender mapping, replies through a
local stub server) and e-mail in (.eml files, threading by [HL-n], attachments)."""

import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command

from civicdesk.hotline import services
from civicdesk.hotline.channels import messaging
from civicdesk.hotline.channels.email_in import ingest_email, parse
from civicdesk.hotline.models import ChannelIdentity, InboundMessage, Ticket
from tests.stubs import JsonStub

PAYLOADS = Path(__file__).parent / "payloads"
ZALO_APP_ID, ZALO_SECRET, TG_SECRET = "3712345678901234567", "zalo-oa-secret-for-tests", "tg-secret-for-tests"


class StubChannel(JsonStub):
    """A local HTTP server standing in for api.telegram.org and openapi.zalo.me; it records what it receives."""

    def __init__(self):
        super().__init__(
            lambda path, _body: (
                {"ok": True, "result": {}} if "/bot" in path else {"error": 0, "message": "Success"}
            )
        )

    @property
    def requests(self):
        return [{"path": path, "headers": headers, "json": body} for path, headers, body in self.calls]

    def texts(self):
        return [r["json"].get("text") or r["json"]["message"]["text"] for r in self.requests]


@pytest.fixture
def stub(settings):
    server = StubChannel()
    settings.TELEGRAM_API_BASE = settings.ZALO_API_BASE = server.url
    settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_WEBHOOK_SECRET = "123:ABC", TG_SECRET
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET_KEY, settings.ZALO_OA_ACCESS_TOKEN = (
        ZALO_APP_ID,
        ZALO_SECRET,
        "zalo-token",
    )
    yield server
    server.close()


@pytest.fixture
def post_telegram(client, django_capture_on_commit_callbacks):
    def send(payload, secret=TG_SECRET):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/hotline/webhooks/telegram/",
                json.dumps(payload),
                content_type="application/json",
                HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
            )

    return send


def telegram(name="telegram_text.json", **changes):
    payload = json.loads((PAYLOADS / name).read_text())
    if "text" in changes:
        payload["message"]["text"] = changes["text"]
    if "update_id" in changes:
        payload["update_id"] = changes["update_id"]
    return payload


def test_telegram_link_then_ask_then_get_the_answer_back(
    post_telegram, stub, alice, routing, phap, quan, django_capture_on_commit_callbacks
):
    code = messaging.new_link_code(alice).code
    assert post_telegram(telegram(text=f"/start {code}", update_id=1)).json() == {"status": "linked"}
    assert ChannelIdentity.objects.get(channel="telegram").user == alice
    assert "Đã liên kết" in stub.texts()[-1] and stub.requests[-1]["path"] == "/bot123:ABC/sendMessage"

    assert post_telegram(telegram()).json() == {"status": "accepted"}
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.requester, ticket.commune) == ("telegram", alice, alice.commune)
    assert f"Đã nhận câu hỏi {ticket.reference}" in stub.texts()[-1]
    assert stub.requests[-1]["json"]["chat_id"] == "705123456"

    # Telegram retries the same update: nothing happens twice.
    sent = len(stub.requests)
    assert post_telegram(telegram()).json() == {"status": "duplicate"}
    assert Ticket.objects.count() == 1 and len(stub.requests) == sent

    # The triage desk routes it; the expert's reply goes back to the chat.
    services.transfer(quan, ticket, routing["tu_phap"], reason="Hộ tịch")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(phap, ticket, "Xã lập hồ sơ đăng ký lại khai sinh.")
    assert stub.texts()[-1].startswith(f"[{ticket.reference}] Lê Pháp trả lời:")

    # A follow-up naming the ticket joins it.
    assert post_telegram(
        telegram(text=f"{ticket.reference}: người dân còn giữ bản sao cũ", update_id=7)
    ).json() == {"status": "accepted"}
    assert ticket.messages.filter(author=alice, channel="telegram").exists()


def test_telegram_refuses_a_wrong_secret_and_ignores_stickers(post_telegram, stub, alice):
    assert post_telegram(telegram(), secret="doan-bua").status_code == 403
    assert not InboundMessage.objects.exists() and not stub.requests
    assert post_telegram(telegram("telegram_sticker.json")).json() == {"status": "ignored"}


def test_unlinked_sender_is_told_how_to_link(post_telegram, stub, alice):
    assert post_telegram(telegram()).json() == {"status": "rejected"}
    assert "chưa liên kết" in stub.texts()[-1] and not Ticket.objects.exists()


def test_expert_accounts_cannot_file_through_the_channel(post_telegram, stub, phap):
    ChannelIdentity.objects.create(user=phap, channel="telegram", external_id="705123456")
    assert post_telegram(telegram()).json() == {"status": "rejected"}
    assert "Chỉ cán bộ cấp xã" in stub.texts()[-1]


def _zalo_post(client, raw, signature):
    return client.post(
        "/hotline/webhooks/zalo/", raw, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=signature
    )


def test_zalo_signature_duplicates_and_reply(client, stub, charlie, django_capture_on_commit_callbacks):
    ChannelIdentity.objects.create(user=charlie, channel="zalo", external_id="246845883529197922")
    raw = (PAYLOADS / "zalo_user_send_text.json").read_bytes()
    event = json.loads(raw)
    good = messaging.zalo_signature(ZALO_APP_ID, raw, event["timestamp"], ZALO_SECRET)
    assert _zalo_post(client, raw, good.replace("mac=", "mac=0")).status_code == 403
    assert (
        _zalo_post(client, raw.replace(b"Ch\xe1\xbb\xa9ng", b"Xin"), good).status_code == 403
    )  # body changed
    with django_capture_on_commit_callbacks(execute=True):
        assert _zalo_post(client, raw, good).json() == {"status": "accepted"}
        assert _zalo_post(client, raw, good).json() == {"status": "duplicate"}
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.commune) == ("zalo", charlie.commune)
    assert len(stub.requests) == 1
    sent = stub.requests[0]
    assert sent["path"] == "/v3.0/oa/message/cs" and sent["headers"]["access_token"] == "zalo-token"
    assert sent["json"]["recipient"] == {"user_id": "246845883529197922"}
    follow = (PAYLOADS / "zalo_follow.json").read_bytes()
    signature = messaging.zalo_signature(ZALO_APP_ID, follow, "1770775100000", ZALO_SECRET)
    assert _zalo_post(client, follow, signature).json() == {"status": "ignored"}


def test_webhooks_refuse_when_the_channel_is_not_configured(client, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = settings.ZALO_OA_SECRET_KEY = ""
    assert (
        client.post("/hotline/webhooks/telegram/", "{}", content_type="application/json").status_code == 403
    )
    assert client.post("/hotline/webhooks/zalo/", "{}", content_type="application/json").status_code == 403
    assert client.get("/hotline/webhooks/telegram/").status_code == 405


def test_delivery_failure_is_logged_not_raised(settings, caplog):
    from civicdesk.hotline.channels.outbound import deliver

    settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_API_BASE = "1:x", "http://127.0.0.1:9"
    assert deliver("telegram", "1", "xin chào") is False
    assert "delivery" in caplog.text


# --- e-mail in -----------------------------------------------------------------------------------------------------
def test_fetch_mail_from_eml_files(
    tmp_path, alice, routing, phap, capsys, django_capture_on_commit_callbacks, mailoutbox
):
    for name in ("email_new_question.eml", "email_unknown_sender.eml"):
        shutil.copy(PAYLOADS / name, tmp_path / name)
    call_command("hotline", "fetch-mail", "--dir", str(tmp_path))
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.requester, ticket.title) == (
        "email",
        alice,
        "Hỏi về chứng thực bản sao giấy tờ nước ngoài",
    )
    assert [a.name for a in ticket.attachments.all()] == ["giay-to.pdf"]
    assert "setup.exe" in ticket.body  # the skipped file is named in the question
    assert InboundMessage.objects.get(sender="someone@unknown.test").outcome == "rejected"

    # Running again handles nothing twice.
    call_command("hotline", "fetch-mail", "--dir", str(tmp_path))
    assert "đã xử lý trước đó: 2" in capsys.readouterr().out and Ticket.objects.count() == 1

    # Alice answers the notification e-mail: it threads into the ticket by its reference.
    reply = EmailMessage()
    reply["From"], reply["Subject"], reply["Message-ID"] = (
        alice.email,
        f"Re: [{ticket.reference}] Trả lời mới",
        "<r1@x>",
    )
    reply.set_content("Người dân có hộ chiếu.\n\nOn Wed, Sở Tư pháp wrote:\n> câu trả lời cũ")
    record = ingest_email(parse(bytes(reply)))
    assert record.outcome == "accepted" and record.ticket == ticket
    assert ticket.messages.get().body == "Người dân có hộ chiếu."


def test_email_reply_to_a_ticket_of_another_commune_is_refused(ticket, charlie):
    message = EmailMessage()
    message["From"], message["Subject"], message["Message-ID"] = (
        charlie.email,
        f"[{ticket.reference}] xen vào",
        "<c1@x>",
    )
    message.set_content("Tôi không phải người hỏi")
    assert ingest_email(parse(bytes(message))).outcome == "rejected"
    assert not ticket.messages.exists()


def test_fetch_mail_reads_a_maildir(tmp_path, alice, routing):
    import mailbox

    box = mailbox.Maildir(tmp_path / "hopthu")
    box.add((PAYLOADS / "email_new_question.eml").read_bytes())
    call_command("hotline", "fetch-mail", "--dir", str(tmp_path / "hopthu"))
    assert Ticket.objects.get().channel == "email"
