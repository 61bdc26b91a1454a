"""Reminders the day before, once, to volunteers who agreed: an e-mail with an .ics invite, or an SMS or a Zalo ZNS
message (local stub provider: nothing leaves the machine) with e-mail standing in when those fail."""

import logging
import re
from io import StringIO

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from civicdesk.community.models import Person
from civicdesk.volunteers import services
from civicdesk.volunteers.models import Booking
from civicdesk.volunteers.reminders import answer_token, ics, read_answer_token, send_for
from tests.factories import UserFactory
from tests.stubs import SmsZnsStub

pytestmark = pytest.mark.django_db


def test_tomorrows_bookings_get_one_reminder_with_the_invite(alice, vy, tuan, week, mailoutbox):
    tuesday_am = week[2]
    vy.email = "vy@example.org"
    vy.save()
    tuan.email, tuan.contact_consent = "tuan@example.org", False  # no consent: no reminder
    tuan.save()
    services.book(alice, tuesday_am, vy)
    services.book(alice, tuesday_am, tuan)
    out = StringIO()
    call_command("volunteers", "remind", stdout=out)  # Monday 2 March: the next working day is Tuesday
    assert "Đã gửi 1 tin nhắc: 1 qua thư điện tử, 0 qua SMS, 0 qua Zalo; 1 người" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["vy@example.org"]]
    message = mailoutbox[0]
    assert "03/03/2026" in message.subject and "/volunteers/mine/" in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and name == "ca-truc-2026-03-03.ics"
    assert (
        "DTSTART:20260303T003000Z" in content and "DTEND:20260303T043000Z" in content
    )  # 07:30–11:30 in Vietnam
    again = send_for(tuesday_am.day)
    assert (again.sent, again.skipped) == (0, 1)  # sent once; tuan still without consent
    assert len(mailoutbox) == 1


def test_the_invite_escapes_what_a_name_could_carry(alice, di_linh, vy, week):
    di_linh.name = "Xã Di Linh; DTSTART:19990101T000000Z,\nX"
    di_linh.save()
    booking = services.book(alice, week[2], vy)
    text = ics(booking)
    assert "Xã Di Linh\\; DTSTART:19990101T000000Z\\,\\nX" in text.replace("\r\n ", "")
    assert text.count("\r\nDTSTART:") == 1
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_reminders_links_answer_in_one_click_without_signing_in(client, alice, di_linh, vy, tuan, week, mailoutbox,
                                                                    _pinned):  # fmt: skip
    import re

    from civicdesk.volunteers.models import Booking

    from .conftest import _volunteer, vn

    shift = week[2]  # Tuesday morning, 2 places
    vy.email = "vy@example.org"
    vy.save()
    services.book(alice, shift, vy)
    services.book(alice, shift, tuan)
    third = _volunteer(alice, di_linh, "an", "Ka An")
    services.sign_up(third.person.user, shift, third)  # full: waiting list
    send_for(shift.day)
    no = re.search(r"Không đến được[^:]*: (\S+)", mailoutbox[0].body).group(1)
    path = no.split("testserver")[-1] if "testserver" in no else "/" + no.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and "tôi không đến được" in page.content.decode()
    assert Booking.objects.get(shift=shift, volunteer=vy).status == "confirmed"  # a GET answers nothing
    client.post(path)
    assert Booking.objects.get(shift=shift, volunteer=vy).status == "declined"
    assert (
        Booking.objects.get(shift=shift, volunteer=third).status == "confirmed"
    )  # the waiting list moved up
    assert client.get(path[:-3] + "xyz/").status_code == 404  # forged
    _pinned.move_to(vn(2026, 3, 3, 12, 0))
    assert client.get(path).status_code == 404  # the shift is over


# SMS and Zalo ---------------------------------------------------------------------------------------------------


@pytest.fixture
def provider(settings):
    stub = SmsZnsStub()
    settings.VOLUNTEERS_SMS_API_BASE = stub.url
    settings.VOLUNTEERS_SMS_API_KEY = "vol-key"
    settings.VOLUNTEERS_ZNS_API_BASE = stub.url
    settings.VOLUNTEERS_ZNS_ACCESS_TOKEN = "vol-zns-token"
    settings.VOLUNTEERS_ZNS_REMINDER_TEMPLATE_ID = "412233"
    yield stub
    stub.close()


