"""What a trip achieved, counted from the dossiers it brought back (issue 18's trip report).

Dossiers taken: the field dossiers synced under this trip, whatever became of them; in the register: registered, or
linked to a dossier the register already had; citizens served: distinct applicants (by CCCD, else by name and phone);
supplements: the registered dossiers the commune later asked to complete; announced: the citizens served whom the
trip's announcement (outreach, through the registry) had reached by SMS, matched by CCCD or phone. Time and distance saved are an *estimate*:
each citizen would otherwise have made the round trip from their hamlet to the commune centre, by road — the
great-circle distance × the road factor, driven at the same speed the route engine assumes (`routing`: 1.4 and 30
km/h). The citizen's own waiting at the centre is not counted. Dossiers without a hamlet, or whose hamlet has no
coordinates, count in everything but the estimate (and are counted apart, so the reader sees what is left out).
"""

from dataclasses import dataclass, field

from . import routing
from .announce import announcer, key_of
from .models import FieldDossier


@dataclass
class TripReport:
    taken: int = 0
    in_register: int = 0
    waiting: int = 0  # on the review list
    dismissed: int = 0
    citizens: int = 0
    supplements: int = 0
    by_hamlet: list = field(default_factory=list)  # [(hamlet name, dossiers)]
    km_saved: float = 0.0
    minutes_saved: int = 0
    without_distance: int = 0  # dossiers left out of the estimate (no hamlet, or one without coordinates)
    announced: int | None = (
        None  # citizens served whom the trip's announcement had reached (None: no announcer)
    )


def trip_report(trip):
    commune = trip.commune
    report = TripReport()
    people, hamlets = {}, {}
    rows = FieldDossier.objects.filter(trip=trip).select_related("hamlet", "dossier")
    for row in rows:
        report.taken += 1
        if row.status in (FieldDossier.Status.REGISTERED, FieldDossier.Status.LINKED):
            report.in_register += 1
            if row.dossier is not None and row.dossier.supplement_count:
                report.supplements += 1
        elif row.status == FieldDossier.Status.REVIEW:
            report.waiting += 1
        else:
            report.dismissed += 1
        payload = row.payload or {}
        who = payload.get("applicant_id_number") or (
            payload.get("applicant_name"),
            payload.get("applicant_phone"),
        )
        people.setdefault(
            who, (payload.get("applicant_id_number") or "", payload.get("applicant_phone") or "")
        )
        hamlet = row.hamlet
        name = hamlet.name if hamlet else ""
        hamlets[name] = hamlets.get(name, 0) + 1
        if hamlet is None or hamlet.lat is None or commune.lat is None:
            report.without_distance += 1
            continue
        km = routing.geo.road_km(
            routing.haversine_km(hamlet.lat, hamlet.lon, commune.lat, commune.lon),
            routing.DEFAULT_ROAD_FACTOR,
        )
        report.km_saved += 2 * km
        report.minutes_saved += 2 * routing.drive_minutes(km, routing.DEFAULT_SPEED_KMH)
    report.citizens = len(people)
    found = announcer()
    if found is not None and people:
        # The announcer matches by CCCD or phone; a citizen known only by name is not matched.
        report.announced = found.reached_among(key_of(trip), list(people.values()))
    report.km_saved = round(report.km_saved, 1)
    report.by_hamlet = sorted(hamlets.items(), key=lambda item: (-item[1], item[0]))
    return report
