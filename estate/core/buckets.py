"""Counting in several periods at once: each row gets the index of the period it falls in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

Bounds = Sequence[tuple[datetime, datetime]]


def bucketed(queryset: QuerySet[Any], field: str, bounds: Bounds) -> QuerySet[Any]:
    """Rows whose ``field`` falls in one of ``bounds`` (start inclusive, end exclusive),
    annotated ``bucket``: the index of that stretch, to group by."""
    whens = [
        When(Q(**{f"{field}__gte": start, f"{field}__lt": end}), then=Value(index))
        for index, (start, end) in enumerate(bounds)
    ]
    return (
        queryset.filter(
            **{
                f"{field}__gte": min(start for start, _ in bounds),
                f"{field}__lt": max(end for _, end in bounds),
            }
        )
        .annotate(bucket=Case(*whens, default=Value(-1), output_field=IntegerField()))
        .filter(bucket__gte=0)
    )
