"""Reading the providers' callback bodies (status reports and replies by SMS): shared helpers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

PROVIDERS = ("aliyun", "tencent")
# Both providers write their callback times in Beijing time, without a zone.
PROVIDER_ZONE = ZoneInfo("Asia/Shanghai")


def entries(body: bytes | str) -> list[dict[str, Any]]:
    """The JSON objects of a callback body: a list of them, or one; ``ValueError`` otherwise."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as broken:
        raise ValueError("not JSON") from broken
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValueError("not a list of objects")
    return data


def provider_time(value: Any) -> datetime:
    """A callback's time: ``2026-03-02 10:21:12`` (Beijing) or a Unix timestamp; now if absent."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return datetime.fromtimestamp(int(value), tz=PROVIDER_ZONE)
    if isinstance(value, str) and value.strip():
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=PROVIDER_ZONE
            )
        except ValueError:
            pass
    return timezone.now()
