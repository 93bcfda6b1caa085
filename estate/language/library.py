"""Reading the phrase library of an office: grouped by situation, in the reader's script."""

from __future__ import annotations

from functools import cache
from typing import Any

import opencc
from django.utils import translation

from estate.language.choices import Situation
from estate.language.models import Phrase


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def in_reader_script(text: str) -> str:
    """The standard lists are written in Traditional characters; Simplified readers get them so."""
    if (translation.get_language() or "").lower() in ("zh-hans", "zh-cn", "zh-sg"):
        return _to_simplified().convert(text)
    return text


def grouped_phrases(office: Any) -> list[tuple[str, list[str]]]:
    """[(situation label, [phrases])] of the office's library, standard phrases first."""
    groups: dict[str, list[str]] = {}
    for situation, text in (
        Phrase.objects.for_office(getattr(office, "pk", office))
        .filter(is_active=True)
        .order_by("situation", "office_id", "position", "id")
        .values_list("situation", "text")
    ):
        groups.setdefault(situation, []).append(in_reader_script(text))
    return [
        (str(Situation(situation).label), groups[situation])
        for situation in Situation.values
        if situation in groups
    ]
