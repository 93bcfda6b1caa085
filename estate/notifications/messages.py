"""A notification's words, kept apart from their language until the recipient is known.

``Message(gettext_lazy("Missed: %(rule)s, order %(number)s."), {"rule": …, "number": …})`` holds a marked literal
(so ``makemessages`` extracts it) and its values; ``render(language)`` writes it in that
language, the values too where they are translatable (a rule's name, a category). Each person
gets a notification, SMS and email in their own language (``User.language``, else the
default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import override


class Message:
    def __init__(self, template: Promise, values: Mapping[str, Any] | None = None) -> None:
        self.template = template
        self.values = dict(values or {})

    def render(self, language: str) -> str:
        with override(language):
            values = {k: str(v) if isinstance(v, Promise) else v for k, v in self.values.items()}
            return str(self.template) % values if values else str(self.template)

    def __str__(self) -> str:
        return self.render(settings.LANGUAGE_CODE)


def language_of(person: Any) -> str:
    return getattr(person, "language", "") or settings.LANGUAGE_CODE
