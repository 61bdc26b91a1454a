"""A trip told to the hamlets' citizens, through whichever app registered an announcer in the kernel registry
(outreach does: `outreach/announcements.py`).

Mobile and outreach are sibling apps and may not import each other (pyproject's import-linter layers). Mobile only
describes the trip as plain data (`kernel.registry.VisitAnnouncement`: the commune, the day, each hamlet the route
fits with when the team works there and where, the procedures, what to bring, the citizens' lookup page) and reads
back plain data; who is told and how — consent, do-not-contact, channels, the message, idempotency and corrections —
is outreach's business. With no announcer registered (outreach not installed) the trip's page offers nothing and
says nothing about it.
"""

from datetime import datetime, timedelta

from civicdesk.handbook.models import Procedure
from civicdesk.kernel.registry import AnnouncedStop, VisitAnnouncement, registry


def announcer():
    """The registered announcer, or None."""
    return registry.announcer


def key_of(trip):
    return f"mobile.trip:{trip.pk}"


def _end(stop):
    start = datetime.combine(stop.trip.day, stop.planned_arrival)
    return (start + timedelta(minutes=stop.service_minutes)).time()


def announcement_for(trip, *, places=None, bring=""):
    """The trip as plain data. `places` ({stop pk: text}) and `bring` are what the officer typed on the page (the
    announcer neutralises them); only the hamlets the route fits are announced."""
    places = places or {}
    stops = [
        s
        for s in trip.stops.select_related("hamlet", "trip").order_by("position")
        if s.position is not None and s.planned_arrival is not None
    ]
    names = dict(Procedure.objects.filter(code__in=trip.procedure_codes).values_list("code", "name"))
    return VisitAnnouncement(
        key=key_of(trip),
        commune_id=trip.commune_id,
        title=trip.title,
        day=trip.day,
        stops=tuple(
            AnnouncedStop(
                hamlet_id=s.hamlet_id,
                hamlet=s.hamlet.name,
                start=s.planned_arrival,
                end=_end(s),
                place=places.get(s.pk, ""),
            )
            for s in stops
        ),
        procedures=tuple(names[c] for c in trip.procedure_codes if c in names),
        procedure_codes=tuple(c for c in trip.procedure_codes if c in names),
        bring=bring,
    )
