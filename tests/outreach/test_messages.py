"""SMS and Zalo ZNS against local stub servers: idempotent sends, receipts, quota, and opt-out by reply."""

import pytest
from django.core.exceptions import ValidationError

from civicdesk.outreach import services
from civicdesk.outreach.models import Message, MessageTemplate, Target
from civicdesk.outreach.rules import blockers
from tests.factories import SYSTEM
from tests.stubs import SmsZnsStub

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    stub = SmsZnsStub()
    settings.OUTREACH_SMS_API_BASE = stub.url
    settings.OUTREACH_SMS_API_KEY = "test-key"
    settings.OUTREACH_ZNS_API_BASE = stub.url
    settings.OUTREACH_ZNS_ACCESS_TOKEN = "zns-token"
    yield stub
    stub.close()


@pytest.fixture
def sms(di_linh):
    return services.save_template(SYSTEM, province=di_linh.province, commune=di_linh, data={
        "channel": "sms", "name": "Mời làm khai sinh",
        "body": "UBND {xa}: chào {ho_ten}, xã hỗ trợ thủ tục {thu_tuc}. Nhắn TU CHOI để không nhận tin."})  # fmt: skip


def test_a_message_is_sent_once_with_its_tracking_id(
    listed, alice, sms, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_message(alice, listed[0], sms)
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_id == "m1" and message.phone == "+84912345678"
    path, headers, body = provider.calls[0]
    assert path == "/messages" and headers["authorization"] == "Bearer test-key"
    assert (
        body["tracking_id"] == message.tracking_id
        and "K'Điệp" in body["text"]
        and "Đăng ký khai sinh" in body["text"]
    )
    services.deliver(message.pk)  # a retried job: nothing more is sent
    assert len(provider.calls) == 1
    target = Target.objects.get(pk=listed[0].pk)
    assert target.attempts.get().outcome == "message_sent" and target.status == "in_progress"
    services.receipt("sms", tracking_id=message.tracking_id, status="delivered")
    assert Message.objects.get(pk=message.pk).status == "delivered"


def test_a_provider_failure_is_recorded_and_a_retry_keeps_the_tracking_id(listed, alice, sms, provider,
                                                                          django_capture_on_commit_callbacks):  # fmt: skip
    provider.down = True
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_message(alice, listed[0], sms)
    message.refresh_from_db()
    assert message.status == "failed" and "503" in message.error


def test_zalo_zns_sends_the_approved_template_with_parameters(listed, alice, di_linh, provider,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    from civicdesk.outreach.models import Consent

    Consent.objects.create(
        person=listed[0].person, channel="zalo", source="Phiếu", given_at=listed[0].created_at
    )
    zns = MessageTemplate.objects.create(province=di_linh.province, channel="zalo", name="ZNS", body="{ho_ten}",
                                         zns_template_id="7895417a")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_message(alice, listed[0], zns)
    path, headers, body = provider.calls[0]
    assert path == "/message/template" and headers["access_token"] == "zns-token"
    assert body["phone"] == "84912345678" and body["template_id"] == "7895417a"
    assert body["template_data"]["ho_ten"] == "K'Điệp" and body["tracking_id"] == message.tracking_id


def test_the_daily_quota_holds(listed, alice, sms, settings, provider):
    settings.OUTREACH_SMS_DAILY_QUOTA = 1
    services.record_consent(alice, listed[1].person, "sms", source="Đồng ý qua điện thoại")
    services.send_message(alice, listed[0], sms)
    with pytest.raises(ValidationError) as err:
        services.send_message(alice, listed[1], sms)
    assert "hạn mức" in err.value.messages[0]


def test_a_stop_reply_blocks_every_further_contact_and_says_why(listed, alice, sms):
    inbound = services.reply("sms", message_id="in-1", phone="84912345678", text="Từ chối")
    assert inbound.opted_out
    assert (
        services.reply("sms", message_id="in-1", phone="84912345678", text="Từ chối") is None
    )  # retried webhook
    target = Target.objects.get(pk=listed[0].pk)
    assert target.status == "blocked"
    reasons = blockers(target.person, "phone", target=target)
    assert reasons[0].code == "do_not_contact" and "từ chối" in reasons[0].message.lower()
    with pytest.raises(services.ContactBlocked):
        services.record_attempt(alice, target, channel="visit", outcome="reached")
    with pytest.raises(services.ContactBlocked):
        services.send_message(alice, target, sms)


def test_an_ordinary_reply_is_kept_and_blocks_nothing(listed):
    inbound = services.reply("sms", message_id="in-2", phone="0912345678", text="Mai tôi lên xã được không?")
    assert not inbound.opted_out
    assert Target.objects.get(pk=listed[0].pk).status == "new"


def test_templates_accept_only_known_fields(di_linh):
    with pytest.raises(ValidationError):
        services.save_template(SYSTEM, province=di_linh.province, commune=di_linh,
                               data={"channel": "sms", "name": "x", "body": "Chào {ten}"})  # fmt: skip


def test_a_zalo_template_needs_the_id_zalo_approved(di_linh):
    data = {"channel": "zalo", "name": "Mời làm thủ tục", "body": "Chào {ho_ten}"}
    with pytest.raises(ValidationError) as err:
        services.save_template(SYSTEM, province=di_linh.province, commune=di_linh, data=data)
    assert "zns_template_id" in err.value.message_dict
    saved = services.save_template(
        SYSTEM, province=di_linh.province, commune=di_linh, data={**data, "zns_template_id": "231456"}
    )
    assert saved.zns_template_id == "231456"
