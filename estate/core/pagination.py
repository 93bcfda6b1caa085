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
