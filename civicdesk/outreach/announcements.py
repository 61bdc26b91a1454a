"""Announcing a visit to the citizens of some hamlets — the mobile team's trips (issue 18) — as outreach's
`Announcer` in the kernel registry (registered in apps.py).

Why a registry hand-off: mobile and outreach are sibling apps (neither may import the other, pyproject's layers).
Mobile describes its trip as plain data (`kernel.registry.VisitAnnouncement`: the commune, the day, each hamlet with
when the team is there and where, the procedures, what to bring, the lookup link) and asks the registry whether an
announcer exists; outreach answers with plain data too (`AnnouncementPreview`, `AnnouncementState`). Without
outreach the trip page simply has no announcement.

Who is told, and how — outreach's own rules, nothing new:

- the commune's citizens (`community.Person`, kind citizen, active) whose hamlet is one of the visit's — the hamlet
  recorded on their record (the import's `hamlet` column, the language-access register), or, when none is recorded,
  the hamlet named in their address ("Thôn 4, xã …", compared without accents; "Thôn 1" is not "Thôn 10");
- by SMS when `rules.blockers` allows it (consent recorded for SMS — silence is not consent —, no do-not-contact,
  a phone number, the target not closed); else listed on the campaign for a **phone call** when the phone channel is
  open (the officer's or volunteer's list, with the hamlet, day and time in the target's note); else not contacted,
  counted with the reason. Zalo ZNS sends only templates Zalo approved, with fixed fields: an announcement does not
  go by Zalo (docs/outreach.md);
- one campaign per visit (`Campaign.source_key`, theme "mobile trip"), so announcing again tells nobody twice: a
  citizen who got this hamlet's current day and time (the message's `revision`) is skipped; one told an older day or
  time gets a correction ("ĐÍNH CHÍNH"); messages leave through outreach's own sending path (`send_text`: quota,
  tracking id, receipts, stop words) and show on the campaign's page;
- nothing is sent outside the contact hours, nor for a day already past.
"""

import hashlib
import re
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicdesk.community.models import Person
from civicdesk.geo.models import Commune
from civicdesk.kernel.actors import is_system
from civicdesk.kernel.phones import normalise
from civicdesk.kernel.registry import AnnouncementPreview, AnnouncementState, Announcer

from .models import Campaign, Consent, ContactChannel, Message
from .permissions import can_announce as _can_announce
from .permissions import can_run_commune
from .rules import blockers, contact_hours
from .services.messages import MAX_BODY
from .text import neutral, plain, sms_parts

# Reasons that hold for the whole announcement, not for one citizen: said once, above the list.
WHOLE = {"quiet_hours", "campaign_period", "campaign_closed"}
REACHED = (Message.Status.SENT, Message.Status.DELIVERED)
MAX_PROCEDURES = 2  # named in the message; more are "và N thủ tục khác"
NO_CONTACT_REASONS = {
    "do_not_contact": _("không được liên hệ (người dân từ chối hoặc sai số)"),
    "no_consent": _("chưa đồng ý nhận tin nhắn hay cuộc gọi"),
    "consent_withdrawn": _("đã rút lại đồng ý"),
    "no_phone": _("chưa có số điện thoại"),
    "closed": _("đã kết thúc với người này trong chiến dịch"),
    "max_attempts": _("đã liên hệ đủ số lần tối đa"),
}


def revision(announcement, stop):
    """What a citizen of this hamlet was told that matters: the day and the time (a changed one needs a correction)."""
    text = f"{announcement.day.isoformat()}|{stop.start:%H:%M}|{stop.end:%H:%M}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _commune_words(name):
    """ "Xã Cát Tiên 3" → "xã Cát Tiên 3", as it reads after "UBND"."""
    for word in ("Xã ", "Phường ", "Đặc khu "):
        if name.startswith(word):
            return word.lower() + name[len(word) :]
    return name


def _weekday(day):
    return (_("thứ Hai"), _("thứ Ba"), _("thứ Tư"), _("thứ Năm"), _("thứ Sáu"), _("thứ Bảy"), _("Chủ nhật"))[
        day.weekday()
    ]


