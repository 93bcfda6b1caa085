"""Phone numbers: normalising what staff type, and masking for display."""

import re

_DIGITS = re.compile(r"\D+")
PHONE_PATTERN = re.compile(r"^\+?[0-9]{5,20}$")


def normalize_phone(raw: str) -> str:
    """Drop spaces, dashes and brackets; keep a leading +."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    plus = "+" if raw.startswith("+") else ""
    return plus + _DIGITS.sub("", raw)


def mask_phone(phone: str) -> str:
    """138****1234: the first three and last four digits stay; short numbers keep only the last two."""
    phone = phone or ""
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 2:
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone
