"""The calls behind the three-rings figure (R-A1.1), counted in SQL; the figure itself, its
target and verdict are ``reports.measures.THREE_RINGS``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count

from estate.core.buckets import Bounds, bucketed
from estate.frontdesk.models import CallRecord
from estate.reports.measures import IN_THREE_RINGS, THREE_RINGS, Figure


def three_ring_figure(within_three_rings: int = 0, calls: int = 0) -> Figure:
    return Figure(THREE_RINGS, within_three_rings, calls)


def three_ring_rates(office_ids: Iterable[int], bounds: Bounds) -> dict[tuple[int, int], Figure]:
    """Per (stretch of ``bounds``, office) with calls: answered within three rings (15 s) of all
    the calls that rang; unanswered calls count as missed."""
    return {
        (bucket, office_id): three_ring_figure(quick, calls)
        for bucket, office_id, calls, quick in bucketed(
            CallRecord.objects.filter(office_id__in=list(office_ids)), "rang_at", bounds
        )
        .values_list("bucket", "office_id")
        .annotate(calls=Count("id"), quick=Count("id", filter=IN_THREE_RINGS))
        .order_by()
    }


def three_ring_rate(office_id: int, start: datetime, end: datetime) -> Figure:
    return three_ring_rates([office_id], [(start, end)]).get((0, office_id), three_ring_figure())
