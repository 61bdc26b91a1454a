"""The mobile team's trip planner (civicdesk.mobile.routing): hand-checked trips, time windows, stops left out and
why, the return to the centre, measured minutes, input checks, and OR-Tools' plan checked against a brute force over
every order on small random trips. Pure Python, no database.
"""

import itertools
import json
import math
import random
from decimal import Decimal

import pytest

from civicdesk.mobile.routing import (
    LEFT_OUT_CODES,
    PROBLEM_CODES,
    Place,
    Stop,
    Trip,
    TripError,
    clock,
    exact_plan,
    greedy_plan,
    haversine_km,
    plan,
)

pytestmark = pytest.mark.clock_free  # reads no clock and no date: CI's frozen-date runs skip it (.ci/run)

# Cát Tiên 3's commune centre (illustrative coordinates) and the day: leave at 07:30, back by 17:00.
CENTRE = Place("ubnd", "UBND xã Cát Tiên 3", 11.60, 107.40)
START, END = 7 * 60 + 30, 17 * 60
KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along a meridian


def hamlet(key, lat=11.60, lon=107.40):
    return Place(key, f"Thôn {key}", lat, lon)


def stop(place, window=(START, END), service=30, **kw):
    return Stop(place, window[0], window[1], service, **kw)


def trip(stops, **kw):
    return Trip(CENTRE, stops, kw.pop("start", START), kw.pop("end", END), **kw)


def matrix_trip(legs, stops, **kw):
    """A trip whose every leg is measured: `legs` maps (a, b) to minutes, both ways. All places sit on the centre,
    so no estimate could stand in for a missing leg without showing (it would be 0)."""
    return trip(stops, minutes=legs, **kw)


# --- The rules, written out independently of the engine ------------------------------------------------------------


def leg_minutes(t, a, b):
    if a.key == b.key:
        return 0
    for pair in ((a.key, b.key), (b.key, a.key)):
        if t.minutes and pair in t.minutes:
            return t.minutes[pair]
    km = haversine_km(a.lat, a.lon, b.lat, b.lon) * t.road_factor
    return math.ceil(round(km / t.speed_kmh * 60, 6))


def timeline(t, stops):
    """(rows of (arrival, start, departure), finish, travel) of visiting `stops` in order, or None if a rule breaks."""
    now, here, travel, rows = t.start_minute, t.depot, 0, []
    for s in stops:
        drive = leg_minutes(t, here, s.place)
        travel += drive
        begin = max(now + drive, s.window_start)
        if begin + s.service_minutes > s.window_end:
            return None
        rows.append((now + drive, begin, begin + s.service_minutes))
        now, here = begin + s.service_minutes, s.place
    if t.return_to_depot and stops:
        back = leg_minutes(t, here, t.depot)
        travel += back
        now += back
    if now > t.end_minute:
        return None
    return rows, now, travel


def rank(stops, travel):
    """Plans compare by required stops visited, then priorities visited, then travel (smaller is better)."""
    return (-sum(s.required for s in stops), -sum(s.priority for s in stops if not s.required), travel)


def brute_force(t):
    best = (rank((), 0), ())
    for k in range(1, len(t.stops) + 1):
        for order in itertools.permutations(t.stops, k):
            found = timeline(t, order)
            if found is not None:
                best = min(best, (rank(order, found[2]), tuple(s.key for s in order)))
    return best


def check(result, t):
    """The plan keeps every rule and its figures add up."""
    by_key = {s.key: s for s in t.stops}
    visited = [by_key[k] for k in result.order]
    assert len(set(result.order)) == len(result.order)
    found = timeline(t, visited)
    assert found is not None, result.order
    rows, finish, travel = found
    assert [(v.arrival, v.start, v.departure) for v in result.visits] == rows
    assert [v.wait for v in result.visits] == [start - arrival for arrival, start, _ in rows]
    assert result.travel_minutes == travel == sum(leg.minutes for leg in result.legs)
    assert result.finish_minute == finish <= t.end_minute
    assert result.return_minute == (finish if t.return_to_depot else None)
    assert result.waiting_minutes == sum(v.wait for v in result.visits)
    assert result.total_km == pytest.approx(
        sum(leg.km for leg in result.legs), abs=0.005 * (len(result.legs) + 1)
    )
    assert {x.key for x in result.left_out} == set(by_key) - set(result.order)
    assert all(x.reason.code in LEFT_OUT_CODES for x in result.left_out)
    assert result.depart_minute == t.start_minute
    return rank(visited, travel)


