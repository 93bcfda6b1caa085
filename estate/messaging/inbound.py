"""Placeholder for the lead's ``take_reply`` (written on main); replaced when merging."""

from typing import Any


def take_reply(
    *, office, channel: str, sender: str, text: str, at, subject: str = "", attachments=()
) -> Any:
    raise NotImplementedError
