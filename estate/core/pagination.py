"""Paging without COUNT(*): fetch one row more than a page to know whether another follows;
and counted pages for the lists worked through by hand (``counted_page``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
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


COUNTED_PAGE_SIZE = 100


@dataclass(frozen=True)
class CountedPage:
    """A numbered page that also says how many rows there are in all (lists people work
    through by hand, a few thousand rows: the count is what tells them nothing is hidden)."""

    page: DjangoPage
    query: str  # the other GET parameters, to keep the search and filters when paging

    @property
    def items(self) -> list[Any]:
        return list(self.page.object_list)

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def pages(self) -> int:
        return self.page.paginator.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page.has_previous()

    @property
    def has_next(self) -> bool:
        return self.page.has_next()

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def first_index(self) -> int:
        return self.page.start_index()

    @property
    def last_index(self) -> int:
        return self.page.end_index()

    @property
    def links(self) -> list[int | None]:
        """Page numbers to link: the first, the last and two either side of this one (None
        stands for a gap)."""
        wanted = {1, self.pages, *range(self.number - 2, self.number + 3)}
        shown: list[int | None] = []
        last = 0
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if last and number - last > 1:
                shown.append(None)
            shown.append(number)
            last = number
        return shown


def counted_page(
    rows: QuerySet | Sequence[Any], params: QueryDict, *, size: int = COUNTED_PAGE_SIZE
) -> CountedPage:
    """Page ``rows`` by ``?page=``: a page number past the last gives the last, anything that is
    not a number the first."""
    others = params.copy()
    others.pop("page", None)
    return CountedPage(Paginator(rows, size).get_page(params.get("page")), others.urlencode())
