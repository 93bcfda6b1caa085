"""Refusals because of the state things are in now, not because of what was asked."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """Issued already, decided already, being done by someone else right now: asking again with
    the same data cannot succeed until the state changes. A ValidationError, so pages show it
    like any refusal; the API answers 409 instead of 400."""
