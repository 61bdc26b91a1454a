"""Personal data protection in outreach (issue 21): pseudonymise a campaign's contact history past the province's
retention period, a person's contact history at their request, and the replies received from citizens' phones.

The privacy app reaches these through the source in `outreach/privacy.py`. The person (name, numbers) belongs to
the register of people (community), which pseudonymises it; what outreach keeps is its own: notes, the numbers and
texts of the messages sent and received. Each runs in one transaction and audits counts, never values.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import is_system

from ..models import Attempt, Campaign, InboundReply, Message, Target
from ..permissions import can_run_commune, require_manage_campaign


def _scrub_targets(target_ids):
    """Notes, attempts' notes, messages' numbers, texts and parameters of the targets; their statuses and counts stay."""
    Target.objects.filter(pk__in=target_ids).exclude(note="").update(note="")
    Attempt.objects.filter(target_id__in=target_ids).exclude(note="").update(note="")
    # A message still waiting would go out to a blanked number: it fails instead.
    Message.objects.filter(target_id__in=target_ids, status=Message.Status.QUEUED).update(
        status=Message.Status.FAILED
    )
    Message.objects.filter(target_id__in=target_ids).update(phone="", body="", params={}, error="")


@transaction.atomic
def pseudonymise_campaigns(actor, ids, *, reason):
    """The contact history of the campaigns `ids` not pseudonymised yet. Returns how many campaigns changed."""
    campaigns = list(
        Campaign.objects.select_for_update().filter(pk__in=ids, pseudonymised_at__isnull=True).order_by("pk")
    )
    for campaign in campaigns:
        require_manage_campaign(actor, campaign)
    done = [c.pk for c in campaigns]
    _scrub_targets(Target.objects.filter(campaign_id__in=done).values_list("pk", flat=True))
    Campaign.objects.filter(pk__in=done).update(pseudonymised_at=timezone.now())
    audit.record_pseudonymised(actor, "outreach.campaign", done, reason=reason)
    return len(done)


@transaction.atomic
def forget_replies(actor, ids, *, reason):
    """The replies `ids`: the sender's number and the text blanked, the link to people removed; the opt-out they
    recorded stays (a do-not-contact of the person)."""
    replies = list(InboundReply.objects.select_for_update().filter(pk__in=ids).exclude(phone=""))
    if not is_system(actor):
        for reply in replies:
            if not any(can_run_commune(actor, p.commune) for p in reply.people.select_related("commune")):
                raise PermissionDenied(_("Chỉ công chức, lãnh đạo của xã được xử lý tin nhắn trả lời này."))
    done = [r.pk for r in replies]
    InboundReply.objects.filter(pk__in=done).update(phone="", text="")
    for reply in replies:
        reply.people.clear()
    audit.record_pseudonymised(actor, "outreach.inboundreply", done, reason=reason)
    return len(done)


@transaction.atomic
def erase_targets(actor, ids, *, reason):
    """At the person's request: the targets `ids` stop (open ones are blocked: nobody contacts them again) and their
    contact history is pseudonymised. Returns how many targets changed."""
    targets = list(
        Target.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("campaign")
    )
    for target in targets:
        require_manage_campaign(actor, target.campaign)
    done = [t.pk for t in targets]
    Target.objects.filter(pk__in=done, status__in=Target.OPEN).update(
        status=Target.Status.BLOCKED, assignee=None
    )
    _scrub_targets(done)
    audit.record_pseudonymised(actor, "outreach.target", done, reason=reason)
    return len(done)