def _choose(volunteer, channel, email=""):
    volunteer.reminder_channel, volunteer.email = channel, email
    volunteer.save()


def _answers(text):
    """The (booking, coming) each one-click link in `text` answers for."""
    found = re.findall(r"/volunteers/answer/([^/\s]+)/", text)
    return [read_answer_token(token) for token in found]


PHONE_FORMS = ("0912000111", "84912000111", "912000111", "0912 000 111")


def test_an_sms_reminder_carries_the_shift_one_answer_link_and_the_booking_tracking_id(alice, vy, week, provider,
                                                                                     mailoutbox):  # fmt: skip
    _choose(vy, "sms", email="vy@example.org")
    booking = services.book(alice, week[2], vy)  # Tuesday 3 March, 07:30–11:30
    out = StringIO()
    call_command("volunteers", "remind", stdout=out)
    assert "Đã gửi 1 tin nhắc: 0 qua thư điện tử, 1 qua SMS, 0 qua Zalo" in out.getvalue()
    [(path, headers, body)] = provider.calls
    assert path == "/messages" and headers["authorization"] == "Bearer vol-key"
    assert body["to"] == "+84912000111" and body["tracking_id"] == f"vol-remind-{booking.pk}"
    text = body["text"]
    assert "03/03/2026" in text and "07:30–11:30" in text and "Xã Di Linh" in text
    assert "Lý Thị Vy" not in text  # short: no name
    # One link, to a page that offers both answers: two signed links made the text four or five SMS parts.
    assert [(b.pk, coming) for b, coming in _answers(text)] == [(booking.pk, None)]
    assert len(text) <= 3 * 67  # at most three concatenated UCS-2 parts (67 characters each)
    assert mailoutbox == []  # the SMS went, so no e-mail
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.reminder_channel == "sms" and booking.reminded_at is not None


def test_a_zalo_reminder_sends_the_approved_template_with_its_parameters(
    alice, vy, week, provider, mailoutbox
):
    _choose(vy, "zalo")
    booking = services.book(alice, week[3], vy)  # Tuesday 3 March, afternoon 13:30–17:00
    done = send_for(week[3].day)
    assert (done.zalo, done.sent, done.fallback) == (1, 1, 0)
    [(path, headers, body)] = provider.calls
    assert path == "/message/template" and headers["access_token"] == "vol-zns-token"
    assert body["phone"] == "84912000111" and body["template_id"] == "412233"
    assert body["tracking_id"] == f"vol-remind-{booking.pk}"
    data = body["template_data"]
    assert {k: data[k] for k in ("name", "day", "time", "commune")} == {
        "name": "Lý Thị Vy", "day": "03/03/2026", "time": "13:30–17:00", "commune": "Xã Di Linh",
    }  # fmt: skip
    assert [(b.pk, coming) for b, coming in _answers(f"{data['yes_url']} {data['no_url']}")] == [
        (booking.pk, True),
        (booking.pk, False),
    ]
    assert mailoutbox == [] and Booking.objects.get(pk=booking.pk).reminder_channel == "zalo"


@pytest.mark.parametrize("channel", ["sms", "zalo"])
@pytest.mark.parametrize("failure", ["refuse", "down"])
def test_a_provider_failure_falls_back_to_email_and_logs_no_number_or_name(alice, vy, week, provider, mailoutbox,
                                                                          caplog, channel, failure):  # fmt: skip
    setattr(provider, failure, True)
    _choose(vy, channel, email="vy@example.org")
    booking = services.book(alice, week[2], vy)
    with caplog.at_level(logging.INFO, logger="civicdesk.volunteers"):
        done = send_for(week[2].day)
    assert len(provider.calls) == 1  # tried once, by the volunteer's channel
    assert (done.email, done.fallback, done.sms, done.zalo) == (1, 1, 0, 0)
    assert [m.to for m in mailoutbox] == [["vy@example.org"]] and mailoutbox[0].attachments
    assert Booking.objects.get(pk=booking.pk).reminder_channel == "email"
    assert f"booking {booking.pk}" in caplog.text and channel in caplog.text
    logged = caplog.text.replace(" ", "")
    assert not any(form.replace(" ", "") in logged for form in PHONE_FORMS)
    assert "Vy" not in caplog.text and "vy@example.org" not in caplog.text