# --- Hand-checked trips ---------------------------------------------------------------------------------------------


def test_a_line_of_hamlets_to_the_minute():
    # Three hamlets due north of the centre, 0.04° of latitude apart: 0.04 × 111.195 = 4.448 km straight,
    # × 1.4 = 6.227 km of road, at 30 km/h 12.45 → 13 minutes; 0.12° (the farthest, back to the centre) is
    # 18.681 km → 37.36 → 38 minutes. Thôn 1 gathers people until 09:00, Thôn 2 until 11:00, Thôn 3 from 10:00:
    # northwards it is, waiting 51 minutes at Thôn 3 (going 1, 3, 2 would miss Thôn 2's window).
    t1, t2, t3 = (hamlet(f"t{i}", 11.60 + 0.04 * i) for i in (1, 2, 3))
    t = trip(
        [stop(t3, (600, 720)), stop(t1, (START, 540)), stop(t2, (480, 660))]
    )  # input order does not matter
    assert haversine_km(11.60, 107.40, 11.64, 107.40) == pytest.approx(0.04 * KM_PER_DEGREE, rel=1e-12)
    for result in (plan(t), exact_plan(t)):
        check(result, t)
        assert result.order == ("t1", "t2", "t3")
        assert [(v.arrival, v.start, v.departure, v.wait, v.minutes) for v in result.visits] == [
            (463, 463, 493, 0, 13),  # 07:43
            (506, 506, 536, 0, 13),
            (549, 600, 630, 51, 13),
        ]
        assert result.return_leg.minutes == 38
        assert result.return_minute == 668
        assert clock(result.return_minute) == "11:08"
        assert result.travel_minutes == 77
        assert result.waiting_minutes == 51
        assert result.service_minutes == 90
        assert result.total_km == pytest.approx(0.24 * KM_PER_DEGREE * 1.4, abs=0.01)  # 37.36 km out and back
        assert result.visits[0].km == pytest.approx(0.04 * KM_PER_DEGREE * 1.4, abs=0.005)
        assert result.left_out == ()
        assert result.penalty == 0 and result.objective == 77
        assert result.proven_optimal
    result = plan(t)
    assert result.method == "routing"
    assert [(leg.from_key, leg.to_key) for leg in result.legs] == [
        ("ubnd", "t1"),
        ("t1", "t2"),
        ("t2", "t3"),
        ("t3", "ubnd"),
    ]


def test_speed_and_road_factor_change_the_minutes():
    t1 = hamlet("t1", 11.64)  # 4.448 km straight
    result = plan(trip([stop(t1)], speed_kmh=60, road_factor=1.0))
    assert [v.minutes for v in result.visits] == [5]  # 4.45 minutes, rounded up
    assert result.total_km == pytest.approx(0.08 * KM_PER_DEGREE, abs=0.01)


def test_time_windows_force_an_order_the_soonest_first_habit_misses():
    # A is 10 minutes from the centre, B 30; A–B 30. B gathers people 08:10–08:40 (service 15: start by 08:25).
    # Soonest first (the by-hand habit): A (07:40–08:00), then B at 08:30, too late. The plan drives to B first, waits 10 minutes
    # for 08:10, then serves A and is back at 09:25.
    a, b = hamlet("a"), hamlet("b")
    legs = {("ubnd", "a"): 10, ("ubnd", "b"): 30, ("a", "b"): 30}
    t = matrix_trip(legs, [stop(a, service=20), stop(b, (490, 520), service=15)])
    result = plan(t)
    check(result, t)
    assert result.order == ("b", "a")
    assert [(v.arrival, v.start, v.departure, v.wait) for v in result.visits] == [
        (480, 490, 505, 10),
        (535, 535, 555, 0),
    ]
    assert (result.return_minute, result.travel_minutes, result.waiting_minutes) == (565, 70, 10)
    assert result.left_out == ()
    assert result.stats["greedy_objective"] > result.objective

    greedy = greedy_plan(t)
    check(greedy, t)
    assert greedy.order == ("a",)
    assert greedy.method == "greedy" and not greedy.proven_optimal
    assert [x.as_dict() for x in greedy.left_out] == [
        {"key": "b", "name": "Thôn b", "required": False, "priority": 1, "code": "not_fitted", "params": {}}
    ]


