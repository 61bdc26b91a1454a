"""Reminders the day before a shift, by the channel each volunteer chose (`Volunteer.reminder_channel`), with two
one-click links — "I will come", "I cannot come" (signed for the booking, valid until the shift ends; a decline frees
the place for the waiting list at once):

- e-mail: the shift's `.ics` invite attached, the links and the volunteer's page;
- SMS: a short text with the day, the hours, the commune and the two links, through the SMS gateway;
- Zalo: the OA's approved ZNS template (`VOLUNTEERS_ZNS_REMINDER_TEMPLATE_ID`) with the same as its parameters.

SMS and Zalo go through the kernel's senders (`kernel.channels`) with the volunteers' own settings (conf.py) and the
tracking id `vol-remind-<booking>`, so a send retried after a crash is kept once by the provider. When that channel is
not configured, the phone number is missing or not valid, or the provider refuses, the reminder goes by e-mail if the
volunteer gave an address (else the booking stays due: running again tries again); the failure is logged by booking
number and channel, never with a phone number, an address or a name.

Sent once per booking (`Booking.reminded_at`, and `reminder_channel`: the channel that carried it), only to
volunteers who agreed to be contacted; a periodic job sends them every afternoon (`tasks.py`), and
`civicdesk volunteers remind` does it by hand."""

import logging
import re
from dataclasses import dataclass
from datetime import UTC

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from civicdesk.core import links
from civicdesk.core.workcal import get_calendar
from civicdesk.kernel.channels import ChannelError, NotConfigured, send_sms, send_zns
from civicdesk.kernel.phones import normalise

from . import conf
from .models import Booking, ReminderChannel, Shift

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


ASK = 2  # the link of an SMS: one page, both answers (one link instead of two keeps the text to fewer parts)
_TOKEN = re.compile(r"^(\d+)\.([012])\.([0-9a-f]{20})$")


def _mac(value):
    return salted_hmac(SALT, value).hexdigest()[:20]


def answer_token(booking, coming):
    """A signed (booking, yes/no) for the reminder's one-click links; `coming=None` for a link that asks. Short —
    "<booking>.<answer>.<80-bit HMAC>" — because an SMS pays for every character; the link answers one booking's
    attendance and stops working when the shift ends."""
    value = f"{booking.pk}.{ASK if coming is None else 1 if coming else 0}"
    return f"{value}.{_mac(value)}"


def read_answer_token(signed):
    """(booking, coming) from a reminder link — coming is None for a link that asks — or (None, None) when it is
    forged, or the shift is over. Links of the earlier, longer form (`signing.dumps`) are still read."""
    match = _TOKEN.match(signed)
    if match:
        pk, code = int(match[1]), int(match[2])
        if not constant_time_compare(_mac(f"{pk}.{code}"), match[3]):
            return None, None
    else:
        try:
            pk, code = signing.loads(signed, salt=SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None, None
    booking = Booking.objects.select_related("shift__commune", "volunteer__person").filter(pk=pk).first()
    if booking is None or booking.shift.ends_at(get_calendar().tz) <= timezone.now():
        return None, None
    return booking, None if code == ASK else bool(code)


def due(day):
    """Bookings on the published shifts of `day` that hold a place and have had no reminder."""
    return Booking.objects.filter(
        shift__day=day,
        shift__status=Shift.Status.PUBLISHED,
        status__in=(Booking.Status.ROSTERED, Booking.Status.CONFIRMED),
        reminded_at__isnull=True,
    ).select_related("shift__commune", "volunteer__person")


def _links(booking):
    return {
        "yes": links.absolute(reverse("volunteers:answer_link", args=[answer_token(booking, True)])),
        "no": links.absolute(reverse("volunteers:answer_link", args=[answer_token(booking, False)])),
        "ask": links.absolute(reverse("volunteers:answer_link", args=[answer_token(booking, None)])),
        "mine": links.absolute(reverse("volunteers:mine")),
    }


def _facts(booking):
    shift = booking.shift
    return {
        "commune": shift.commune.name,
        "day": shift.day.strftime("%d/%m/%Y"),
        "time": f"{shift.start:%H:%M}–{shift.end:%H:%M}",
    }


def _body(booking, urls):
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
        "url": urls["mine"],
        "yes": urls["yes"],
        "no": urls["no"],
    }


def sms_text(booking, urls):
    """The SMS: short (no name, no greeting: Vietnamese with its marks is sent as UCS-2, 70 characters a part, and a
    signed link takes most of it), with one link on a line of its own — a page with both answers, "Sẽ đến" and "Không
    đến được" (two links made the text four or five parts)."""
    return _(
        "Nhắc ca trực tình nguyện %(day)s, %(time)s, TT HCC %(commune)s. Báo sẽ đến hay không tại:\n%(ask)s"
    ) % {**_facts(booking), "ask": urls["ask"]}


def tracking_id(booking):
    """One per booking: the provider keeps one message for it, so a retried send is not sent twice."""
    return f"vol-remind-{booking.pk}"


def _phone(volunteer):
    """The person's number as E.164, or "" when it is missing or cannot be a real one."""
    try:
        return normalise(volunteer.person.phone)
    except ValidationError:
        return ""


