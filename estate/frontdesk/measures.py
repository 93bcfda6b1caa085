"""Front-desk figures, aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from estate.frontdesk.choices import THREE_RINGS_SECONDS
from estate.frontdesk.models import CallRecord


@dataclass(frozen=True)
class RingRate:
    calls: int
    within_three_rings: int

    @property
    def percent(self) -> float | None:
        return None if self.calls == 0 else round(100 * self.within_three_rings / self.calls, 1)


def three_ring_rate(
    office_ids: list[int] | frozenset[int], start: datetime, end: datetime
) -> RingRate:
    """Share of calls answered within three rings (15 s); unanswered calls count as missed."""
    figures = CallRecord.objects.filter(
        office_id__in=office_ids, rang_at__gte=start, rang_at__lt=end
    ).aggregate(
        calls=Count("id"),
        quick=Count("id", filter=Q(answered=True, ring_seconds__lte=THREE_RINGS_SECONDS)),
    )
    return RingRate(calls=figures["calls"], within_three_rings=figures["quick"])
