"""Replies from requesters (placeholder: the lead's ``take_reply`` replaces this on merge)."""

from __future__ import annotations

from typing import Any


def take_reply(
    *,
    office: Any,
    channel: str,
    sender: str,
    text: str,
    at: Any,
    subject: str = "",
    attachments: Any = (),
) -> Any:
    raise NotImplementedError