def test_a_window_that_cannot_be_reached_leaves_that_stop_out_and_the_rest_planned():
    # far is 60 minutes away but gathers people 07:30–08:00: even going there first the team arrives at 08:30,
    # after 07:50, the last start for 10 minutes of service. late gathers 16:00–17:00 for 30 minutes, 40 minutes
    # from the centre: served at the earliest 16:00–16:30, back 17:10 > 17:00.
    near, far, late = hamlet("near"), hamlet("far"), hamlet("late")
    legs = {
        ("ubnd", "near"): 15,
        ("ubnd", "far"): 60,
        ("ubnd", "late"): 40,
        ("near", "far"): 50,
        ("near", "late"): 30,
        ("far", "late"): 30,
    }
    t = matrix_trip(legs, [stop(far, (450, 480), service=10), stop(near), stop(late, (960, 1020))])
    for result in (plan(t), greedy_plan(t), exact_plan(t)):
        check(result, t)
        assert result.order == ("near",)
        assert (result.visits[0].arrival, result.return_minute) == (465, 510)
        reasons = {x.key: x.reason.as_dict() for x in result.left_out}
        assert reasons == {
            "far": {
                "code": "window_closed_before_reach",
                "params": {"earliest_arrival": 510, "latest_start": 470},
            },
            "late": {"code": "day_too_short", "params": {"earliest_return": 1030, "end_minute": 1020}},
        }
        assert result.penalty == 2 * (END - START + 1)


def test_the_return_to_the_centre_is_respected():
    # out is 40 minutes away and gathers people 15:30–16:40 (service 60). Back to the centre: at the earliest
    # 16:30 + 40 = 17:10, too late; a trip that ends there (the team stays overnight) can serve it.
    out = hamlet("out")
    t = matrix_trip({("ubnd", "out"): 40}, [stop(out, (930, 1000), service=60)])
    back = plan(t)
    check(back, t)
    assert back.order == ()
    assert back.left_out[0].reason.as_dict() == {
        "code": "day_too_short",
        "params": {"earliest_return": 1030, "end_minute": 1020},
    }
    assert (back.return_minute, back.finish_minute, back.travel_minutes, back.return_leg) == (
        450,
        450,
        0,
        None,
    )

    one_way = matrix_trip({("ubnd", "out"): 40}, [stop(out, (930, 1000), service=60)], return_to_depot=False)
    result = plan(one_way)
    check(result, one_way)
    assert result.order == ("out",)
    assert (result.visits[0].arrival, result.visits[0].start, result.finish_minute) == (490, 930, 990)
    assert (result.return_minute, result.return_leg, result.travel_minutes) == (None, None, 40)


def test_the_return_decides_which_of_two_stops_fits():
    # Each of x and y can be served alone, but not both and be back by 17:00: the plan keeps the one of higher
    # priority and says the other did not fit.
    x, y = hamlet("x"), hamlet("y")
    legs = {("ubnd", "x"): 60, ("ubnd", "y"): 60, ("x", "y"): 60}
    stops = [stop(x, (800, 1020), service=60), stop(y, (800, 1020), service=60, priority=2)]
    t = matrix_trip(legs, stops)
    result = plan(t)
    check(result, t)
    assert result.order == ("y",)
    assert [(v.start, v.departure) for v in result.visits] == [(800, 860)]
    assert result.return_minute == 920
    assert [(x.key, x.reason.code) for x in result.left_out] == [("x", "not_fitted")]


def test_a_required_stop_outweighs_every_optional_one():
    # r is required and gathers people 08:00–09:00 for the whole hour, 30 minutes north; a and b, 30 minutes
    # south, gather 08:00–09:00 for 20 minutes each. Serving r leaves no time for a or b.
    r, a, b = hamlet("r"), hamlet("a"), hamlet("b")
    legs = {
        ("ubnd", "r"): 30,
        ("ubnd", "a"): 30,
        ("ubnd", "b"): 30,
        ("a", "b"): 5,
        ("r", "a"): 60,
        ("r", "b"): 60,
    }
    optional = [stop(a, (480, 540), service=20), stop(b, (480, 540), service=20)]
    t = matrix_trip(legs, [stop(r, (480, 540), service=60, required=True), *optional])
    result = plan(t)
    check(result, t)
    assert result.order == ("r",)
    assert {x.key for x in result.left_out} == {"a", "b"}
    assert result.required_left_out == ()

    t = matrix_trip(legs, [stop(r, (480, 540), service=60, priority=1), *optional])
    result = plan(t)
    check(result, t)
    assert result.order in {("a", "b"), ("b", "a")}
    assert [x.key for x in result.left_out] == ["r"]

    t = matrix_trip(legs, [stop(r, (480, 540), service=60, priority=3), *optional])
    assert plan(t).order == ("r",)  # priority 3 outweighs two stops of priority 1


