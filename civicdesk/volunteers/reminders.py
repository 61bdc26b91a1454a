"""Reminders the day before a shift: an e-mail with the shift's `.ics` invite and a link to confirm or decline on
"my shifts" (a decline frees the place for the waiting list at once). Sent once per booking, only to volunteers who
agreed to be contacted and gave an address; its two links answer in one click without signing in (signed, valid
until the shift ends); a periodic job sends them every afternoon (`tasks.py`), and
`civicdesk volunteers remind` does it by hand. SMS and Zalo reminders are for later (docs/volunteers.md)."""

import logging
from datetime import UTC

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import links
from civicdesk.core.workcal import get_calendar

from .models import Booking, Shift

log = logging.getLogger(__name__)


def _ics_text(value):
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped; control characters dropped."""
    value = "".join(ch for ch in str(value) if ch == "\n" or ord(ch) >= 32)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line):
    """Lines longer than 75 octets are folded (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        piece = ch.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def ics(booking):
    """The shift as an iCalendar event (one VEVENT, UTC times), for the volunteer's phone calendar."""
    shift = booking.shift
    tz = get_calendar().tz
    start = shift.starts_at(tz).astimezone(UTC)
    end = shift.ends_at(tz).astimezone(UTC)
    stamp = timezone.now().astimezone(UTC)
    fmt = "%Y%m%dT%H%M%SZ"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CivicDesk//Volunteers//VI",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:booking-{booking.pk}@civicdesk",
        f"DTSTAMP:{stamp.strftime(fmt)}",
        f"DTSTART:{start.strftime(fmt)}",
        f"DTEND:{end.strftime(fmt)}",
        "SUMMARY:"
        + _ics_text(_("Trực tình nguyện tại Trung tâm — %(commune)s") % {"commune": shift.commune.name}),
        "LOCATION:"
        + _ics_text(_("Trung tâm Phục vụ hành chính công %(commune)s") % {"commune": shift.commune.name}),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


SALT = "volunteers.answer"


def answer_token(booking, coming):
    """A signed (booking, yes/no) for the reminder's one-click links."""
    return signing.dumps([booking.pk, 1 if coming else 0], salt=SALT, compress=True)


def read_answer_token(signed):
    """(booking, coming) from a reminder link, or (None, None) when it is forged, or the shift is over."""
    try:
        pk, coming = signing.loads(signed, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None, None
    booking = Booking.objects.select_related("shift__commune", "volunteer__person").filter(pk=pk).first()
    if booking is None or booking.shift.ends_at(get_calendar().tz) <= timezone.now():
        return None, None
    return booking, bool(coming)


def due(day):
    """Bookings on the published shifts of `day` that hold a place and have had no reminder."""
    return Booking.objects.filter(
        shift__day=day,
        shift__status=Shift.Status.PUBLISHED,
        status__in=(Booking.Status.ROSTERED, Booking.Status.CONFIRMED),
        reminded_at__isnull=True,
    ).select_related("shift__commune", "volunteer__person")


def _body(booking):
    shift = booking.shift
    return _(
        "Chào %(name)s,\n\nNgày mai bạn có ca trực tình nguyện tại Trung tâm Phục vụ hành chính công %(commune)s: "
        "%(day)s, %(part)s, %(start)s–%(end)s.\n\nSẽ đến: %(yes)s\nKhông đến được (chỗ được nhường cho bạn khác): "
        "%(no)s\nCác ca của bạn: %(url)s\n\nLịch ca kèm theo (tệp .ics) để thêm vào lịch điện thoại.\n\nCảm ơn bạn!"
    ) % {
        "name": booking.volunteer.person.full_name,
        "commune": shift.commune.name,
        "day": shift.day.strftime("%d/%m/%Y"),
        "part": shift.get_part_display().lower(),
        "start": shift.start.strftime("%H:%M"),
        "end": shift.end.strftime("%H:%M"),
        "url": links.absolute(reverse("volunteers:mine")),
        "yes": links.absolute(reverse("volunteers:answer_link", args=[answer_token(booking, True)])),
        "no": links.absolute(reverse("volunteers:answer_link", args=[answer_token(booking, False)])),
    }


def send_for(day):
    """Send the reminders of `day`'s shifts; returns (sent, skipped: no consent or no e-mail)."""
    sent = skipped = 0
    for booking in due(day):
        volunteer = booking.volunteer
        if not volunteer.contact_consent or not volunteer.email:
            skipped += 1
            continue
        message = EmailMessage(
            _("Nhắc lịch trực ngày %(day)s") % {"day": booking.shift.day.strftime("%d/%m/%Y")},
            _body(booking),
            to=[volunteer.email],
        )
        message.attach(f"ca-truc-{booking.shift.day.isoformat()}.ics", ics(booking), "text/calendar")
        try:
            message.send()
        except Exception:  # one bad address or a mail outage must not stop the others
            log.exception("Volunteer reminder failed for booking %s", booking.pk)
            continue
        with transaction.atomic():
            Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
        sent += 1
    return sent, skipped


def send_tomorrow():
    """The reminders for the next working day's shifts (run in the afternoon)."""
    cal = get_calendar()
    return send_for(cal.next_working_day(timezone.localdate()))
