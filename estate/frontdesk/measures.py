"""Front-desk figures, aggregated in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from estate.core.buckets import Bounds, bucketed
from estate.frontdesk.choices import THREE_RINGS_SECONDS
from estate.frontdesk.models import CallRecord


@dataclass(frozen=True)
class RingRate:
    calls: int
    within_three_rings: int

    @property
    def percent(self) -> float | None:
        return None if self.calls == 0 else round(100 * self.within_three_rings / self.calls, 1)


def three_ring_rates(office_ids: Iterable[int], bounds: Bounds) -> dict[tuple[int, int], RingRate]:
    """Per (stretch of ``bounds``, office) with calls: answered within three rings (15 s);
    unanswered calls count as missed."""
    return {
        (bucket, office_id): RingRate(calls=calls, within_three_rings=quick)
        for bucket, office_id, calls, quick in bucketed(
            CallRecord.objects.filter(office_id__in=list(office_ids)), "rang_at", bounds
        )
        .values_list("bucket", "office_id")
        .annotate(
            calls=Count("id"),
            quick=Count("id", filter=Q(answered=True, ring_seconds__lte=THREE_RINGS_SECONDS)),
        )
        .order_by()
    }


def three_ring_rate(office_id: int, start: datetime, end: datetime) -> RingRate:
    return three_ring_rates([office_id], [(start, end)]).get((0, office_id), RingRate(0, 0))
