"""Paging without COUNT(*): fetch one row more than a page to know whether another follows."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    has_previous: bool
    has_next: bool
    query: str  # the other GET parameters, to keep filters when paging

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def page_of(queryset: QuerySet, params: QueryDict, *, size: int = PAGE_SIZE) -> Page:
    """Numbered pages, for registry lists of a few thousand rows."""
    try:
        number = max(1, int(params.get("page", "1")))
    except ValueError:
        number = 1
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    others = params.copy()
    others.pop("page", None)
    return Page(
        items=rows[:size],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > size,
        query=others.urlencode(),
    )


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_before: int | None  # the id to continue below, when more rows follow
    query: str


def keyset_page(queryset: QuerySet, params: QueryDict, *, size: int = PAGE_SIZE) -> KeysetPage:
    """Newest first by id, continuing below ``?before=<id>``: as fast on page 1,000 as on page 1."""
    try:
        before = int(params.get("before", ""))
    except ValueError:
        before = 0
    if before > 0:
        queryset = queryset.filter(id__lt=before)
    rows = list(queryset.order_by("-id")[: size + 1])
    others = params.copy()
    others.pop("before", None)
    items = rows[:size]
    return KeysetPage(
        items=items,
        next_before=items[-1].id if len(rows) > size else None,
        query=others.urlencode(),
    )