def compose(announcement, stop, commune, *, correction=False):
    """The SMS for one hamlet, in plain Vietnamese whatever the officer's language; values an officer typed are
    neutralised (`text.neutral`)."""
    procedures = [neutral(name, 60) for name in announcement.procedures if neutral(name, 60)]
    with translation.override("vi"):
        named = ", ".join(procedures[:MAX_PROCEDURES])
        if len(procedures) > MAX_PROCEDURES:
            named += _(" và %(n)s thủ tục khác") % {"n": len(procedures) - MAX_PROCEDURES}
        place = neutral(stop.place, 80)
        bring = neutral(announcement.bring, 120)
        # Short: Vietnamese with its marks goes as UCS-2, 67 characters an SMS part (tests hold it to four parts).
        text = _(
            "UBND %(commune)s: %(weekday)s %(day)s, %(start)s-%(end)s, tổ lưu động nhận hồ sơ tại %(hamlet)s%(place)s."
        ) % {
            "commune": _commune_words(neutral(commune.name, 80)),
            "hamlet": neutral(stop.hamlet, 80),
            "weekday": _weekday(announcement.day),
            "day": announcement.day.strftime("%d/%m"),
            "start": stop.start.strftime("%H:%M"),
            "end": stop.end.strftime("%H:%M"),
            "place": f" ({place})" if place else "",
        }
        if named:
            text += " " + _("Nhận: %(procedures)s.") % {"procedures": named}
        text += " " + (
            _("Mang CCCD và %(bring)s.") % {"bring": bring}
            if bring
            else _("Mang CCCD và giấy tờ của thủ tục.")
        )
        text += " " + _("Nhắn TU CHOI để không nhận tin.")
        if correction:
            text = _("ĐÍNH CHÍNH: ") + text
    return text[:MAX_BODY]


def _address_patterns(stops):
    return [(stop, re.compile(r"\b" + re.escape(plain(stop.hamlet)) + r"\b")) for stop in stops]


def _stop_of(person, by_id, patterns):
    if person.hamlet_id is not None:
        return by_id.get(person.hamlet_id)
    address = plain(person.address)
    return next((stop for stop, pattern in patterns if pattern.search(address)), None)


def campaign_of(key):
    return Campaign.objects.filter(source_key=key).first() if key else None


def whole_refusals(announcement, at, campaign=None):
    """Why the announcement cannot go now at all (empty: it can)."""
    refusals = []
    if announcement.day < timezone.localtime(at).date():
        refusals.append(_("Chuyến đi đã qua: không thông báo cho ngày đã qua."))
    if not announcement.stops:
        refusals.append(_("Chuyến đi chưa có thôn nào xếp được lịch."))
    if campaign is not None and campaign.status != Campaign.Status.ACTIVE:
        refusals.append(
            _("Chiến dịch thông báo của chuyến này đã %(status)s trên trang Tiếp cận người dân.")
            % {"status": campaign.get_status_display().lower()}
        )
    refusals.extend(_outside_hours(at))
    return refusals


def _outside_hours(at):
    start, end = contact_hours()
    if not (start <= timezone.localtime(at).time() < end):
        return [
            _("Ngoài giờ được liên hệ người dân (%(start)s–%(end)s): thông báo lại trong giờ.")
            % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
        ]
    return []


def audience(announcement, at, campaign=None):
    """[(person, stop, action, reason code, target)] for every citizen of the visit's hamlets.

    action: "message" (a first SMS), "correct" (an SMS correcting an older day or time), "call" (listed for a
    call), "already" (told this day and time, or already listed for a call), "none" (no channel open; `reason`).
    """
    by_id = {stop.hamlet_id: stop for stop in announcement.stops}
    patterns = _address_patterns(announcement.stops)
    people = (
        Person.objects.filter(kind=Person.Kind.CITIZEN, commune_id=announcement.commune_id, is_active=True)
        .filter(Q(hamlet_id__in=list(by_id)) | (Q(hamlet__isnull=True) & ~Q(address="")))
        .order_by("full_name", "pk")
    )
    granted = {}
    for person_id, channel in Consent.objects.filter(
        person__in=people, state=Consent.State.GRANTED, channel__in=(ContactChannel.SMS, ContactChannel.PHONE)
    ).values_list("person_id", "channel"):
        granted.setdefault(person_id, set()).add(channel)
    targets, last = {}, {}
    if campaign is not None:
        targets = {t.person_id: t for t in campaign.targets.select_related("campaign")}
        for message in Message.objects.filter(target__campaign=campaign).order_by("created_at", "pk"):
            last[message.target_id] = message  # the latest wins
    rows = []
    for person in people:
        stop = _stop_of(person, by_id, patterns)
        if stop is None:
            continue
        target = targets.get(person.pk)
        previous = last.get(target.pk) if target is not None else None
        if previous is not None and previous.params.get("revision") == revision(announcement, stop):
            rows.append((person, stop, "already", "", target))
            continue
        if not granted.get(person.pk):
            rows.append((person, stop, "none", "no_consent", target))
            continue
        sms = [b for b in blockers(person, ContactChannel.SMS, at, target=target) if b.code not in WHOLE]
        if not sms:
            rows.append((person, stop, "correct" if previous is not None else "message", "", target))
            continue
        phone = [b for b in blockers(person, ContactChannel.PHONE, at, target=target) if b.code not in WHOLE]
        if not phone:
            listed = target is not None and previous is None
            rows.append((person, stop, "already" if listed else "call", "", target))
            continue
        rows.append((person, stop, "none", (phone or sms)[0].code, target))
    return rows


