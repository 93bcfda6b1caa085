"""Searching the knowledge base: every word of the query, in either script, in the title or the
text; articles whose title matches come first."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from estate.core.search import text_filter
from estate.knowledge.models import Article


def search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    words = query.split()
    if not words:
        return articles.order_by("category", "title", "id")
    for word in words:
        articles = articles.filter(text_filter(word, ["title", "body"]))
    in_title = Q()
    for word in words:
        in_title &= text_filter(word, ["title"])
    return articles.annotate(
        rank=Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("rank", "-updated_at", "id")
