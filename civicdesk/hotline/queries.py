"""Reads of the hotline: queues, SLA state of a ticket, reports. Everything starts from `Ticket.objects.visible_to`.

Report formulas (docs/hotline.md):
- first-response time = office time (core/workcal.py) from filing to the first public reply of an expert;
- resolution time = office time from filing to resolution, minus the office time spent waiting for the commune;
- median and p90 by the nearest-rank method, in working hours;
- SLA compliance % = met / measured, where a target is measured once it was met or its due time has passed;
- ageing of open tickets in working days since filing.
"""

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db.models import Count, F, Q
from django.utils import timezone

from civicdesk.core.workcal import VN_TZ, get_calendar
from civicdesk.geo.models import Commune
from civicdesk.kernel.languages import VIETNAMESE
from civicdesk.kernel.roles import COMMUNE_ROLES

from .models import Team, Ticket
from .permissions import is_province_desk

S = Ticket.Status


def queues_for(user):
    """(key, label) of the queues a user has, in the order of the tabs."""
    from django.utils.translation import gettext_lazy as _

    if user.role in COMMUNE_ROLES:
        return [("mine", _("Câu hỏi của tôi")), ("commune", _("Cả xã")), ("done", _("Đã giải quyết"))]
    if is_province_desk(user, user.province_id):
        # The desk's own work first: questions without a team, then those no expert has taken yet (any team).
        return [
            ("triage", _("Chưa có nhóm (cần phân loại)")),
            ("mine", _("Tôi phụ trách")),
            ("unassigned", _("Chưa ai nhận")),
            ("open", _("Đang mở")),
            ("overdue", _("Quá hạn")),
            ("waiting", _("Chờ xã bổ sung")),
            ("done", _("Đã giải quyết")),
        ]
    return [
        ("mine", _("Tôi phụ trách")),
        ("team", _("Nhóm chưa ai nhận")),
        ("open", _("Đang mở")),
        ("overdue", _("Quá hạn")),
        ("waiting", _("Chờ xã bổ sung")),
        ("done", _("Đã giải quyết")),
    ]


def _queue_filter(user, key, now):
    """The condition a visible ticket meets to be in queue `key` (a Q, so counts can share one query)."""
    if key == "mine":
        mine = Q(requester=user) if user.role in COMMUNE_ROLES else Q(assignee=user)
        return mine & Q(status__in=(*Ticket.OPEN_STATUSES, S.RESOLVED))
    if key == "commune":
        return Q()
    if key == "team":
        return Q(
            assignee__isnull=True, team__in=Team.objects.for_member(user), status__in=Ticket.OPEN_STATUSES
        )
    if key == "unassigned":
        return Q(assignee__isnull=True, team__isnull=False, status__in=Ticket.OPEN_STATUSES)
    if key == "triage":
        return Q(team__isnull=True, status__in=Ticket.OPEN_STATUSES)
    if key == "overdue":
        return Q(pk__in=Ticket.objects.overdue(now).values("pk"))
    if key == "waiting":
        return Q(status=S.WAITING)
    if key == "done":
        return Q(status__in=(S.RESOLVED, S.CLOSED))
    return Q(status__in=Ticket.OPEN_STATUSES)


def queue(user, key, now=None):
    now = now or timezone.now()
    qs = Ticket.objects.visible_to(user).select_related("commune", "team", "assignee", "field")
    qs = qs.filter(_queue_filter(user, key, now))
    return qs.order_by("resolution_due") if key == "overdue" else qs


def queue_counts(user, now=None):
    """{queue key: number of tickets} for every queue of the user, in one query."""
    now = now or timezone.now()
    keys = [key for key, _label in queues_for(user)]
    return Ticket.objects.visible_to(user).aggregate(
        **{key: Count("pk", filter=_queue_filter(user, key, now)) for key in keys}
    )


# Queues that hold work to do (the others are for looking back).
LOOKING_BACK = {"done", "commune"}


