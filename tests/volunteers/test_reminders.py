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
