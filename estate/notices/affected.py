"""Which planned interruptions reach a building: at the top of the resident's home page, and
beside a caller's unit at the desk, so the desk can say at once that the water is off."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F

from estate.notices.models import Interruption

# The desk warns of what is under way or starts within this: what a caller may be ringing about.
DESK_HORIZON = timedelta(days=2)


def for_resident(office_id: int, building_ids: Iterable[int], now: datetime) -> list[Interruption]:
    """In progress or to come, not cancelled, of the whole site or of the person's buildings."""
    return list(
        Interruption.objects.in_office(office_id)
        .live(now)
        .affecting(list(building_ids))
        .prefetch_related("buildings")
        .order_by("starts_at", "id")
    )


def by_building(
    units: Iterable[Any], now: datetime, within: timedelta = DESK_HORIZON
) -> dict[int, list[Interruption]]:
    """building id → the interruptions under way or starting within ``within`` that reach it,
    for the buildings of ``units``: one query (a row per interruption and building chosen, or
    one with none for the whole site), as the look-up runs at every key the desk types."""
    units = list(units)
    if not units:
        return {}
    rows = (
        Interruption.objects.filter(office_id__in={u.office_id for u in units})
        .live(now)
        .filter(starts_at__lte=now + within)
        .annotate(building_id=F("buildings"))
        .order_by("starts_at", "id")
    )
    reach: dict[int, list[Interruption]] = {}
    for row in rows:
        for unit in units:
            affected = row.building_id is None or row.building_id == unit.building_id
            if unit.office_id == row.office_id and affected:
                found = reach.setdefault(unit.building_id, [])
                if all(seen.pk != row.pk for seen in found):
                    found.append(row)
    return reach
