"""Request parsers of the API (a module of its own: DRF's settings import it while
``rest_framework.views`` loads, so it may import nothing that imports the views)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON, refusing text with a lone surrogate (``"\\ud800"``): valid JSON, but not text the
    database can store or a response can be encoded in. Refused where every body passes, so
    no endpoint meets one; the error names the field."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        problem = _surrogates(data)
        if problem is not None:
            raise serializers.ValidationError(
                problem if isinstance(problem, dict) else {"non_field_errors": problem}
            )
        return data


def _surrogates(value: Any) -> Any:
    """None when ``value`` holds no lone surrogate; else the error, nested like the value."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [_("Contains a character that is not valid text (a lone surrogate).")]
        return None
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            problem = _surrogates(key) or _surrogates(item)
            if problem is not None:  # the key as written, in a form the response can carry
                found[key.encode("utf-8", "backslashreplace").decode()] = problem
        return found or None
    if isinstance(value, list):
        for item in value:
            problem = _surrogates(item)
            if problem is not None:
                return problem
    return None
