"""Reminders the day before: e-mail with an .ics invite to volunteers who agreed and gave an address, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from civicdesk.volunteers import services
from civicdesk.volunteers.reminders import ics, send_for

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
    assert "Đã gửi 1 thư nhắc; 1 người" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["vy@example.org"]]
    message = mailoutbox[0]
    assert "03/03/2026" in message.subject and "/volunteers/mine/" in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and name == "ca-truc-2026-03-03.ics"
    assert (
        "DTSTART:20260303T003000Z" in content and "DTEND:20260303T043000Z" in content
    )  # 07:30–11:30 in Vietnam
    assert send_for(tuesday_am.day) == (0, 1)  # sent once; tuan still without consent
    assert len(mailoutbox) == 1


def test_the_invite_escapes_what_a_name_could_carry(alice, di_linh, vy, week):
    di_linh.name = "Xã Di Linh; DTSTART:19990101T000000Z,\nX"
    di_linh.save()
    booking = services.book(alice, week[2], vy)
    text = ics(booking)
    assert "Xã Di Linh\\; DTSTART:19990101T000000Z\\,\\nX" in text.replace("\r\n ", "")
    assert text.count("\r\nDTSTART:") == 1
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
