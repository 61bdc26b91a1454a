"""Distances from coordinates: great-circle kilometres, and the road minutes estimated from them.

The estimate (road km = great-circle km × road factor; minutes = road km at the average speed, rounded up) is an
approximation: see the package docstring. Measured figures, when the team has them, replace it (``Trip.minutes``,
``Trip.km``).
"""

from __future__ import annotations

import math

# Mean Earth radius (IUGG), km: the radius of the sphere that best fits the ellipsoid on average.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees, on a sphere of EARTH_RADIUS_KM.

    Within 0.5 % of the ellipsoidal distance, far below the error of treating the road as a straight line.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def road_km(great_circle_km: float, road_factor: float) -> float:
    """The road distance estimated from the straight one."""
    return great_circle_km * road_factor


def drive_minutes(km: float, speed_kmh: float) -> int:
    """Whole minutes to drive `km` at `speed_kmh`, rounded up (a leg of 0.1 minute still takes a minute; 0 km, 0).

    Rounded to a micro-minute first, so that 12.000000000001 minutes of floating-point noise count as 12.
    """
    return math.ceil(round(km / speed_kmh * 60, 6))
