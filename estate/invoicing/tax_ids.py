"""The unified social credit code (統一社會信用代碼, GB 32100-2015) a company buyer gives for its
invoice: 18 characters, the last a check character over the first 17.

Layout: 1 registration authority, 1 kind of organisation, 6 administrative division (digits),
9 organisation code, 1 check. The alphabet leaves out I, O, Z, S and V, which read like digits."""

from __future__ import annotations

import re
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# 1 institutions (機構編制), 5 civil affairs (民政), 9 industry and commerce (工商), Y others.
AUTHORITIES = "159Y"
_SHAPE = re.compile(rf"^[{AUTHORITIES}][{ALPHABET}][0-9]{{6}}[{ALPHABET}]{{10}}$")


def normalise(text: str) -> str:
    """Full-width characters folded (ＡＢ１ → AB1), spaces dropped, upper case: what people type
    from a paper licence on a Chinese keyboard."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(folded.split()).upper()


def check_character(body: str) -> str:
    """The check character of the first 17 characters (``body``, already normalised)."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True when ``code`` (normalised first) has the standard's shape and its check character."""
    code = normalise(code)
    return bool(_SHAPE.match(code)) and check_character(code[:17]) == code[17]