def test_measured_minutes_and_km_replace_the_estimate():
    # The line of hamlets, ending at the farthest one (no return). From the coordinates: t1, t2, t3 in 13 + 13 +
    # 13 = 39 minutes. The team knows a new road from the centre to t3: 5 minutes, 4.2 km. Then t3, t2, t1 in
    # 5 + 13 + 13 = 31.
    t1, t2, t3 = (hamlet(f"t{i}", 11.60 + 0.04 * i) for i in (1, 2, 3))
    stops = [stop(t1), stop(t2), stop(t3)]
    estimated = plan(trip(stops, return_to_depot=False))
    assert estimated.order == ("t1", "t2", "t3")
    assert estimated.travel_minutes == 39

    measured = trip(stops, return_to_depot=False, minutes={("ubnd", "t3"): 5}, km={("ubnd", "t3"): 4.2})
    result = plan(measured)
    check(result, measured)
    assert result.order == ("t3", "t2", "t1")
    assert (result.visits[0].minutes, result.visits[0].km) == (5, 4.2)
    assert result.travel_minutes == 31

    # Given both ways, each way counts: the new road is one-way uphill from t3.
    one_way = trip(
        stops,
        return_to_depot=False,
        minutes={("ubnd", "t3"): 60, ("t3", "ubnd"): 5},
        km={("ubnd", "t3"): 4.2},
    )
    result = plan(one_way)
    check(result, one_way)
    assert result.order == ("t1", "t2", "t3")


def test_nothing_to_visit():
    result = plan(trip([]))
    assert (result.order, result.left_out, result.objective, result.return_minute) == ((), (), 0, START)
    assert result.proven_optimal


def test_the_plan_is_json_ready():
    t = trip(
        [stop(hamlet("t1", Decimal("11.64"), Decimal("107.41")))]
    )  # DecimalField values pass as they are
    data = plan(t).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["order"] == ["t1"] and data["visits"][0]["key"] == "t1"


# --- OR-Tools against a brute force over every order ----------------------------------------------------------------


def random_trip(rng, n=6):
    """A day around Cát Tiên: hamlets within ~10 km, windows of 1–4 hours (some tight), some required, and
    sometimes no return or a measured (asymmetric, not even metric) table of minutes."""
    places = [
        Place(f"h{i}", f"Thôn {i}", rng.uniform(11.56, 11.75), rng.uniform(107.30, 107.50)) for i in range(n)
    ]
    stops = []
    for p in places:
        service = rng.choice([15, 20, 30, 45, 60])
        opens = rng.randrange(START, END - service, 15)
        closes = min(END, opens + max(service, rng.choice([30, 60, 120, 240, 600])))
        stops.append(
            Stop(p, opens, closes, service, priority=rng.choice([1, 1, 1, 2]), required=rng.random() < 0.15)
        )
    kw = {"return_to_depot": rng.random() < 0.8, "speed_kmh": rng.choice([20, 30, 40])}
    if rng.random() < 0.3:
        keys = ["ubnd", *(p.key for p in places)]
        kw["minutes"] = {(a, b): rng.randint(5, 90) for a in keys for b in keys if a != b}
    return trip(stops, **kw)


def test_routing_finds_the_optimum_of_small_trips():
    rng = random.Random(18)
    left_out = 0
    for _ in range(30):
        t = random_trip(rng)
        best, _order = brute_force(t)
        result = plan(t)
        assert check(result, t) == best, t
        assert result.method == "routing" and result.proven_optimal  # OR-Tools reached the optimum itself
        assert result.stats["routing_objective"] == result.stats["exact_objective"] == result.objective
        assert check(exact_plan(t), t) == best
        greedy = greedy_plan(t)
        assert check(greedy, t) >= best
        assert greedy.objective >= result.objective
        left_out += len(result.left_out)
    assert left_out > 10  # the windows do bite


def test_routing_alone_finds_the_optimum_without_the_exhaustive_search():
    rng = random.Random(1818)
    for _ in range(6):
        t = random_trip(rng)
        result = plan(t, prove_up_to=0, time_limit=0.2)
        assert check(result, t) == brute_force(t)[0]
        assert result.method == "routing" and not result.proven_optimal
        assert "exact_objective" not in result.stats