def _send_email(booking, urls):
    message = EmailMessage(
        _("Nhắc lịch trực ngày %(day)s") % {"day": booking.shift.day.strftime("%d/%m/%Y")},
        _body(booking, urls),
        to=[booking.volunteer.email],
    )
    message.attach(f"ca-truc-{booking.shift.day.isoformat()}.ics", ics(booking), "text/calendar")
    message.send()


def _send_sms(booking, urls, phone):
    send_sms(
        conf.get("VOLUNTEERS_SMS_API_BASE"),
        conf.get("VOLUNTEERS_SMS_API_KEY"),
        to=phone,
        text=sms_text(booking, urls),
        tracking_id=tracking_id(booking),
        timeout=conf.get("VOLUNTEERS_CHANNEL_TIMEOUT"),
    )


def _send_zalo(booking, urls, phone):
    template_id = conf.get("VOLUNTEERS_ZNS_REMINDER_TEMPLATE_ID")
    if not template_id:
        raise NotConfigured("VOLUNTEERS_ZNS_REMINDER_TEMPLATE_ID is not set")
    send_zns(
        conf.get("VOLUNTEERS_ZNS_API_BASE"),
        conf.get("VOLUNTEERS_ZNS_ACCESS_TOKEN"),
        phone=phone,
        template_id=template_id,
        template_data={
            "name": booking.volunteer.person.full_name,
            **_facts(booking),
            "yes_url": urls["yes"],
            "no_url": urls["no"],
        },
        tracking_id=tracking_id(booking),
        timeout=conf.get("VOLUNTEERS_CHANNEL_TIMEOUT"),
    )


SENDERS = {ReminderChannel.SMS: _send_sms, ReminderChannel.ZALO: _send_zalo}

# A provider's reason may quote the number it refused: runs of digits long enough to be one are not logged.
_NUMBER = re.compile(r"\+?\d[\d .-]{6,}\d")


def _reason(exc):
    return _NUMBER.sub("…", str(exc))[:200]


@dataclass
class Reminded:
    """What one run did: reminders sent per channel, how many of the e-mails stood in for SMS or Zalo, how many
    volunteers could not be reminded (no consent, or no address for any channel) and how many sends failed (those
    bookings stay due: running again tries them again)."""

    email: int = 0
    sms: int = 0
    zalo: int = 0
    fallback: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def sent(self):
        return self.email + self.sms + self.zalo


def _preferred(booking, urls, phone):
    """Send by the volunteer's SMS or Zalo: the channel, or None when e-mail must stand in."""
    channel = booking.volunteer.reminder_channel
    try:
        SENDERS[channel](booking, urls, phone)
    except NotConfigured as exc:
        log.warning(
            "Volunteer reminder by %s not configured (booking %s): %s", channel, booking.pk, _reason(exc)
        )
        return None
    except ChannelError as exc:
        log.warning("Volunteer reminder by %s failed for booking %s: %s", channel, booking.pk, _reason(exc))
        return None
    return channel


def _remind(booking, tally):
    volunteer = booking.volunteer
    if not volunteer.contact_consent:
        tally.skipped += 1
        return
    urls = _links(booking)
    wanted = volunteer.reminder_channel
    phone = _phone(volunteer) if wanted in SENDERS else ""
    if wanted in SENDERS and not phone:
        log.info("Volunteer reminder for booking %s: no valid phone number for %s", booking.pk, wanted)
    channel = _preferred(booking, urls, phone) if phone else None
    if channel is None:
        if not volunteer.email:
            # Nobody to write to: "skipped" when there was no address at all, "failed" when SMS or Zalo was tried.
            if phone:
                tally.failed += 1
            else:
                tally.skipped += 1
            return
        try:
            _send_email(booking, urls)
        except Exception as exc:  # one bad address or a mail outage must not stop the others
            # The exception's text can quote the address: only its kind is logged.
            log.warning(
                "Volunteer reminder by e-mail failed for booking %s: %s", booking.pk, type(exc).__name__
            )
            tally.failed += 1
            return
        channel = ReminderChannel.EMAIL
        if wanted in SENDERS:
            tally.fallback += 1
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now(), reminder_channel=channel
        )
    setattr(tally, str(channel), getattr(tally, str(channel)) + 1)


def send_for(day):
    """Send the reminders of `day`'s shifts, each by the volunteer's channel or else by e-mail (module docstring);
    returns what was done (`Reminded`)."""
    tally = Reminded()
    for booking in due(day):
        _remind(booking, tally)
    return tally


def send_tomorrow():
    """The reminders for the next working day's shifts (run in the afternoon)."""
    cal = get_calendar()
    return send_for(cal.next_working_day(timezone.localdate()))


# Reminders go out from this hour (Vietnam time) until the end of the day.
REMINDER_HOUR = 15


def send_if_afternoon(now=None):
    """`send_tomorrow()` from 15:00 in Vietnam (`REMINDER_HOUR`), None before: the periodic job runs all day."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < REMINDER_HOUR:
        return None
    return send_tomorrow()
