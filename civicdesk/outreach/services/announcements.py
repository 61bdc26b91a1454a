"""The write of an announcement (`announcements.py` decides who is told and how): one campaign per visit, a target
per citizen told or to call, an SMS each through `send_text` — outreach's one sending path."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.models import User
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.actors import person as user_of
from civicdesk.kernel.actors import system
from civicdesk.kernel.roles import Role

from ..models import Campaign, Target, Theme
from ..permissions import can_announce, require
from .attempts import ContactBlocked
from .campaigns import save_campaign
from .messages import send_text

# The campaign, its targets and messages are written by the system on behalf of the person who announced (a team
# member may announce but not run campaigns); the person is in the audit record of the announcement itself.
ANNOUNCING = system(_("thông báo chuyến lưu động"))


def _owner(actor, commune):
    user = user_of(actor)
    if user is not None and user.commune_id == commune.pk:
        return user
    owner = (
        User.objects.filter(
            commune=commune, is_active=True, role__in=(Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)
        )
        .order_by("pk")
        .first()
    )
    if owner is None:
        raise ValidationError(_("Xã chưa có cán bộ phụ trách để đứng tên chiến dịch thông báo."))
    return owner


def _campaign(actor, announcement, commune, at):
    """The visit's campaign, locked; created on the first announcement."""
    from ..announcements import campaign_of

    campaign = Campaign.objects.select_for_update().filter(source_key=announcement.key).first()
    if campaign is not None:
        if announcement.day > campaign.end_date:
            campaign = save_campaign(ANNOUNCING, campaign=campaign, data={"end_date": announcement.day})
        return campaign
    hamlets = ", ".join(stop.hamlet for stop in announcement.stops)
    data = {
        "name": (_("Thông báo chuyến lưu động: %(title)s") % {"title": announcement.title})[:200],
        "purpose": (
            _("Báo cho người dân %(hamlets)s biết tổ lưu động thủ tục hành chính đến thôn ngày %(day)s.")
            % {"hamlets": hamlets, "day": date_format(announcement.day, "d/m/Y")}
        )[:2000],
        "theme": Theme.MOBILE_TRIP,
        "start_date": timezone.localtime(at).date(),
        "end_date": announcement.day,
        "owner": _owner(actor, commune),
        "status": Campaign.Status.ACTIVE,
        # An announcement and up to two corrections; no cool-off, so a correction leaves at once.
        "max_attempts": 3,
        "cooloff_hours": 0,
    }
    procedures = list(Procedure.objects.filter(code__in=announcement.procedure_codes))
    try:
        with transaction.atomic():
            campaign = save_campaign(ANNOUNCING, commune=commune, data=data, procedures=procedures)
            campaign.source_key = announcement.key
            campaign.created_by = user_of(actor)
            campaign.save(update_fields=["source_key", "created_by"])
    except IntegrityError:  # a second click raced the first: use its campaign
        campaign = campaign_of(announcement.key)
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    return campaign


def _note(announcement, stop):
    return (
        _("%(hamlet)s — tổ lưu động đến ngày %(day)s, %(start)s–%(end)s: gọi báo cho người dân.")
        % {
            "hamlet": stop.hamlet,
            "day": date_format(announcement.day, "d/m/Y"),
            "start": stop.start.strftime("%H:%M"),
            "end": stop.end.strftime("%H:%M"),
        }
    )[:500]


def announce_visit(actor, announcement, *, at=None):
    """Tell the citizens of the visit's hamlets (`announcements.audience`); idempotent per `announcement.key`.

    Returns {"message", "correct", "call", "already", "none", "refused"} counts. Raises PermissionDenied, or
    ValidationError for an announcement that cannot go now (a past day, outside the contact hours…).
    """
    from ..announcements import _commune, audience, compose, revision, whole_refusals

    at = at or timezone.now()
    commune = _commune(announcement)
    require(can_announce(actor, commune), _("Chỉ cán bộ hoặc tổ lưu động của xã được thông báo chuyến đi."))
    counts = dict.fromkeys(("message", "correct", "call", "already", "none", "refused"), 0)
    with transaction.atomic():
        existing = Campaign.objects.select_for_update().filter(source_key=announcement.key).first()
        refusals = whole_refusals(announcement, at, existing)
        if refusals:
            raise ValidationError(refusals)
        campaign = _campaign(actor, announcement, commune, at)
        for person, stop, action, _reason, target in audience(announcement, at, campaign):
            counts[action] += 1
            if action == "none":
                continue
            note = _note(announcement, stop)
            if target is None:
                target = Target.objects.create(
                    campaign=campaign, person=person, commune=commune, source=Target.Source.VISIT, note=note,
                    created_at=at,
                )  # fmt: skip
            elif target.note != note:
                target.note = note
                target.save(update_fields=["note", "updated_at"])
            if action not in ("message", "correct"):
                continue
            body = compose(announcement, stop, commune, correction=action == "correct")
            params = {
                "key": announcement.key,
                "revision": revision(announcement, stop),
                "hamlet": stop.hamlet,
            }
            try:
                with transaction.atomic():
                    send_text(ANNOUNCING, target, body=body, params=params, at=at)
            except (
                ContactBlocked,
                ValidationError,
            ):  # the quota ran out mid-way, or the rules changed meanwhile
                counts[action] -= 1
                counts["refused"] += 1
        campaign.source_detail = {
            "day": announcement.day.isoformat(),
            "revisions": {str(stop.hamlet_id): revision(announcement, stop) for stop in announcement.stops},
            "announced_at": at.isoformat(),
            "no_contact": counts["none"],
        }
        campaign.save(update_fields=["source_detail", "updated_at"])
        audit.record(
            actor, audit.Action.CREATE, campaign, changes={"announcement": announcement.key, **counts}
        )
    return counts
