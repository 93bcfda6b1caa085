"""``{{ amount|thousands }}``: money as ``12,345.60`` and counts as ``12,345`` (``money.grouped``)."""

from __future__ import annotations

from django import template

from estate.core.money import grouped

register = template.Library()


@register.filter
def thousands(value: object) -> str:
    return grouped(value)