def test_a_channel_not_configured_falls_back_to_email(alice, vy, tuan, week, settings, mailoutbox, caplog):
    settings.VOLUNTEERS_SMS_API_BASE, settings.VOLUNTEERS_SMS_API_KEY = "", ""
    settings.VOLUNTEERS_ZNS_ACCESS_TOKEN = "set"
    settings.VOLUNTEERS_ZNS_REMINDER_TEMPLATE_ID = (
        ""  # Zalo without the approved template is not configured either
    )
    _choose(vy, "sms", email="vy@example.org")
    _choose(tuan, "zalo", email="tuan@example.org")
    services.book(alice, week[2], vy)
    services.book(alice, week[2], tuan)
    done = send_for(week[2].day)
    assert (done.email, done.fallback, done.failed) == (2, 2, 0)
    assert sorted(m.to[0] for m in mailoutbox) == ["tuan@example.org", "vy@example.org"]
    assert "not configured" in caplog.text


def test_no_consent_no_reminder_by_any_channel(alice, vy, week, provider, mailoutbox):
    _choose(vy, "sms", email="vy@example.org")
    vy.contact_consent = False
    vy.save()
    booking = services.book(alice, week[2], vy)
    done = send_for(week[2].day)
    assert (done.sent, done.skipped) == (0, 1)
    assert provider.calls == [] and mailoutbox == []
    assert Booking.objects.get(pk=booking.pk).reminded_at is None


def test_a_second_run_sends_nothing_and_a_lost_write_is_kept_once_by_the_provider(alice, vy, tuan, week, provider,
                                                                                  mailoutbox):  # fmt: skip
    _choose(vy, "sms")
    _choose(tuan, "zalo")
    first = services.book(alice, week[2], vy)
    services.book(alice, week[2], tuan)
    assert send_for(week[2].day).sent == 2
    again = send_for(week[2].day)
    assert (again.sent, again.failed, again.skipped) == (0, 0, 0)
    assert len(provider.calls) == 2
    # The SMS went but the record of it was lost (a crash before the write): the retry carries the same tracking id,
    # so the gateway keeps one message.
    Booking.objects.filter(pk=first.pk).update(reminded_at=None, reminder_channel="")
    assert send_for(week[2].day).sms == 1
    assert [call[2]["tracking_id"] for call in provider.calls].count(f"vol-remind-{first.pk}") == 2
    assert len(provider.by_tracking) == 2
    assert mailoutbox == []


def test_without_an_email_a_failed_send_stays_due_for_the_next_run(alice, vy, week, provider, mailoutbox):
    provider.down = True
    _choose(vy, "sms")
    booking = services.book(alice, week[2], vy)
    out = StringIO()
    call_command("volunteers", "remind", "--day", "2026-03-03", stdout=out)
    assert "1 tin không gửi được" in out.getvalue() and mailoutbox == []
    assert Booking.objects.get(pk=booking.pk).reminded_at is None
    provider.down = False
    assert send_for(week[2].day).sms == 1  # tried again, sent


def test_a_phone_that_cannot_be_a_number_means_email(alice, vy, week, provider, mailoutbox):
    _choose(vy, "sms", email="vy@example.org")
    Person.objects.filter(pk=vy.person_id).update(phone="12")  # typed wrong before the channel was checked
    services.book(alice, week[2], vy)
    done = send_for(week[2].day)
    assert (done.email, done.fallback) == (1, 1) and provider.calls == []


# The volunteer's settings and the coordinator's view -----------------------------------------------------------


