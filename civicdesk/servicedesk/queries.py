"""Reads of the service desk for other apps (staffing reads the service desk only through these; the community
app reads its language-access figures here).

No personal data and no user scoping here: the callers are other domains' services, which apply their own access
rules to the pages that show the figures. A commune is named by its official code; periods are local dates
`since`..`until`, inclusive.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from civicdesk.geo.models import Commune
from civicdesk.kernel.languages import VIETNAMESE

from . import kpi
from .models import Dossier
from .models.dossier import Channel


@dataclass(frozen=True)
class DossierCounts:
    """Dossiers received in a period and how they went; the rates are fractions (0–1, 4 decimals), None when the
    count under them is 0."""

    received: int
    finished: int
    on_time: int
    supplemented: int

    @property
    def on_time_rate(self) -> float | None:
        """Finished on time ÷ finished (a finished dossier without a due date is not on time)."""
        return kpi.ratio(self.on_time, self.finished)

    @property
    def late_rate(self) -> float | None:
        """1 − on_time_rate."""
        return kpi.ratio(self.finished - self.on_time, self.finished)

    @property
    def supplement_rate(self) -> float | None:
        """Dossiers with at least one supplement request ÷ received."""
        return kpi.ratio(self.supplemented, self.received)


@dataclass(frozen=True)
class CommuneKpis(DossierCounts):
    """One commune's Decision 766 KPIs (the dashboard's formulas, `servicedesk/kpi.py`), and the same counts per
    handbook field code of the dossiers' procedures. Dossiers of a procedure the handbook does not know count in
    the totals only."""

    online_rate: float | None = None
    assisted_online_share: float | None = None
    satisfaction_rate: float | None = None
    rated: int = 0
    avg_working_days: float | None = None
    by_field: dict[str, DossierCounts] = field(default_factory=dict)


def commune_kpis(commune_code: int, since: date, until: date) -> CommuneKpis:
    """The KPIs of one commune for dossiers received `since`..`until`.

    Everything comes from the counters (`CommuneDayStat`/`CommuneMonthStat`, `CommuneDayFieldStat`), never from
    the dossier rows. Raises Commune.DoesNotExist for an unknown code.
    """
    commune = Commune.objects.only("pk").get(code=commune_code)
    counts = kpi.total(since, until, commune_ids=[commune.pk])
    rates = kpi.rates(counts)
    by_field = {}
    if counts["received"]:
        by_field = {
            code: DossierCounts(
                received=row["received"],
                finished=row["finished"],
                on_time=row["on_time"],
                supplemented=row["supplemented"],
            )
            for code, row in kpi.field_counts(commune.pk, since, until).items()
        }
    return CommuneKpis(
        received=counts["received"],
        finished=counts["finished"],
        on_time=counts["on_time"],
        supplemented=counts["supplemented"],
        online_rate=rates["online_rate"],
        assisted_online_share=rates["assisted_online_share"],
        satisfaction_rate=rates["satisfaction_rate"],
        rated=rates["rated"],
        avg_working_days=rates["avg_working_days"],
        by_field=by_field,
    )


@dataclass(frozen=True)
class LanguageServed:
    """Dossiers of one language in a period (issue 15, language access): how many, and how many of them with an
    interpreter."""

    dossiers: int
    with_interpreter: int


def language_service(commune_code: int, since: date, until: date) -> dict[str, LanguageServed]:
    """The dossiers of one commune received `since`..`until` (local dates of receipt, inclusive) that were served
    in a language other than Vietnamese or with an interpreter, by ISO 639-3 code of the language served in.

    A dossier recorded with an interpreter but no language counts under the key "" (the services store
    Vietnamese as blank; a "vie" written some other way keeps its own key). Dossiers served in Vietnamese without an
    interpreter are not counted: nothing special was recorded. Read from the dossier rows on the (commune,
    received_date) index. Raises Commune.DoesNotExist for an unknown code.
    """
    commune = Commune.objects.only("pk").get(code=commune_code)
    other_language = ~Q(served_language__in=("", VIETNAMESE))
    rows = (
        Dossier.objects.filter(commune_id=commune.pk, received_date__range=(since, until))
        .filter(other_language | Q(interpreter_used=True))
        .values("served_language")
        .annotate(dossiers=Count("pk"), with_interpreter=Count("pk", filter=Q(interpreter_used=True)))
        .order_by("served_language")
    )
    return {
        row["served_language"]: LanguageServed(
            dossiers=row["dossiers"], with_interpreter=row["with_interpreter"]
        )
        for row in rows
    }


@dataclass(frozen=True)
class HalfDayArrivals:
    """Dossiers received at one weekday (0 Monday … 6 Sunday) and half-day ("am" before noon, "pm" after) over a
    period: all of them, and those filed online with help at the centre."""

    received: int
    assisted_online: int


def arrivals_by_half_day(
    commune_code: int, since: date, until: date
) -> dict[tuple[int, str], HalfDayArrivals]:
    """{(weekday, "am"|"pm"): HalfDayArrivals} for one commune's dossiers received `since`..`until` (local dates,
    inclusive), by the Vietnam-time weekday and hour of receipt; half-days with none are absent. What the volunteers'
    shifts are forecast from. Raises Commune.DoesNotExist for an unknown code."""
    commune = Commune.objects.only("pk").get(code=commune_code)
    tz = timezone.get_default_timezone()
    rows = (
        Dossier.objects.filter(commune_id=commune.pk, received_date__range=(since, until))
        .annotate(
            iso_day=ExtractIsoWeekDay("received_at", tzinfo=tz), hour=ExtractHour("received_at", tzinfo=tz)
        )
        .values("iso_day", "hour")
        .annotate(received=Count("pk"), assisted=Count("pk", filter=Q(channel=Channel.TRUC_TUYEN_HO_TRO)))
    )
    found = {}
    for row in rows:
        key = (row["iso_day"] - 1, "am" if row["hour"] < 12 else "pm")
        before = found.get(key, HalfDayArrivals(0, 0))
        found[key] = HalfDayArrivals(
            before.received + row["received"], before.assisted_online + row["assisted"]
        )
    return found
