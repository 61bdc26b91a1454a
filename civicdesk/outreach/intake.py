"""Conversion at intake: when the counter receives a dossier from a citizen the campaign has already contacted, the
dossier is linked to that contact without anyone typing its code.

A new dossier (servicedesk's `post_save`, created) is matched to a target of an active campaign of its commune,
not yet linked, whose citizen has the applicant's CCCD (or, listed without a CCCD, the applicant's phone),
who was reached (or sent a message) before the dossier was received, and — when the campaign names procedures — for one of them.
The link is made by `link_dossier` (audited as the system "tiếp nhận hồ sơ"); anything that does not fit is left
for the officer, who still sees the dossier among the target's suggestions. Bulk-created dossiers (imports, the
demo) send no signal and are not matched.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save

from civicdesk.kernel.actors import system
from civicdesk.servicedesk.models import Dossier

from .models import REACHED_OUTCOMES, Campaign, Outcome, Target

# Contacts that can have produced a dossier: a conversation, or a message that told the citizen what to do (a
# call nobody answered did not).
PRODUCING = sorted(REACHED_OUTCOMES - {Outcome.REFUSED} | {Outcome.MESSAGE_SENT})

INTAKE = system("tiếp nhận hồ sơ")
log = logging.getLogger(__name__)


def candidates(dossier):
    """Targets this new dossier may have come from (best first: most recently contacted)."""
    who = Q(person__id_number=dossier.applicant_id_number) if dossier.applicant_id_number else Q(pk__in=[])
    if dossier.applicant_phone.startswith("0") and len(dossier.applicant_phone) == 10:
        # A citizen listed without a CCCD is recognised by phone; one listed with another CCCD is someone else.
        who |= Q(person__id_number="", person__phone="+84" + dossier.applicant_phone[1:])
    day = dossier.received_at.date()
    return (
        Target.objects.filter(who, commune_id=dossier.commune_id, dossier__isnull=True, attempt_count__gt=0)
        .filter(
            campaign__status=Campaign.Status.ACTIVE,
            campaign__start_date__lte=day,
            campaign__end_date__gte=day,
        )
        .filter(attempts__at__lte=dossier.received_at, attempts__outcome__in=PRODUCING)
        .filter(Q(campaign__procedures__isnull=True) | Q(campaign__procedures__code=dossier.procedure_code))
        .select_related("campaign")
        .distinct()
        .order_by("-last_attempt_at", "pk")
    )


def link_at_intake(dossier):
    """Link `dossier` to the contact that produced it, if there is one. Returns the target linked, or None."""
    from .services import link_dossier

    for target in candidates(dossier)[:3]:
        try:
            with transaction.atomic():
                return link_dossier(INTAKE, target, dossier.code)
        except ValidationError as exc:  # e.g. the same citizen's other campaign took it first
            log.info("Outreach: dossier %s not linked to target %s: %s", dossier.code, target.pk, exc)
    return None


def _on_dossier_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        link_at_intake(instance)


def connect():
    post_save.connect(_on_dossier_saved, sender=Dossier, dispatch_uid="outreach.link_at_intake")
