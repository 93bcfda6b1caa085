"""Natural order of codes people read as numbers: building 2 before 10, unit 3-902 before
3-1202, A3 before A10.

The order is kept in the database, as a stored sort key (``sort_key`` of buildings and units),
so that it holds for paging and on SQLite and PostgreSQL alike: every run of digits is padded
with zeros to one width and letters are upper-cased, so comparing the keys as plain text (the
``C`` collation of the database, SQLite's default) is comparing the codes naturally.
"""

from __future__ import annotations

import re

WIDTH = 10  # digits of each number in a key: codes are at most 10 and numbers 20 characters
SORT_KEY_LENGTH = 200  # a key of a building code and a unit number takes at most 166

_DIGITS = re.compile(r"[0-9]+")


def _padded(match: re.Match[str]) -> str:
    digits = match.group().lstrip("0") or "0"
    return digits.rjust(WIDTH, "0")


def natural_key(text: str) -> str:
    """``text`` with each run of digits zero-padded: ``3-902`` → ``0000000003-0000000902``."""
    return _DIGITS.sub(_padded, text.upper())
