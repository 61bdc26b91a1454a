"""What every planner starts from and ends with: the checked trip as matrices over nodes, the schedule of an order
(``schedule``), what an order costs (``objective``), why a stop is left out, and the ``RoutePlan`` of an order.

Nodes: 0 is the centre, 1…n the stops in the trip's order. ``minutes[i][j]`` and ``km[i][j]`` are the leg i → j.
An order is a sequence of stop nodes, each at most once; the schedule of an order is the earliest one (leave the
centre at the start of the day, wait only for a window to open), which is feasible exactly when some schedule of
that order is (travel times are fixed, so arriving earlier never hurts).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .geo import drive_minutes, haversine_km, road_km
from .model import (
    MINUTES_PER_DAY,
    LeftOut,
    Leg,
    Reason,
    RoutePlan,
    Stop,
    Trip,
    TripError,
    Visit,
    left_out_reason,
    problem,
)


@dataclass
class Instance:
    """A checked trip as numbers over nodes (0 the centre, i the i-th stop), and each stop's drop penalty."""

    trip: Trip
    stops: tuple[Stop, ...]
    minutes: list[list[int]]
    km: list[list[float]]
    service: list[int]  # node → service minutes (0 at the centre)
    earliest: list[int]  # node → first minute service may start (the day's start at the centre)
    latest: list[int]  # node → last minute service may start (the day's end at the centre)
    penalty: list[int]  # node → cost of leaving the stop out (0 at the centre)
    unit: int  # penalty of an optional stop of priority 1: more than any plan's travel minutes

    @property
    def n(self) -> int:
        return len(self.stops)

    @property
    def start(self) -> int:
        return self.trip.start_minute

    @property
    def end(self) -> int:
        return self.trip.end_minute

    @property
    def returns(self) -> bool:
        return self.trip.return_to_depot


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check(trip: Trip) -> None:
    """Raise TripError listing every problem of the trip (``PROBLEM_CODES``), or return."""
    found = []
    places = [trip.depot, *(s.place for s in trip.stops)]
    seen = set()
    for place in places:
        key = place.key
        if not isinstance(key, str) or not key:
            found.append(
                problem("key_invalid", f"place key {key!r} must be a non-empty string", key=str(key))
            )
        elif key in seen:
            found.append(problem("duplicate_key", f"place key {key!r} appears twice", key=key))
        seen.add(key)
        if not _is_number(place.lat) or not -90 <= place.lat <= 90:
            found.append(
                problem(
                    "latitude_out_of_range",
                    f"{key}: latitude {place.lat!r} not within -90..90",
                    key=str(key),
                    lat=str(place.lat),
                )
            )
        if not _is_number(place.lon) or not -180 <= place.lon <= 180:
            found.append(
                problem(
                    "longitude_out_of_range",
                    f"{key}: longitude {place.lon!r} not within -180..180",
                    key=str(key),
                    lon=str(place.lon),
                )
            )

    start, end = trip.start_minute, trip.end_minute
    day_ok = True
    for name in ("start_minute", "end_minute"):
        if not _is_int(getattr(trip, name)):
            found.append(
                problem("not_integer", f"trip {name} must be a whole number of minutes", key="", field=name)
            )
            day_ok = False
    if day_ok and not 0 <= start < end <= MINUTES_PER_DAY:
        found.append(
            problem(
                "day_invalid",
                f"the day must satisfy 0 <= start_minute < end_minute <= {MINUTES_PER_DAY}, got {start}..{end}",
                start_minute=start,
                end_minute=end,
            )
        )
        day_ok = False
    if not _is_number(trip.speed_kmh) or trip.speed_kmh <= 0:
        found.append(
            problem(
                "speed_invalid", f"speed_kmh {trip.speed_kmh!r} must be > 0", speed_kmh=str(trip.speed_kmh)
            )
        )
    if not _is_number(trip.road_factor) or trip.road_factor < 1:
        found.append(
            problem(
                "road_factor_invalid",
                f"road_factor {trip.road_factor!r} must be >= 1 (a road is never shorter than the straight line)",
                road_factor=str(trip.road_factor),
            )
        )

    for s in trip.stops:
        key = str(s.place.key)
        ints = True
        for name in ("window_start", "window_end", "service_minutes", "priority"):
            if not _is_int(getattr(s, name)):
                found.append(
                    problem("not_integer", f"{key}: {name} must be a whole number", key=key, field=name)
                )
                ints = False
        if not ints:
            continue
        if s.window_end < s.window_start:
            found.append(
                problem(
                    "window_invalid",
                    f"{key}: window ends ({s.window_end}) before it starts ({s.window_start})",
                    key=key,
                    window_start=s.window_start,
                    window_end=s.window_end,
                )
            )
        elif day_ok and not start <= s.window_start <= s.window_end <= end:
            found.append(
                problem(
                    "window_outside_day",
                    f"{key}: window {s.window_start}..{s.window_end} not inside the day {start}..{end}",
                    key=key,
                    window_start=s.window_start,
                    window_end=s.window_end,
                    start_minute=start,
                    end_minute=end,
                )
            )
        if s.service_minutes < 0:
            found.append(
                problem(
                    "service_negative",
                    f"{key}: service_minutes {s.service_minutes} must be >= 0",
                    key=key,
                    service_minutes=s.service_minutes,
                )
            )
        elif s.window_start <= s.window_end < s.window_start + s.service_minutes:
            found.append(
                problem(
                    "window_shorter_than_service",
                    f"{key}: the window lasts {s.window_end - s.window_start} min, service {s.service_minutes} min",
                    key=key,
                    window_minutes=s.window_end - s.window_start,
                    service_minutes=s.service_minutes,
                )
            )
        if s.priority < 1:
            found.append(
                problem(
                    "priority_invalid",
                    f"{key}: priority {s.priority} must be >= 1",
                    key=key,
                    priority=s.priority,
                )
            )

    keys = {p.key for p in places}
    for name, table in (("minutes", trip.minutes), ("km", trip.km)):
        for pair, value in (table or {}).items():
            a, b = pair if isinstance(pair, tuple) and len(pair) == 2 else (pair, None)
            if a not in keys or b not in keys or a == b:
                found.append(
                    problem(
                        "matrix_pair_invalid",
                        f"{name}[{a!r}, {b!r}]: not a pair of two places of the trip",
                        matrix=name,
                        from_key=str(a),
                        to_key=str(b),
                    )
                )
            elif not _is_number(value) or value < 0 or (name == "minutes" and not _is_int(value)):
                found.append(
                    problem(
                        "matrix_value_invalid",
                        f"{name}[{a!r}, {b!r}] = {value!r}: must be a non-negative"
                        + (" whole number" if name == "minutes" else " number"),
                        matrix=name,
                        from_key=a,
                        to_key=b,
                        value=str(value),
                    )
                )
    if found:
        raise TripError(found)


