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


WHOLE_NUMBER_DIGITS = 7  # the shortest local landline; a mobile number has 11
_TYPED_NUMBER = re.compile(r"\+?[0-9][0-9 ()\-]*")


def whole_number(text: str) -> str | None:
    """``text`` as a phone number to look up, when it is a whole one (only digits and the usual
    separators, at least seven digits); None for a name, an address or a few digits, which must
    never match a number in part: searching by prefixes would spell a masked number out."""
    text = (text or "").strip()
    if not _TYPED_NUMBER.fullmatch(text):
        return None
    number = normalize_phone(text)
    return number if len(number.lstrip("+")) >= WHOLE_NUMBER_DIGITS else None


def mask_phone(phone: str) -> str:
    """138****1234: the first three and last four digits stay; short numbers keep only the last two."""
    phone = phone or ""
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 2:
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone
