"""May this person be contacted on this channel now? Every reason it may not, in words an officer can act on.

The rules, in order (docs/outreach.md): the person's request to restrict the processing of their data
(docs/privacy.md); a do-not-contact in force (an opt-out by SMS or Zalo reply, a request, a wrong
number); a recorded basis for the channel (Law 91/2025/QH15: silence is not consent — no row, no contact; a
withdrawn consent blocks); a phone number for phone, SMS and Zalo; the contact hours; and, for a campaign's target,
the campaign being active and in its period, the target still open, the maximum number of attempts and the
cool-off since the last one.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civicdesk.core.workcal import get_calendar

from . import conf
from .models import Consent, ContactChannel

PHONE_CHANNELS = (ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.ZALO)


@dataclass(frozen=True)
class Blocker:
    code: str
    message: str


def contact_hours():
    """(start, end) times from OUTREACH_CONTACT_HOURS ("07:00-20:00")."""
    start, end = conf.get("OUTREACH_CONTACT_HOURS").split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def in_force(person, at):
    """The person's do-not-contact rows in force on `at`'s day."""
    day = timezone.localtime(at).date()
    return person.do_not_contact.filter(Q(until__isnull=True) | Q(until__gte=day))


def _dnc_message(row):
    channel = row.get_channel_display() if row.channel else _("mọi kênh")
    until = (
        _("đến hết ngày %(day)s") % {"day": date_format(row.until, "d/m/Y")}
        if row.until
        else _("không thời hạn")
    )
    return _("Không liên hệ (%(channel)s, %(until)s): %(reason)s — %(source)s, ngày %(day)s.") % {
        "channel": channel,
        "until": until,
        "reason": row.get_reason_display(),
        "source": row.source,
        "day": date_format(timezone.localtime(row.created_at), "d/m/Y"),
    }


def blockers(person, channel, at=None, *, target=None):
    """The reasons `person` may not be contacted on `channel` at `at` (now by default); empty = may contact."""
    at = at or timezone.now()
    found = []
    if person.restricted:
        # The person asked to restrict the processing of their data (privacy app): no outreach on any channel.
        found.append(
            Blocker(
                "restricted",
                _(
                    "Người dân đã yêu cầu hạn chế xử lý dữ liệu cá nhân: không liên hệ để tiếp cận qua kênh nào."
                ),
            )
        )
    for row in in_force(person, at):
        if row.channel in ("", channel):
            found.append(Blocker("do_not_contact", _dnc_message(row)))
    consent = Consent.objects.filter(person=person, channel=channel).first()
    label = ContactChannel(channel).label
    if consent is None:
        found.append(
            Blocker(
                "no_consent",
                _(
                    "Chưa có căn cứ liên hệ qua kênh “%(channel)s”: người dân chưa đồng ý (im lặng không phải là "
                    "đồng ý). Ghi nhận đồng ý trước khi liên hệ."
                )
                % {"channel": label},
            )
        )
    elif consent.state == Consent.State.WITHDRAWN:
        found.append(
            Blocker(
                "consent_withdrawn",
                _("Người dân đã rút lại đồng ý liên hệ qua kênh “%(channel)s” ngày %(day)s (%(source)s).")
                % {
                    "channel": label,
                    "day": date_format(timezone.localtime(consent.given_at), "d/m/Y"),
                    "source": consent.source,
                },
            )
        )
    if channel in PHONE_CHANNELS and not person.phone:
        found.append(Blocker("no_phone", _("Chưa có số điện thoại của người dân.")))
    start, end = contact_hours()
    clock = timezone.localtime(at).time()
    if not (start <= clock < end):
        found.append(
            Blocker(
                "quiet_hours",
                _("Ngoài giờ được liên hệ (%(start)s–%(end)s).")
                % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
            )
        )
    if target is not None:
        found.extend(target_blockers(target, at))
    return found


def target_blockers(target, at):
    campaign = target.campaign
    found = []
    day = timezone.localtime(at).date()
    if campaign.status != campaign.Status.ACTIVE:
        found.append(
            Blocker(
                "campaign_closed",
                _("Chiến dịch “%(name)s” %(status)s.")
                % {"name": campaign.name, "status": campaign.get_status_display().lower()},
            )
        )
    elif not (campaign.start_date <= day <= campaign.end_date):
        found.append(
            Blocker(
                "campaign_period",
                _("Ngoài thời gian của chiến dịch (%(start)s–%(end)s).")
                % {
                    "start": date_format(campaign.start_date, "d/m/Y"),
                    "end": date_format(campaign.end_date, "d/m/Y"),
                },
            )
        )
    if not target.is_open:
        found.append(
            Blocker(
                "closed",
                _("Đã kết thúc với người này: %(status)s.") % {"status": target.get_status_display()},
            )
        )
    if target.attempt_count >= campaign.max_attempts:
        found.append(
            Blocker(
                "max_attempts",
                _("Đã liên hệ đủ %(n)s lần, mức tối đa của chiến dịch.") % {"n": campaign.max_attempts},
            )
        )
    if target.last_attempt_at is not None and campaign.cooloff_hours:
        ready = target.last_attempt_at + timedelta(hours=campaign.cooloff_hours)
        if at < ready:
            found.append(
                Blocker(
                    "cooloff",
                    _("Vừa liên hệ lúc %(last)s; chiến dịch quy định liên hệ lại sau %(ready)s.")
                    % {
                        "last": date_format(timezone.localtime(target.last_attempt_at), "H:i d/m/Y"),
                        "ready": date_format(timezone.localtime(ready), "H:i d/m/Y"),
                    },
                )
            )
    return found


def contactable_channels(person, at=None, *, target=None):
    """{channel: [blockers]} for every channel, so a page can show which ones are open and why the others are not."""
    return {c.value: blockers(person, c.value, at, target=target) for c in ContactChannel}


def next_working_morning(at):
    """The start of the first working period of the next working day after `at` (the follow-up's default)."""
    cal = get_calendar()
    day = cal.next_working_day(timezone.localtime(at).date())
    start, _end = cal.periods[0]
    return datetime.combine(day, start, tzinfo=cal.tz)