def landing_queue(user, counts):
    """The tab /hotline/ opens on: the first one holding work, else the first one."""
    keys = [key for key, _label in queues_for(user)]
    return next((key for key in keys if key not in LOOKING_BACK and counts.get(key)), keys[0])


def sla_state(ticket, now=None, calendar=None):
    """For display: each target's due time, office time left (negative when late) and a badge class."""
    now = now or timezone.now()
    calendar = calendar or get_calendar()
    rows = []
    for key, due, done_at in (
        ("first_response", ticket.first_response_due, ticket.first_responded_at),
        ("resolution", ticket.resolution_due, ticket.resolved_at),
    ):
        if due is None:
            continue
        row = {"key": key, "due": due, "done": done_at, "met": None, "left_hours": None, "paused": False}
        if done_at is not None:
            row.update(met=done_at <= due, badge="ok" if done_at <= due else "bad")
        else:
            row["paused"] = ticket.status == S.WAITING and key == "resolution"
            if now >= due and not row["paused"]:
                left = -calendar.working_time_between(due, now)
            else:
                left = calendar.working_time_between(now, due)
            row["left_hours"] = round(left.total_seconds() / 3600, 1)
            warned = getattr(ticket, f"{key}_warned_at")
            row["badge"] = "bad" if row["left_hours"] < 0 else "warn" if warned else "ok"
        rows.append(row)
    return rows


