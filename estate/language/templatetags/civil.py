"""``{% civil_assist field office %}``: the phrase picker and the guard's check under a text box
that reaches a requester."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from estate.language import guard
from estate.language.library import grouped_phrases

register = template.Library()


@register.inclusion_tag("language/_assist.html", takes_context=True)
def civil_assist(context: template.Context, field: BoundField) -> dict[str, Any]:
    """The office is the form's (``form.office``) or the page's (``office`` in the context)."""
    office = getattr(field.form, "office", None) or context.get("office")
    text = str(field.value() or "")
    return {
        "field": field,
        "office": office,
        "groups": grouped_phrases(office),
        **result_context(text, office),
    }


@register.inclusion_tag("language/_picker.html")
def phrase_picker(office: Any = None) -> dict[str, Any]:
    """One picker for a page of many small boxes: it inserts into the box last written in."""
    return {"groups": grouped_phrases(office), "name": "page"}


@register.inclusion_tag("language/_check_result.html")
def civil_result(text: str, office: Any = None) -> dict[str, Any]:
    return result_context(text, office)


def result_context(text: str, office: Any) -> dict[str, Any]:
    """The checked text cut into plain and forbidden parts, with the hits and their suggestions."""
    hits = guard.check(text, office) if text else []
    parts: list[tuple[str, bool]] = []
    at = 0
    for hit in hits:
        parts.append((text[at : hit.start], False))
        parts.append((text[hit.start : hit.end], True))
        at = hit.end
    parts.append((text[at:], False))
    return {"hits": hits, "parts": parts, "mode": guard.mode_for(office) if hits else ""}
