"""Where an action was entered, as the timeline records it: the desk's pages on a computer, the
same pages on a phone in the field, the API, the portal."""

from __future__ import annotations

import re

from django.http import HttpRequest

from estate.workorders.choices import EventChannel

_PHONE = re.compile(r"Mobi|Android|iPhone|iPod|HarmonyOS|MicroMessenger", re.IGNORECASE)


def entered_through(request: HttpRequest) -> str:
    """A staff page's channel: ``field`` from a phone's browser, ``desk`` otherwise."""
    if request.headers.get("Sec-CH-UA-Mobile") == "?1":
        return EventChannel.FIELD
    if _PHONE.search(request.headers.get("User-Agent", "")):
        return EventChannel.FIELD
    return EventChannel.DESK