# --- reports -------------------------------------------------------------------------------------------------------
def percentile(values, p):
    """Nearest-rank percentile (p in 0–100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _hours(delta):
    return round(delta.total_seconds() / 3600, 2)


def ticket_metrics(ticket, now, calendar):
    """The measured numbers of one ticket (used by the report and the Excel export)."""
    first = resolution = None
    if ticket.first_responded_at:
        first = _hours(calendar.working_time_between(ticket.created_at, ticket.first_responded_at))
    if ticket.resolved_at and not ticket.merged_into_id:
        spent = calendar.working_time_between(ticket.created_at, ticket.resolved_at)
        resolution = max(0.0, _hours(spent - timedelta(seconds=ticket.paused_seconds)))
    first_met = resolution_met = None
    if ticket.first_response_due:
        if ticket.first_responded_at:
            first_met = ticket.first_responded_at <= ticket.first_response_due
        elif now > ticket.first_response_due and ticket.clock_running:
            first_met = False
    if ticket.resolution_due and not ticket.merged_into_id:
        if ticket.resolved_at:
            resolution_met = ticket.resolved_at <= ticket.resolution_due
        elif now > ticket.resolution_due and ticket.clock_running:
            resolution_met = False
    age_days = calendar.working_days_between(ticket.created_at, now) if ticket.is_open else None
    return {
        "first_hours": first,
        "resolution_hours": resolution,
        "first_met": first_met,
        "resolution_met": resolution_met,
        "age_days": age_days,
    }


STOPWORDS = frozenset(
    [
        "và",
        "của",
        "cho",
        "có",
        "không",
        "được",
        "là",
        "thì",
        "mà",
        "với",
        "các",
        "những",
        "một",
        "này",
        "đó",
        "khi",
        "như",
        "để",
        "trong",
        "ra",
        "vào",
        "bị",
        "cần",
        "gì",
        "nào",
        "sao",
        "thế",
        "làm",
        "hỏi",
        "xin",
        "về",
        "theo",
        "từ",
        "đã",
        "đang",
        "sẽ",
        "hay",
        "hoặc",
        "người",
        "xã",
        "phường",
        "ạ",
        "ơi",
        "thủ",
        "tục",
    ]
)
_WORD = re.compile(r"\w+(?:'\w+)?", re.UNICODE)  # keeps K'Ho, H'Nga whole


def top_topics(titles, limit=10):
    """The most frequent two-word phrases of the titles (Vietnamese words are syllables: "khai sinh", "sổ đỏ")."""
    counter = Counter()
    for title in titles:
        words = [w for w in _WORD.findall(title.lower()) if not w.isdigit()]
        pairs = {f"{a} {b}" for a, b in pairwise(words) if a not in STOPWORDS and b not in STOPWORDS}
        counter.update(pairs)
    return [(phrase, n) for phrase, n in counter.most_common(limit) if n > 1] or counter.most_common(
        min(limit, 5)
    )


def _pct(met, measured):
    return round(100 * met / measured, 1) if measured else None


def _summary(rows):
    firsts = [r["first_hours"] for r in rows if r["first_hours"] is not None]
    resolutions = [r["resolution_hours"] for r in rows if r["resolution_hours"] is not None]
    first_measured = [r["first_met"] for r in rows if r["first_met"] is not None]
    res_measured = [r["resolution_met"] for r in rows if r["resolution_met"] is not None]
    scores = [r["ticket"].csat_score for r in rows if r["ticket"].csat_score]
    return {
        "count": len(rows),
        "open": sum(1 for r in rows if r["ticket"].is_open),
        "first_median": percentile(firsts, 50),
        "first_p90": percentile(firsts, 90),
        "resolution_median": percentile(resolutions, 50),
        "resolution_p90": percentile(resolutions, 90),
        "first_compliance": _pct(sum(first_measured), len(first_measured)),
        "resolution_compliance": _pct(sum(res_measured), len(res_measured)),
        "csat_avg": round(sum(scores) / len(scores), 2) if scores else None,
        "csat_count": len(scores),
    }


def report_tickets(user, start=None, end=None):
    qs = Ticket.objects.visible_to(user).filter(merged_into__isnull=True)
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
    return qs.select_related("commune", "team", "assignee", "field")


def report(user, start=None, end=None, now=None):
    """Everything the reports page and the Excel export show, for the tickets `user` may see."""
    now = now or timezone.now()
    calendar = get_calendar()
    tickets = list(report_tickets(user, start, end))
    rows = [{"ticket": t, **ticket_metrics(t, now, calendar)} for t in tickets]
    by_team, by_expert = defaultdict(list), defaultdict(list)
    for row in rows:
        by_team[row["ticket"].team].append(row)
        if row["ticket"].assignee:
            by_expert[row["ticket"].assignee].append(row)
    ageing = Counter()
    for row in rows:
        if row["age_days"] is None:
            continue
        days = row["age_days"]
        bucket = "< 1" if days < 1 else "1–3" if days < 3 else "3–5" if days < 5 else "> 5"
        ageing[bucket] += 1
    qs = report_tickets(user, start, end)
    return {
        "rows": rows,
        "summary": _summary(rows),
        "by_field": list(qs.values("field__name").annotate(n=Count("pk")).order_by("-n")),
        "by_commune": list(qs.values("commune__name").annotate(n=Count("pk")).order_by("-n")),
        "by_team": sorted(
            ({"team": team, **_summary(team_rows)} for team, team_rows in by_team.items()),
            key=lambda r: -r["count"],
        ),
        "by_expert": sorted(
            ({"expert": expert, **_summary(expert_rows)} for expert, expert_rows in by_expert.items()),
            key=lambda r: -r["count"],
        ),
        "ageing": [(bucket, ageing.get(bucket, 0)) for bucket in ("< 1", "1–3", "3–5", "> 5")],
        "csat_distribution": [
            (score, sum(1 for r in rows if r["ticket"].csat_score == score)) for score in range(5, 0, -1)
        ],
        "top_topics": top_topics([t.title for t in tickets]),
        "by_status": list(qs.values("status").annotate(n=Count("pk")).order_by("status")),
    }


def _local_midnight(day):
    return datetime.combine(day, time.min, tzinfo=VN_TZ)


def _breached_within(target, lo, hi, now):
    """Q: the ticket's `target` ("first_response" or "resolution") was breached in [lo, hi).

    The breach instant is the one the SLA check stamped (`<target>_breached_at`); when the check has not run
    (the target was met late between two checks, or is overdue right now), it is the due time itself.
    """
    due, stamp = f"{target}_due", f"{target}_breached_at"
    done = "first_responded_at" if target == "first_response" else "resolved_at"
    stamped = Q(**{f"{stamp}__gte": lo, f"{stamp}__lt": hi})
    unstamped = Q(**{f"{stamp}__isnull": True, f"{due}__gte": lo, f"{due}__lt": min(hi, now)})
    met_late = Q(**{f"{done}__isnull": False, f"{done}__gt": F(due)})
    missed = Q(**{f"{done}__isnull": True, "status__in": Ticket.CLOCK_RUNNING})
    return stamped | (unstamped & (met_late | missed))


@dataclass(frozen=True)
class TicketCounts:
    """Hotline questions of a commune in a period, and SLA breaches."""

    questions: int  # tickets filed in the period (duplicates merged into another ticket are not counted)
    # tickets whose first-response or resolution target was breached in the period (a ticket with both breached
    # counts once), whatever the day it was filed: stamped by the SLA check, or met after its due time, or still
    # pending with its clock running past the due time
    sla_breaches: int


@dataclass(frozen=True)
class CommuneTicketStats(TicketCounts):
    """The totals, and the same per handbook field code of the question (questions without a field: totals only)."""

    by_field: dict[str, TicketCounts] = field(default_factory=dict)


def commune_ticket_stats(
    commune_code: int, since: date, until: date, *, now: datetime | None = None
) -> CommuneTicketStats:
    """For other apps (staffing): the hotline questions of one commune over local dates `since`..`until`
    (inclusive). Raises Commune.DoesNotExist for an unknown code."""
    now = now or timezone.now()
    commune_id = Commune.objects.only("pk").get(code=commune_code).pk
    lo, hi = _local_midnight(since), _local_midnight(until + timedelta(days=1))
    filed = Q(created_at__gte=lo, created_at__lt=hi)
    breached = _breached_within("first_response", lo, hi, now) | _breached_within("resolution", lo, hi, now)
    rows = (
        Ticket.objects.filter(commune_id=commune_id, merged_into__isnull=True)
        .filter(filed | breached)
        .values("field__code")
        .annotate(questions=Count("pk", filter=filed), sla_breaches=Count("pk", filter=breached))
        .order_by()
    )
    questions = breaches = 0
    by_field = {}
    for row in rows:
        questions += row["questions"]
        breaches += row["sla_breaches"]
        if row["field__code"]:
            by_field[row["field__code"]] = TicketCounts(row["questions"], row["sla_breaches"])
    return CommuneTicketStats(questions=questions, sla_breaches=breaches, by_field=by_field)


@dataclass(frozen=True)
class LanguageTickets:
    """Hotline questions of one language in a period (issue 15, language access): how many, and how many of them
    with an interpreter."""

    tickets: int
    with_interpreter: int


def language_service(commune_code: int, since: date, until: date) -> dict[str, LanguageTickets]:
    """For other apps (community): the questions of one commune filed `since`..`until` (local dates, inclusive)
    whose citizen was served in a language other than Vietnamese or with an interpreter, by ISO 639-3 code.

    A question recorded with an interpreter but no language counts under the key "" (the services store Vietnamese
    as blank; a "vie" written some other way keeps its own key). Questions served in Vietnamese without an
    interpreter are not counted, nor duplicates merged into another question (as in `commune_ticket_stats`).
    Raises Commune.DoesNotExist for an unknown code.
    """
    commune_id = Commune.objects.only("pk").get(code=commune_code).pk
    lo, hi = _local_midnight(since), _local_midnight(until + timedelta(days=1))
    other_language = ~Q(served_language__in=("", VIETNAMESE))
    rows = (
        Ticket.objects.filter(
            commune_id=commune_id, merged_into__isnull=True, created_at__gte=lo, created_at__lt=hi
        )
        .filter(other_language | Q(interpreter_used=True))
        .values("served_language")
        .annotate(tickets=Count("pk"), with_interpreter=Count("pk", filter=Q(interpreter_used=True)))
        .order_by("served_language")
    )
    return {
        row["served_language"]: LanguageTickets(
            tickets=row["tickets"], with_interpreter=row["with_interpreter"]
        )
        for row in rows
    }
