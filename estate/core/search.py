"""Search that works for Chinese: substring match, in Traditional and Simplified forms alike.

Chinese has no spaces between words, so a two-character query such as 漏水 must match
inside 廚房漏水: a plain substring search does exactly that. OpenCC adds the other
script's form, so 厨房 also finds 廚房.
"""

from __future__ import annotations

from functools import lru_cache

import opencc
from django.db.models import Q


@lru_cache(maxsize=2)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def variants(query: str) -> list[str]:
    """The query as typed, in Simplified and in Traditional characters (without repeats)."""
    query = query.strip()
    if not query:
        return []
    found = [query, _converter("t2s").convert(query), _converter("s2t").convert(query)]
    return list(dict.fromkeys(found))


def text_filter(query: str, fields: list[str]) -> Q:
    """OR of ``field__icontains`` over every field and every script variant of the query."""
    condition = Q()
    for term in variants(query):
        for field in fields:
            condition |= Q(**{f"{field}__icontains": term})
    return condition