def _given(table, a, b):
    """The measured figure for a → b: given that way, else given the other way, else None."""
    if not table:
        return None
    if (a, b) in table:
        return table[a, b]
    return table.get((b, a))


def prepare(trip: Trip) -> Instance:
    """Check the trip (TripError) and compute its matrices and penalties.

    km[i][j]: the measured km when given (``Trip.km``), else great-circle × road_factor. minutes[i][j]: the
    measured minutes when given (``Trip.minutes``), else km[i][j] at speed_kmh, rounded up.

    Penalties: an optional stop costs priority × unit, unit = day length + 1 minute, more than any plan's travel
    (the whole trip fits in the day); a required stop costs (Σ optional priorities + 1) × unit, more than every
    optional stop and any travel together. So the objective ranks plans by required stops visited, then by the
    priorities of the optional stops visited, then by travel minutes.
    """
    check(trip)
    places = [trip.depot, *(s.place for s in trip.stops)]
    size = len(places)
    km = [[0.0] * size for _ in range(size)]
    minutes = [[0] * size for _ in range(size)]
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            if i == j:
                continue
            measured_km = _given(trip.km, a.key, b.key)
            if measured_km is None:
                great_circle = haversine_km(float(a.lat), float(a.lon), float(b.lat), float(b.lon))
                km[i][j] = road_km(great_circle, float(trip.road_factor))
            else:
                km[i][j] = float(measured_km)
            measured = _given(trip.minutes, a.key, b.key)
            minutes[i][j] = drive_minutes(km[i][j], float(trip.speed_kmh)) if measured is None else measured
    unit = trip.day_minutes + 1
    optional = sum(s.priority for s in trip.stops if not s.required)
    return Instance(
        trip=trip,
        stops=trip.stops,
        minutes=minutes,
        km=km,
        service=[0, *(s.service_minutes for s in trip.stops)],
        earliest=[trip.start_minute, *(s.window_start for s in trip.stops)],
        latest=[trip.end_minute, *(s.latest_start for s in trip.stops)],
        penalty=[0, *((optional + 1) * unit if s.required else s.priority * unit for s in trip.stops)],
        unit=unit,
    )