def test_a_larger_trip_keeps_the_rules_and_the_time_limit():
    rng = random.Random(7)
    t = random_trip(rng, n=14)
    result = plan(t, time_limit=0.3)
    check(result, t)
    assert result.seconds < 1.0
    assert not result.proven_optimal
    assert result.objective <= greedy_plan(t).objective
    with pytest.raises(ValueError, match="at most 8 stops"):
        exact_plan(t)


# --- Input checks ---------------------------------------------------------------------------------------------------


def problems(t):
    with pytest.raises(TripError) as caught:
        plan(t)
    assert isinstance(caught.value, ValueError)
    assert all(
        p.code in PROBLEM_CODES and set(p.params) == set(PROBLEM_CODES[p.code]) for p in caught.value.problems
    )
    return [(p.code, p.params) for p in caught.value.problems]


def test_coordinates_keys_and_the_day_are_checked():
    bad = [
        stop(Place("t1", "Thôn 1", 91.0, 107.4)),
        stop(Place("t2", "Thôn 2", 11.6, -181)),
        stop(Place("t1", "Thôn 1 bis", 11.6, 107.4)),
        stop(Place("ubnd", "again", float("nan"), 107.4)),
    ]
    assert problems(trip(bad)) == [
        ("latitude_out_of_range", {"key": "t1", "lat": "91.0"}),
        ("longitude_out_of_range", {"key": "t2", "lon": "-181"}),
        ("duplicate_key", {"key": "t1"}),
        ("duplicate_key", {"key": "ubnd"}),
        ("latitude_out_of_range", {"key": "ubnd", "lat": "nan"}),
    ]
    assert problems(trip([], start=1020, end=450)) == [
        ("day_invalid", {"start_minute": 1020, "end_minute": 450})
    ]
    assert problems(trip([], start=450.5)) == [("not_integer", {"key": "", "field": "start_minute"})]
    assert [code for code, _ in problems(trip([], speed_kmh=0, road_factor=0.9))] == [
        "speed_invalid",
        "road_factor_invalid",
    ]


def test_windows_and_service_are_checked():
    t = trip(
        [
            stop(hamlet("a"), (600, 540)),
            stop(hamlet("b"), (420, 600)),  # opens before the team leaves
            stop(hamlet("c"), (600, 1080)),  # closes after the team is due back
            stop(hamlet("d"), service=-5),
            stop(hamlet("e"), (600, 620), service=30),
            stop(hamlet("f"), priority=0),
            stop(hamlet("g"), (600.0, 700)),
        ]
    )
    assert problems(t) == [
        ("window_invalid", {"key": "a", "window_start": 600, "window_end": 540}),
        (
            "window_outside_day",
            {"key": "b", "window_start": 420, "window_end": 600, "start_minute": 450, "end_minute": 1020},
        ),
        (
            "window_outside_day",
            {"key": "c", "window_start": 600, "window_end": 1080, "start_minute": 450, "end_minute": 1020},
        ),
        ("service_negative", {"key": "d", "service_minutes": -5}),
        ("window_shorter_than_service", {"key": "e", "window_minutes": 20, "service_minutes": 30}),
        ("priority_invalid", {"key": "f", "priority": 0}),
        ("not_integer", {"key": "g", "field": "window_start"}),
    ]


def test_measured_figures_are_checked():
    t = trip(
        [stop(hamlet("a"))],
        minutes={("ubnd", "zz"): 5, ("a", "a"): 1, ("ubnd", "a"): -1, ("a", "ubnd"): 2.5},
        km={("ubnd", "a"): float("inf")},
    )
    assert problems(t) == [
        ("matrix_pair_invalid", {"matrix": "minutes", "from_key": "ubnd", "to_key": "zz"}),
        ("matrix_pair_invalid", {"matrix": "minutes", "from_key": "a", "to_key": "a"}),
        ("matrix_value_invalid", {"matrix": "minutes", "from_key": "ubnd", "to_key": "a", "value": "-1"}),
        ("matrix_value_invalid", {"matrix": "minutes", "from_key": "a", "to_key": "ubnd", "value": "2.5"}),
        ("matrix_value_invalid", {"matrix": "km", "from_key": "ubnd", "to_key": "a", "value": "inf"}),
    ]
    with pytest.raises(ValueError, match="time_limit"):
        plan(trip([]), time_limit=0)