def test_a_volunteer_chooses_sms_on_their_page(client_for, vy):
    client = client_for(vy.person.user)
    page = client.get("/volunteers/mine/").content.decode()
    assert "Nhận nhắc lịch qua" in page and re.search(r'value="email"[^>]* checked', page)
    bad = client.post("/volunteers/mine/reminders/", {"reminder_channel": "sms", "phone": "12345",
                                                      "contact_consent": "on"})  # fmt: skip
    assert bad.status_code == 400 and "không phải là số điện thoại hợp lệ" in bad.content.decode()
    no_phone = client.post(
        "/volunteers/mine/reminders/", {"reminder_channel": "zalo", "contact_consent": "on"}
    )
    assert no_phone.status_code == 400 and "cần một số điện thoại hợp lệ" in no_phone.content.decode()
    done = client.post("/volunteers/mine/reminders/", {"reminder_channel": "sms", "phone": "0987 654 321",
                                                       "contact_consent": "on"}, follow=True)  # fmt: skip
    assert "Đã lưu cách nhận nhắc lịch" in done.content.decode()
    vy.refresh_from_db()
    vy.person.refresh_from_db()
    assert (vy.reminder_channel, vy.person.phone, vy.contact_consent) == ("sms", "+84987654321", True)


def test_the_service_refuses_sms_without_a_phone(alice, di_linh):
    user = UserFactory(username="an", full_name="Ka An", role="volunteer", commune=di_linh)
    with pytest.raises(ValidationError) as err:
        services.save_volunteer(alice, di_linh, person_data={"full_name": "Ka An", "user": user},
                                data={"reminder_channel": "sms", "contact_consent": True})  # fmt: skip
    assert "reminder_channel" in err.value.message_dict


def test_the_shift_page_says_which_channel_carried_the_reminder(client_for, alice, vy, week, provider):
    _choose(vy, "zalo")
    services.book(alice, week[2], vy)
    send_for(week[2].day)
    page = client_for(alice).get(f"/volunteers/shifts/{week[2].pk}/").content.decode()
    assert "đã nhắc qua Zalo" in page


def test_the_sms_link_opens_a_page_with_both_answers_and_a_preview_answers_nothing(client, alice, vy, week):
    booking = services.book(alice, week[2], vy)
    url = reverse("volunteers:answer_link", args=[answer_token(booking, None)])
    page = client.get(url)  # what a link preview does
    assert page.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == booking.status
    buttons = lxml.html.fromstring(page.content).xpath('//form//button[@name="coming"]/@value')
    assert sorted(buttons) == ["0", "1"]
    assert client.post(url, {}).status_code == 200  # no choice: the page again, nothing recorded
    assert Booking.objects.get(pk=booking.pk).answered_at is None
    client.post(url, {"coming": "0"})
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.DECLINED


def test_a_forged_or_altered_answer_link_is_refused_and_an_earlier_long_link_still_works(
    client, alice, vy, week
):
    from django.core import signing

    booking = services.book(alice, week[2], vy)
    token = answer_token(booking, True)
    pk, code, mac = token.split(".")
    for forged in (f"{pk}.0.{mac}", f"{int(pk) + 1}.{code}.{mac}", f"{pk}.{code}.{'0' * 20}"):
        assert read_answer_token(forged) == (None, None), forged
        assert client.get(reverse("volunteers:answer_link", args=[forged])).status_code == 404
    earlier = signing.dumps([booking.pk, 0], salt="volunteers.answer", compress=True)  # e-mails sent before
    assert read_answer_token(earlier) == (booking, False)


def test_the_periodic_job_sends_from_three_in_the_afternoon_vietnam_time_once(
    alice, vy, week, mailoutbox, _pinned
):
    """huey's crontab reads UTC: the job runs every quarter of an hour and checks the hour in Vietnam itself."""
    import datetime as dt

    from civicdesk.volunteers.tasks import send_reminders

    vy.email = "vy@example.org"
    vy.save()
    services.book(alice, week[2], vy)  # Tuesday morning
    job = send_reminders.call_local
    _pinned.move_to(dt.datetime(2026, 3, 2, 7, 59, tzinfo=dt.UTC))  # 14:59 in Vietnam
    assert job() is None and mailoutbox == []
    _pinned.move_to(
        dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    )  # 15:00 in Vietnam (crontab(hour=15) was 22:00)
    assert job()["email"] == 1 and len(mailoutbox) == 1
    _pinned.move_to(dt.datetime(2026, 3, 2, 8, 15, tzinfo=dt.UTC))
    assert job()["email"] == 0 and len(mailoutbox) == 1  # once
