"""What a campaign changed, in numbers (the seed's outcomes, measured): reach, conversion to dossiers, and the
converted dossiers against the same communes' dossiers of the same procedures that the campaign did not produce."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from civicdesk.handbook.models import Procedure
from civicdesk.servicedesk.models import Dossier
from civicdesk.servicedesk.models.dossier import Channel

from .models import Attempt, ContactChannel, InboundReply, Message, Outcome, Target

ONLINE = (Channel.TRUC_TUYEN, Channel.TRUC_TUYEN_HO_TRO)


@dataclass
class DossierGroup:
    """Outcome measures of a set of dossiers."""

    count: int = 0
    online: int = 0
    supplemented: int = 0
    rated: int = 0
    rating: float | None = None
    finished: int = 0
    on_time: int = 0

    @property
    def online_rate(self):
        return self.online / self.count if self.count else None

    @property
    def supplement_rate(self):
        return self.supplemented / self.count if self.count else None

    @property
    def on_time_rate(self):
        return self.on_time / self.finished if self.finished else None


@dataclass
class CampaignReport:
    campaign: object
    targets: int = 0
    contacted: int = 0
    reached: int = 0
    converted: int = 0
    by_status: dict = field(default_factory=dict)
    by_outcome: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)
    attempts: int = 0
    messages: dict = field(default_factory=dict)
    opt_outs: int = 0
    converted_group: DossierGroup = field(default_factory=DossierGroup)
    others_group: DossierGroup = field(default_factory=DossierGroup)
    procedures: list = field(default_factory=list)
    procedure_names: dict = field(default_factory=dict)
    days_to_file: float | None = None
    people: list = field(default_factory=list)

    @property
    def reach_rate(self):
        return self.reached / self.targets if self.targets else None

    @property
    def conversion_rate(self):
        return self.converted / self.targets if self.targets else None

    @property
    def conversion_of_reached(self):
        return self.converted / self.reached if self.reached else None


def _group(dossiers):
    row = dossiers.aggregate(
        count=Count("pk"),
        online=Count("pk", filter=Q(channel__in=ONLINE)),
        supplemented=Count("pk", filter=Q(supplement_count__gt=0)),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        rating=Avg("rating"),
        finished=Count("pk", filter=Q(is_on_time__isnull=False)),
        on_time=Count("pk", filter=Q(is_on_time=True)),
    )
    return DossierGroup(**row)


def _period(campaign):
    tz = timezone.get_current_timezone()
    start = datetime.combine(campaign.start_date, time.min, tzinfo=tz)
    end = datetime.combine(campaign.end_date + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def campaign_report(campaign, *, targets=None):
    """The report of `campaign` over `targets` (a visible_to-scoped queryset; all of the campaign's by default)."""
    targets = campaign.targets.all() if targets is None else targets
    report = CampaignReport(campaign)
    counts = targets.aggregate(
        total=Count("pk"),
        contacted=Count("pk", filter=Q(attempt_count__gt=0)),
        reached=Count("pk", filter=Q(reached_at__isnull=False)),
        converted=Count("pk", filter=Q(dossier__isnull=False)),
    )
    report.targets, report.contacted = counts["total"], counts["contacted"]
    report.reached, report.converted = counts["reached"], counts["converted"]
    statuses = dict(targets.values_list("status").annotate(n=Count("pk")))
    report.by_status = {s: statuses.get(s.value, 0) for s in Target.Status}
    attempts = Attempt.objects.filter(target__in=targets)
    report.attempts = attempts.count()
    outcomes = dict(attempts.values_list("outcome").annotate(n=Count("pk")))
    report.by_outcome = {o: outcomes.get(o.value, 0) for o in Outcome if outcomes.get(o.value)}
    channels = dict(attempts.values_list("channel").annotate(n=Count("pk")))
    report.by_channel = {c: channels.get(c.value, 0) for c in ContactChannel if channels.get(c.value)}
    messages = dict(Message.objects.filter(target__in=targets).values_list("status").annotate(n=Count("pk")))
    report.messages = {s: messages.get(s.value, 0) for s in Message.Status}
    start, end = _period(campaign)
    phones = targets.exclude(person__phone="").values("person__phone")
    report.opt_outs = InboundReply.objects.filter(
        opted_out=True, received_at__gte=start, received_at__lt=end, phone__in=phones
    ).count()
    converted_ids = targets.filter(dossier__isnull=False).values("dossier_id")
    report.converted_group = _group(Dossier.objects.filter(pk__in=converted_ids))
    codes = list(campaign.procedures.values_list("code", flat=True))
    if not codes:
        codes = list(
            Dossier.objects.filter(pk__in=converted_ids).values_list("procedure_code", flat=True).distinct()
        )
    report.procedures = codes
    report.procedure_names = dict(Procedure.objects.filter(code__in=codes).values_list("code", "name"))
    communes = targets.values("commune_id").distinct()
    others = Dossier.objects.filter(
        commune_id__in=communes, procedure_code__in=codes, received_at__gte=start, received_at__lt=end
    ).exclude(pk__in=converted_ids)
    report.others_group = _group(others)
    report.days_to_file = _days_to_file(targets)
    report.people = list(
        targets.filter(assignee__isnull=False)
        .values("assignee__username", "assignee__full_name")
        .annotate(
            targets=Count("pk"),
            contacted=Count("pk", filter=Q(attempt_count__gt=0)),
            reached=Count("pk", filter=Q(reached_at__isnull=False)),
            converted=Count("pk", filter=Q(dossier__isnull=False)),
        )
        .order_by("-converted", "assignee__username")
    )
    return report


def _days_to_file(targets):
    """Median days from the first contact that reached the citizen to the dossier's receipt (faster guidance)."""
    rows = targets.filter(dossier__isnull=False, reached_at__isnull=False).values_list(
        "reached_at", "dossier__received_at"
    )
    days = sorted(max(0.0, (filed - reached).total_seconds() / 86400) for reached, filed in rows)
    if not days:
        return None
    middle = len(days) // 2
    return days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
