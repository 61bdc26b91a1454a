"""SLA clocks on the working calendar: due times, the pause while the commune owes information, warnings,
breaches and escalation (`check_sla`, run by a periodic huey task and `civicdesk hotline check-sla`)."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.core import audit
from civicdesk.core.models import User
from civicdesk.core.workcal import get_calendar
from civicdesk.kernel.actors import system
from civicdesk.kernel.roles import Role

from .. import conf, notify
from ..models import Ticket, TicketEvent
from .routing import policy_for

log = logging.getLogger(__name__)
TARGETS = ("first_response", "resolution")
BATCH = 200
# The actor of what the clock does by itself: marking breaches, closing resolved questions after the reopen window.
SLA_CLOCK = system(gettext_lazy("đồng hồ SLA"))


def compute_dues(province_id, urgency, start, calendar=None):
    """(first response due, resolution due): `start` plus the policy's working hours."""
    calendar = calendar or get_calendar()
    first, resolution, _warn = policy_for(province_id, urgency)
    return (
        calendar.add_working_hours(start, float(first)),
        calendar.add_working_hours(start, float(resolution)),
    )


def pause_clock(ticket, now):
    if ticket.waiting_since is None:
        ticket.waiting_since = now


def resume_clock(ticket, now, calendar=None):
    """Leaving "waiting for commune": push the resolution due time by the office time spent waiting."""
    if ticket.waiting_since is None:
        return
    calendar = calendar or get_calendar()
    paused = calendar.working_time_between(ticket.waiting_since, now)
    if paused > timedelta(0):
        ticket.paused_seconds += int(paused.total_seconds())
        if ticket.resolution_due:
            ticket.resolution_due = calendar.add_working_hours(ticket.resolution_due, paused)
    ticket.waiting_since = None


def escalation_recipients(ticket):
    """The team leader; the province admins as well when there is no leader or the leader is the one late."""
    recipients = []
    leader = ticket.team.leader_user if ticket.team else None
    if leader is not None:
        recipients.append(leader)
    if leader is None or leader.pk == ticket.assignee_id:
        recipients += list(
            User.objects.filter(province_id=ticket.province_id, role=Role.PROVINCE_ADMIN, is_active=True)
        )
    return recipients


def _due(ticket, target):
    return ticket.first_response_due if target == "first_response" else ticket.resolution_due


def _pending(ticket, target):
    if target == "first_response":
        return ticket.first_responded_at is None and ticket.first_response_due is not None
    return ticket.resolution_due is not None


def _breach(ticket, target, now):
    # The conditional update makes breach handling happen once even if two workers run the check together.
    won = Ticket.objects.filter(pk=ticket.pk, **{f"{target}_breached_at__isnull": True}).update(
        **{f"{target}_breached_at": now}
    )
    if not won:
        return False
    setattr(ticket, f"{target}_breached_at", now)
    label = _("phản hồi đầu tiên") if target == "first_response" else _("giải quyết")
    TicketEvent.objects.create(
        ticket=ticket, kind=TicketEvent.Kind.BREACHED, note=label, data={"target": target}, at=now
    )
    recipients = escalation_recipients(ticket)
    if Ticket.objects.filter(pk=ticket.pk, escalated_at__isnull=True).update(escalated_at=now):
        ticket.escalated_at = now
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.ESCALATED,
        note=", ".join(u.get_full_name() for u in recipients),
        data={"target": target, "to": [u.pk for u in recipients]},
        at=now,
    )
    audit.record(
        SLA_CLOCK,
        audit.Action.UPDATE,
        ticket,
        changes={f"{target}_breached_at": now.isoformat()},
        reason="SLA",
    )
    notify.breach(ticket, target, [*recipients, ticket.assignee])
    return True


def _warn(ticket, target, now, calendar):
    first, resolution, warn_percent = policy_for(ticket.province_id, ticket.urgency)
    hours = first if target == "first_response" else resolution
    remaining = calendar.working_time_between(now, _due(ticket, target))
    if remaining.total_seconds() > float(hours) * 3600 * (100 - warn_percent) / 100:
        return False
    won = Ticket.objects.filter(pk=ticket.pk, **{f"{target}_warned_at__isnull": True}).update(
        **{f"{target}_warned_at": now}
    )
    if not won:
        return False
    TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.WARNED, data={"target": target}, at=now)
    recipients = [ticket.assignee] if ticket.assignee else list(ticket.team.members()) if ticket.team else []
    notify.warning(ticket, target, recipients)
    return True


def check_sla(now=None):
    """Warn before, escalate on breach, close resolved tickets past the reopen window. Idempotent.

    Returns counts: {"warned", "breached", "closed"}.
    """
    from .tickets import close

    now = now or timezone.now()
    calendar = get_calendar()
    counts = {"warned": 0, "breached": 0, "closed": 0}
    running = (
        Ticket.objects.filter(status__in=Ticket.CLOCK_RUNNING)
        .exclude(first_response_breached_at__isnull=False, resolution_breached_at__isnull=False)
        .select_related("team", "team__leader", "team__working_group__leader", "assignee", "commune")
    )
    ids = list(running.values_list("pk", flat=True))
    # One transaction per batch: a commit per ticket costs a disk flush each on SQLite.
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            for ticket in running.filter(pk__in=ids[start : start + BATCH]):
                for target in TARGETS:
                    if not _pending(ticket, target) or getattr(ticket, f"{target}_breached_at"):
                        continue
                    if now >= _due(ticket, target):
                        counts["breached"] += _breach(ticket, target, now)
                    elif getattr(ticket, f"{target}_warned_at") is None:
                        counts["warned"] += _warn(ticket, target, now, calendar)
    cutoff = now - timedelta(days=conf.get("HOTLINE_REOPEN_DAYS"))
    for ticket in Ticket.objects.filter(status=Ticket.Status.RESOLVED, resolved_at__lt=cutoff):
        close(SLA_CLOCK, ticket, now=now, note=_("Tự động đóng sau thời hạn mở lại."))
        counts["closed"] += 1
    if any(counts.values()):
        log.info("Hotline SLA check: %s", counts)
    return counts