def schedule(inst: Instance, order: Sequence[int]) -> tuple[list[tuple[int, int, int]], int] | None:
    """The earliest schedule of `order`: ([(arrival, start, departure) per stop], finish), or None if infeasible.

    finish is the return to the centre with ``return_to_depot``, else the last departure (the start of the day when
    the order is empty and there is no return). Infeasible: service cannot start by a stop's latest start, or the
    trip does not finish by the end of the day.
    """
    now, previous, rows = inst.start, 0, []
    for node in order:
        arrival = now + inst.minutes[previous][node]
        start = max(arrival, inst.earliest[node])
        if start > inst.latest[node]:
            return None
        now = start + inst.service[node]
        rows.append((arrival, start, now))
        previous = node
    finish = now + inst.minutes[previous][0] if inst.returns else now
    if finish > inst.end:
        return None
    return rows, finish


def travel(inst: Instance, order: Sequence[int]) -> int:
    """Travel minutes of an order: every leg, the return to the centre included when the trip returns."""
    nodes = [0, *order, 0] if inst.returns and order else [0, *order]
    return sum(inst.minutes[a][b] for a, b in itertools.pairwise(nodes))


def objective(inst: Instance, order: Sequence[int]) -> int:
    """What the planners minimise: travel minutes + the penalties of the stops not in `order`."""
    visited = set(order)
    return travel(inst, order) + sum(inst.penalty[i] for i in range(1, inst.n + 1) if i not in visited)


def check_order(inst: Instance, order: Sequence[int]) -> None:
    """Raise AssertionError if an order is not a feasible plan (a programming error in a planner)."""
    assert len(set(order)) == len(order), order
    assert all(1 <= node <= inst.n for node in order), order
    assert schedule(inst, order) is not None, order


def left_out(inst: Instance, node: int) -> Reason:
    """Why stop `node` cannot be or was not visited (``LEFT_OUT_CODES``), from the stop alone first."""
    arrival = inst.start + inst.minutes[0][node]
    if arrival > inst.latest[node]:
        return left_out_reason(
            "window_closed_before_reach", earliest_arrival=arrival, latest_start=inst.latest[node]
        )
    departure = max(arrival, inst.earliest[node]) + inst.service[node]
    if inst.returns and departure + inst.minutes[node][0] > inst.end:
        return left_out_reason(
            "day_too_short", earliest_return=departure + inst.minutes[node][0], end_minute=inst.end
        )
    return left_out_reason("not_fitted")


def fits_alone(inst: Instance, node: int) -> bool:
    """Whether the stop can be visited on a trip of its own."""
    return schedule(inst, [node]) is not None


def result(
    inst: Instance,
    order: Iterable[int],
    *,
    method: str,
    proven_optimal: bool,
    seconds: float,
    stats: dict,
) -> RoutePlan:
    """The RoutePlan of a feasible order (the earliest schedule; reasons for the stops left out)."""
    order = list(order)
    timing = schedule(inst, order)
    if timing is None:
        raise AssertionError(f"infeasible order {order}")
    rows, finish = timing
    visits = []
    previous = 0
    total_km = 0.0
    for node, (arrival, start, departure) in zip(order, rows, strict=True):
        stop = inst.stops[node - 1]
        total_km += inst.km[previous][node]
        visits.append(
            Visit(
                key=stop.key,
                name=stop.place.name,
                arrival=arrival,
                start=start,
                departure=departure,
                wait=start - arrival,
                km=round(inst.km[previous][node], 2),
                minutes=inst.minutes[previous][node],
                service_minutes=stop.service_minutes,
                window_start=stop.window_start,
                window_end=stop.window_end,
                required=stop.required,
            )
        )
        previous = node
    return_leg = None
    if inst.returns and order:
        total_km += inst.km[previous][0]
        return_leg = Leg(
            inst.stops[previous - 1].key,
            inst.trip.depot.key,
            round(inst.km[previous][0], 2),
            inst.minutes[previous][0],
        )
    visited = set(order)
    missing = tuple(
        LeftOut(
            key=s.key,
            name=s.place.name,
            reason=left_out(inst, i),
            required=s.required,
            priority=s.priority,
        )
        for i, s in enumerate(inst.stops, start=1)
        if i not in visited
    )
    minutes = travel(inst, order)
    value = objective(inst, order)
    return RoutePlan(
        visits=tuple(visits),
        left_out=missing,
        depart_minute=inst.start,
        return_leg=return_leg,
        return_minute=finish if inst.returns else None,
        finish_minute=finish,
        total_km=round(total_km, 2),
        travel_minutes=minutes,
        waiting_minutes=sum(v.wait for v in visits),
        service_minutes=sum(v.service_minutes for v in visits),
        penalty=value - minutes,
        objective=value,
        method=method,
        proven_optimal=proven_optimal,
        seconds=seconds,
        depot_key=inst.trip.depot.key,
        stats={"stops": inst.n, **stats},
    )
