"""The route of the mobile team's trip: which hamlets, in which order, at what times (issue 18, Cát Tiên 3).

Pure Python and OR-Tools; no Django, so the benchmark runs it alone. The application builds a ``Trip`` from the
commune centre (``Place``), the hamlets to visit (``Stop``: where, the window when its people are gathered at the
cultural house, minutes spent there, priority or required) and the day (leave at 07:30, back by 17:00, as minutes
after midnight), calls ``plan(trip)``, and renders the reason and problem codes in the reader's language.

The model
---------
One vehicle leaves the centre at ``start_minute`` and, with ``return_to_depot``, is back by ``end_minute``. At a
stop, service starts inside its window (arriving early, the team waits) and ends by the window's end. Every stop
is optional with a penalty, so a stop that cannot fit is left out and the rest is still planned. The objective,
minimised, is travel minutes + the penalties of the stops left out. An optional stop costs priority × (day length
+ 1 minute), more than all the travel of any plan (which fits in the day); a required stop costs more than every
optional stop and all travel together. So plans are ranked by required stops visited, then by the priorities of
the optional stops visited, then by travel minutes; waiting is not minimised (the team leaves at the start of the
day and waits where a window is not open yet).

Travel times
------------
From the coordinates: the great-circle (haversine) distance on a sphere of radius 6371.0088 km, × ``road_factor``
(default 1.4), driven at ``speed_kmh`` (default 30 km/h), rounded up to a whole minute per leg. This is an
approximation. Roads wind around hills, streams and plantations, so the road is longer than the straight line: the
ratio of road to straight-line distance of a road network is commonly put between about 1.2 and 1.5, higher where
the network is sparse; 1.4 leans to the high side for the rural hills around Cát Tiên. 30 km/h is an average for a
motorbike or a car on commune roads with slopes and unpaved stretches, stops at crossings included. Neither knows a
given road (a ferry, a washed-out bridge, a road closed in the rainy season): when the team knows the real figure
of a leg, it passes it (``Trip.minutes`` in road minutes, ``Trip.km`` in road km, by pair of place keys), and it
replaces the estimate for that leg.

Entry points
------------
* ``plan(trip, time_limit=2.0, prove_up_to=8)`` → ``RoutePlan`` with OR-Tools' routing solver (``solver``):
  PATH_CHEAPEST_ARC then guided local search within the time limit. For trips of at most `prove_up_to` stops, an
  exhaustive search (``exact``: a dynamic programme over subsets and orders) runs first; the plan is then
  ``proven_optimal`` and the routing search stops as soon as it reaches that optimum. Never worse than the greedy
  baseline.
* ``greedy_plan(trip)`` → ``RoutePlan``: the by-hand baseline (``greedy``): next, the stop where service can start soonest.
* ``exact_plan(trip)`` → ``RoutePlan``: the exhaustive search alone (method "exact", proven optimal; for few stops).

Each stop left out carries a ``Reason`` (``LEFT_OUT_CODES``): "window_closed_before_reach" (even driving there
first, service cannot start in its window), "day_too_short" (even alone, the team cannot be back at the centre by
the end of the day), "not_fitted" (it fits alone, not with the others). An invalid trip raises ``TripError`` (a
ValueError) listing every ``Problem`` (``PROBLEM_CODES``): coordinates out of range, windows outside the day or
shorter than the service, negative service, duplicate keys, a bad speed, road factor or measured figure.
"""

from .exact import EXACT_MAX_STOPS, exact_plan
from .geo import EARTH_RADIUS_KM, drive_minutes, haversine_km
from .greedy import greedy_plan
from .model import (
    DEFAULT_ROAD_FACTOR,
    DEFAULT_SPEED_KMH,
    LEFT_OUT_CODES,
    PROBLEM_CODES,
    LeftOut,
    Leg,
    Place,
    Problem,
    Reason,
    RoutePlan,
    Stop,
    Trip,
    TripError,
    Visit,
    clock,
)
from .solver import plan

__all__ = [
    "DEFAULT_ROAD_FACTOR",
    "DEFAULT_SPEED_KMH",
    "EARTH_RADIUS_KM",
    "EXACT_MAX_STOPS",
    "LEFT_OUT_CODES",
    "PROBLEM_CODES",
    "LeftOut",
    "Leg",
    "Place",
    "Problem",
    "Reason",
    "RoutePlan",
    "Stop",
    "Trip",
    "TripError",
    "Visit",
    "clock",
    "drive_minutes",
    "exact_plan",
    "greedy_plan",
    "haversine_km",
    "plan",
]
