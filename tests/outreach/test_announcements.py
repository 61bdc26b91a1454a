"""Announcing a visit of the mobile team to Di Linh's hamlets (outreach's side of the registry hand-off): who is
told and how, the message, idempotency, a correction when the day changes, and the messages on outreach's own
sending path. The visit arrives as the plain data the mobile team sends (`kernel.registry.VisitAnnouncement`)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.community.models import Person
from civicdesk.kernel.registry import AnnouncedStop, VisitAnnouncement, registry
from civicdesk.outreach import announcements, services
from civicdesk.outreach.models import Campaign, Message, Target
from civicdesk.outreach.text import sms_parts
from tests.factories import HamletFactory, UserFactory
from tests.stubs import SmsZnsStub

from .conftest import vn

pytestmark = pytest.mark.django_db
THURSDAY = dt.date(2026, 3, 5)


@pytest.fixture
def provider(settings):
    stub = SmsZnsStub()
    settings.OUTREACH_SMS_API_BASE = stub.url
    settings.OUTREACH_SMS_API_KEY = "test-key"
    yield stub
    stub.close()


@pytest.fixture
def thon4(di_linh):
    return HamletFactory(commune=di_linh, name="Thôn 4")


@pytest.fixture
def thon1(di_linh):
    return HamletFactory(commune=di_linh, name="Thôn 1")


def citizen(commune, name, phone="", hamlet=None, address="", consent=(), officer=None):
    person = Person.objects.create(
        province=commune.province, commune=commune, kind=Person.Kind.CITIZEN, full_name=name, phone=phone,
        hamlet=hamlet, address=address,
    )  # fmt: skip
    for channel in consent:
        services.record_consent(officer, person, channel, source="Phiếu đồng ý ở nhà văn hóa thôn")
    return person


@pytest.fixture
def people(di_linh, thon4, thon1, alice):
    return {
        "sms": citizen(di_linh, "K'Điệp", "+84912345678", thon4, consent=("sms", "phone"), officer=alice),
        "call": citizen(di_linh, "Ka Hòa", "+84912345679", thon4, consent=("phone",), officer=alice),
        "silent": citizen(di_linh, "K'Sơn", "+84912345680", thon4),  # no consent: silence is not consent
        "address": citizen(
            di_linh, "Ka Thủy", "+84912345681", address="Thôn 1, xã Di Linh", consent=("sms",), officer=alice
        ),
        "thon10": citizen(
            di_linh, "K'Lang", "+84912345682", address="Thôn 10, xã Di Linh", consent=("sms",), officer=alice
        ),
        "opted_out": citizen(
            di_linh, "Ya Đam", "+84912345683", thon4, consent=("sms", "phone"), officer=alice
        ),
    }


def visit(di_linh, thon4, thon1, day=THURSDAY, **changes):
    data = {
        "key": "test.visit:1",
        "commune_id": di_linh.pk,
        "title": "Thôn 4, Thôn 1",
        "day": day,
        "stops": (
            AnnouncedStop(thon4.pk, "Thôn 4", dt.time(8, 0), dt.time(9, 30), "Nhà văn hóa\u202e thôn"),
            AnnouncedStop(thon1.pk, "Thôn 1", dt.time(10, 0), dt.time(11, 0)),
        ),
        "procedures": ("Đăng ký khai sinh",),
        "procedure_codes": ("HT-001",),
        "bring": "giấy chứng sinh https://evil.example/x",
    }
    data.update(changes)
    return VisitAnnouncement(**data)


def test_outreach_registers_its_announcer():
    assert registry.announcer is announcements.ANNOUNCER


def test_who_is_told_and_how_follows_consent_and_do_not_contact(
    di_linh, thon4, thon1, alice, people, khai_sinh
):
    services.reply("sms", message_id="r1", phone="0912345683", text="TU CHOI")  # Ya Đam opted out
    preview = announcements.preview(alice, visit(di_linh, thon4, thon1))
    assert preview.refusals == []
    ways = {p["name"]: (p["action"], p["contacted"]) for p in preview.people}
    assert ways["K'Điệp"] == ("Nhắn SMS", True)
    assert ways["Ka Thủy"] == ("Nhắn SMS", True)  # hamlet known from the address
    assert ways["Ka Hòa"][0].startswith("Gọi điện")
    assert ways["K'Sơn"][1] is False and ways["Ya Đam"][1] is False
    assert "K'Lang" not in ways  # Thôn 10 is not Thôn 1
    assert preview.totals == {"message": 2, "correct": 0, "call": 1, "already": 0, "none": 2}
    message = preview.by_hamlet[0]["message"]
    assert message.startswith(
        "UBND xã Di Linh: thứ Năm 05/03, 08:00-09:30, tổ lưu động nhận hồ sơ tại Thôn 4"
    )
    assert "tại Thôn 4 (Nhà văn hóa thôn)." in message and "Đăng ký khai sinh" in message
    assert "\u202e" not in message and "evil.example" not in message  # typed values are neutralised
    assert "TU CHOI" in message
    assert len(message) <= preview.sms_limit and preview.by_hamlet[0]["parts"] == sms_parts(message)
    # Vietnamese with its marks goes as UCS-2 (67 characters a part): the announcement stays within four parts.
    assert sms_parts(message) <= 4, message
    assert Campaign.objects.count() == 0  # a preview writes nothing


def test_a_team_member_sees_counts_not_names(di_linh, thon4, thon1, people):
    team = UserFactory(username="tuan", role="mobile_team", commune=di_linh)
    preview = announcements.preview(team, visit(di_linh, thon4, thon1))
    assert preview.people == [] and preview.totals["message"] == 3  # K'Điệp, Ka Thủy, Ya Đam


def test_another_commune_may_not_announce(di_linh, thon4, thon1, charlie, people):
    with pytest.raises(PermissionDenied):
        announcements.preview(charlie, visit(di_linh, thon4, thon1))
    with pytest.raises(PermissionDenied):
        services.announce_visit(charlie, visit(di_linh, thon4, thon1))
    assert not announcements.can_announce(charlie, di_linh.pk)


def test_announcing_twice_tells_nobody_twice_and_a_new_day_sends_a_correction(
    di_linh,
    thon4,
    thon1,
    alice,
    people,
    khai_sinh,
    provider,
    django_capture_on_commit_callbacks,
    time_machine,
):
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.announce_visit(alice, visit(di_linh, thon4, thon1))
    assert counts["message"] == 3 and counts["call"] == 1 and counts["none"] == 1
    campaign = Campaign.objects.get(source_key="test.visit:1")
    assert campaign.theme == "mobile_trip" and campaign.end_date == THURSDAY
    assert list(campaign.procedures.values_list("code", flat=True)) == ["HT-001"]
    assert len(provider.calls) == 3 and all(c[0] == "/messages" for c in provider.calls)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    call = Target.objects.get(campaign=campaign, person=people["call"])
    assert call.status == "new" and "05/03/2026" in call.note

    time_machine.move_to(vn(2026, 3, 2, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        again = services.announce_visit(alice, visit(di_linh, thon4, thon1))
    assert again["message"] == 0 and again["already"] == 4 and len(provider.calls) == 3
    state = announcements.state(alice, visit(di_linh, thon4, thon1))
    assert (state.reached, state.queued, state.failed, state.to_call, state.no_contact) == (3, 0, 0, 1, 1)
    assert not state.stale and state.campaign_url == f"/outreach/campaigns/{campaign.pk}/"

    moved = visit(di_linh, thon4, thon1, day=dt.date(2026, 3, 6))
    assert announcements.state(alice, moved).stale
    services.reply("sms", message_id="r2", phone="0912345683", text="STOP")  # Ya Đam opts out meanwhile
    preview = announcements.preview(alice, moved)
    assert preview.totals["correct"] == 2 and preview.by_hamlet[0]["correction"].startswith("ĐÍNH CHÍNH: ")
    with django_capture_on_commit_callbacks(execute=True):
        corrected = services.announce_visit(alice, moved)
    assert corrected["correct"] == 2 and corrected["none"] == 2 and len(provider.calls) == 5
    assert (
        provider.calls[-1][2]["text"].startswith("ĐÍNH CHÍNH: ")
        and "thứ Sáu 06/03" in provider.calls[-1][2]["text"]
    )
    assert Campaign.objects.get(pk=campaign.pk).end_date == dt.date(2026, 3, 6)
    assert "06/03/2026" in Target.objects.get(pk=call.pk).note
    assert not announcements.state(alice, moved).stale


def test_a_past_day_and_the_quiet_hours_are_refused(di_linh, thon4, thon1, alice, people, time_machine):
    with pytest.raises(ValidationError) as refused:
        services.announce_visit(alice, visit(di_linh, thon4, thon1, day=dt.date(2026, 3, 1)))
    assert "đã qua" in refused.value.messages[0]
    time_machine.move_to(vn(2026, 3, 2, 21, 0))
    assert announcements.preview(alice, visit(di_linh, thon4, thon1)).refusals
    with pytest.raises(ValidationError):
        services.announce_visit(alice, visit(di_linh, thon4, thon1))
    assert not Campaign.objects.exists() and not Message.objects.exists()


def test_the_citizens_a_trip_served_are_matched_to_the_announcement(
    di_linh, thon4, thon1, alice, people, django_capture_on_commit_callbacks, provider
):
    assert announcements.reached_among("test.visit:1", [("", "0912345678")]) is None
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_visit(alice, visit(di_linh, thon4, thon1))
    served = [("", "0912 345 678"), ("068190001234", ""), ("", "0912345679")]  # told, unknown, only to call
    assert announcements.reached_among("test.visit:1", served) == 1
