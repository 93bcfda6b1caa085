"""Distances on the earth between a phone and a check point (haversine, on a sphere: metres
of error over the few hundred metres of a site, well under a phone's own accuracy)."""

from __future__ import annotations

from decimal import Decimal
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def distance_m(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> int:
    """The great-circle distance between two points, in whole metres (rounded)."""
    phi1, phi2 = radians(float(lat1)), radians(float(lat2))
    d_phi, d_lambda = phi2 - phi1, radians(float(lon2) - float(lon1))
    h = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(h))))