def _commune(announcement):
    return Commune.objects.select_related("province").get(pk=announcement.commune_id)


def can_announce(user, commune_id):
    commune = Commune.objects.filter(pk=commune_id).first()
    return commune is not None and _can_announce(user, commune)


def preview(user, announcement, at=None):
    """Who would be told and how, with each hamlet's message, before anything is sent."""
    at = at or timezone.now()
    commune = _commune(announcement)
    if not _can_announce(user, commune):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được thông báo chuyến đi."))
    campaign = campaign_of(announcement.key)
    rows = audience(announcement, at, campaign)
    show_names = is_system(user) or can_run_commune(user, commune)
    by_hamlet = []
    for stop in announcement.stops:
        mine = [row for row in rows if row[1] is stop]
        counts = {
            a: sum(1 for r in mine if r[2] == a) for a in ("message", "correct", "call", "already", "none")
        }
        message = compose(announcement, stop, commune)
        by_hamlet.append(
            {
                "hamlet": stop.hamlet,
                "start": stop.start,
                "end": stop.end,
                "message": message,
                "length": len(message),
                "parts": sms_parts(message),
                "correction": compose(announcement, stop, commune, correction=True)
                if counts["correct"]
                else "",
                "to_message": counts["message"],
                "to_correct": counts["correct"],
                "to_call": counts["call"],
                "already": counts["already"],
                "no_contact": counts["none"],
            }
        )
    actions = {
        "message": _("Nhắn SMS"),
        "correct": _("Nhắn SMS đính chính"),
        "call": _("Gọi điện báo (đưa vào danh sách gọi)"),
        "already": _("Đã được báo, không gửi lại"),
    }
    people = (
        [
            {
                "name": person.full_name,
                "hamlet": stop.hamlet,
                "action": actions.get(action) or NO_CONTACT_REASONS.get(reason, reason),
                "contacted": action != "none",
            }
            for person, stop, action, reason, _target in rows
        ]
        if show_names
        else []
    )
    totals = {
        key: sum(h[field] for h in by_hamlet)
        for key, field in (
            ("message", "to_message"),
            ("correct", "to_correct"),
            ("call", "to_call"),
            ("already", "already"),
            ("none", "no_contact"),
        )
    }
    return AnnouncementPreview(
        by_hamlet=by_hamlet,
        people=people,
        refusals=whole_refusals(announcement, at, campaign),
        totals=totals,
        sms_limit=MAX_BODY,
    )


def state(user, announcement):
    """What became of the announcement (None: never announced)."""
    campaign = campaign_of(announcement.key)
    if campaign is None:
        return None
    detail = campaign.source_detail or {}
    latest = {}
    for target_id, status in (
        Message.objects.filter(target__campaign=campaign)
        .order_by("created_at", "pk")
        .values_list("target_id", "status")
    ):
        latest[target_id] = status
    statuses = list(latest.values())
    listed = campaign.targets.exclude(pk__in=list(latest)).count()
    current = {str(stop.hamlet_id): revision(announcement, stop) for stop in announcement.stops}
    announced_at = detail.get("announced_at")
    commune = campaign.commune
    return AnnouncementState(
        announced_at=datetime.fromisoformat(announced_at) if announced_at else None,
        day=datetime.fromisoformat(detail["day"]).date() if detail.get("day") else announcement.day,
        reached=sum(1 for s in statuses if s in REACHED),
        queued=sum(1 for s in statuses if s == Message.Status.QUEUED),
        failed=sum(1 for s in statuses if s == Message.Status.FAILED),
        to_call=listed,
        no_contact=int(detail.get("no_contact", 0)),
        stale=detail.get("revisions", current) != current,
        campaign_url=reverse("outreach:campaign", args=[campaign.pk])
        if commune is not None and can_run_commune(user, commune)
        else "",
    )


def _phone(value):
    try:
        return normalise(value) if value else ""
    except Exception:  # a number the phone took that does not parse: it matches nobody
        return ""


def reached_among(key, people):
    """How many of `people` ([(CCCD, phone)], e.g. the citizens a trip served) the announcement reached by SMS;
    None when it was never announced."""
    campaign = campaign_of(key)
    if campaign is None:
        return None
    if not people:
        return 0
    told = Person.objects.filter(
        outreach_targets__campaign=campaign, outreach_targets__messages__status__in=REACHED
    ).values_list("id_number", "phone")
    ids = {i for i, _p in told if i}
    phones = {p for _i, p in told if p}
    return sum(1 for cccd, phone in people if (cccd and cccd in ids) or (_phone(phone) in phones - {""}))


def announce(user, announcement, at=None):
    from .services.announcements import announce_visit

    announce_visit(user, announcement, at=at)
    return state(user, announcement)


ANNOUNCER = Announcer(
    can_announce=can_announce, preview=preview, announce=announce, state=state, reached_among=reached_among
)
