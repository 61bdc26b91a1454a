"""From the database to the matching engine and back: who could go with whom (reads only; writes are services).

The engine (`community.matching`) knows no Django: this module builds its `Speaker`s from the commune's officials and
volunteers (their languages, where they live, the visits they already have that week, the half-days they can go out,
the working calendar's days off) and its `Request`s from open accompaniment requests.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from civicdesk.core.workcal import get_calendar

from . import matching
from .models import Accompaniment, Person

BOOKED = (Accompaniment.Status.ASSIGNED, Accompaniment.Status.ACCEPTED, Accompaniment.Status.DONE)


def _slots(person):
    if not person.available_slots:
        return None
    out = set()
    for text in person.available_slots:
        weekday, slot = text.split(":")
        out.add((int(weekday), slot))
    return frozenset(out)


def _skills(person):
    return tuple(
        matching.Skill(
            code=lang.code,
            dialect=lang.dialect,
            listening=lang.listening,
            speaking=lang.speaking,
            reading=lang.reading,
            writing=lang.writing,
            certified=lang.certified,
        )
        for lang in person.languages.all()
    )


def _week_days(day):
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def speakers_for(commune, days, *, exclude_request=None):
    """The commune's active officials and volunteers as engine `Speaker`s, with what they have booked on `days`' weeks.

    `exclude_request`: an accompaniment whose own assignment is not counted as booked (when re-proposing it).
    """
    people = list(
        Person.objects.speakers()
        .filter(commune=commune)
        .select_related("hamlet", "commune")
        .prefetch_related("languages")
    )
    weeks = sorted({d - timedelta(days=d.weekday()) for d in days})
    span = [day for monday in weeks for day in _week_days(monday)]
    calendar = get_calendar()
    closed = frozenset(day for day in span if not calendar.is_working_day(day))
    booked = defaultdict(set)
    per_day = defaultdict(lambda: defaultdict(int))
    per_week = defaultdict(lambda: defaultdict(int))
    visits = Accompaniment.objects.filter(
        assignee__in=[p.pk for p in people], status__in=BOOKED, date__in=span
    ).values_list("pk", "assignee_id", "date", "assigned_slot")
    for pk, assignee, day, slot in visits:
        if exclude_request is not None and pk == exclude_request.pk:
            continue
        if slot:
            booked[assignee].add((day, slot))
        per_day[assignee][day] += 1
        iso = day.isocalendar()
        per_week[assignee][(iso[0], iso[1])] += 1
    speakers = []
    for person in people:
        lat, lon = person.location
        speakers.append(
            matching.Speaker(
                id=person.pk,
                lat=lat,
                lon=lon,
                skills=_skills(person),
                weekly_capacity=person.weekly_capacity,
                booked=frozenset(booked[person.pk]),
                booked_per_day=dict(per_day[person.pk]),
                booked_per_week=dict(per_week[person.pk]),
                unavailable=closed,
                available_slots=_slots(person),
            )
        )
    return {p.pk: p for p in people}, speakers


def request_for(accompaniment, excluded=frozenset()):
    """The engine's `Request` for an accompaniment (the place: its hamlet, else the citizen's, else the commune);
    `excluded`: the ids of the people who declined it."""
    lat = lon = None
    for place in (accompaniment.hamlet, accompaniment.citizen.hamlet, accompaniment.commune):
        if place is not None and place.lat is not None and place.lon is not None:
            lat, lon = place.lat, place.lon
            break
    return matching.Request(
        id=accompaniment.pk,
        language=accompaniment.language,
        date=accompaniment.date,
        slots=accompaniment.slots,
        lat=lat,
        lon=lon,
        dialect=accompaniment.dialect,
        min_level=accompaniment.min_level,
        excluded=frozenset(excluded),
    )


@dataclass(frozen=True)
class Candidate:
    person: Person
    proposal: matching.Proposal


def proposals(accompaniment, limit=5):
    """The best speakers for one request, each with the engine's reasons, and the count of the others by reason."""
    people, speakers = speakers_for(
        accompaniment.commune, [accompaniment.date], exclude_request=accompaniment
    )
    declined = accompaniment.declined_by.values_list("pk", flat=True)
    found, excluded = matching.propose(request_for(accompaniment, declined), speakers, limit=limit)
    return [Candidate(people[p.speaker_id], p) for p in found], excluded


def score_for(accompaniment, person):
    """The engine's verdict on one pair: a Proposal, or an Exclusion saying why this person cannot go."""
    _people, speakers = speakers_for(
        accompaniment.commune, [accompaniment.date], exclude_request=accompaniment
    )
    speaker = next((s for s in speakers if s.id == person.pk), None)
    if speaker is None:
        return None
    declined = accompaniment.declined_by.values_list("pk", flat=True)
    return matching.score_pair(request_for(accompaniment, declined), speaker)


def week_requests(commune, monday):
    """Open requests of the commune for the week starting `monday` (Monday–Sunday)."""
    return list(
        Accompaniment.objects.open()
        .filter(commune=commune, date__gte=monday, date__lt=monday + timedelta(days=7))
        .select_related("hamlet", "citizen__hamlet", "commune")
        .prefetch_related("declined_by")
    )


def solve_week(commune, monday):
    """The optimal plan for the week's open requests (`matching.solve_week`), with greedy's for comparison."""
    accompaniments = week_requests(commune, monday)
    people, speakers = speakers_for(commune, [monday])
    requests = [request_for(a, (p.pk for p in a.declined_by.all())) for a in accompaniments]
    return {
        "accompaniments": {a.pk: a for a in accompaniments},
        "people": people,
        "optimal": matching.solve_week(requests, speakers),
        "greedy": matching.greedy_week(requests, speakers),
    }
