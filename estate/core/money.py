"""Money: Decimal yuan with two places, one rounding rule, and splits that add up exactly."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, halves away from zero (四捨五入): the one rule for every amount."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def from_db(value: object) -> Decimal:
    """An amount as a database hands back a sum or other expression, made money: a Decimal
    with exactly two places (nothing, None, is 0.00). SQLite keeps no decimal type, so a SUM
    there comes back as a float or a Decimal cut short (``2734.5``); PostgreSQL's NUMERIC may
    carry more places than two. Floats are read by their shortest text, never their binary
    value, so 2734.5 is 2734.50 and 0.1 + 0.2 is 0.30."""
    if value is None:
        return ZERO
    if isinstance(value, bool):
        raise TypeError("a truth value is not an amount")
    if isinstance(value, Decimal):
        return to_cents(value)
    if isinstance(value, int | float | str):
        return to_cents(Decimal(repr(value) if isinstance(value, float) else str(value)))
    raise TypeError(f"not an amount: {value!r}")


def split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (in cents) over ``weights`` so the parts add up to it exactly.

    Largest remainder: each part gets its share rounded down to the cent, and the cents left
    over go one each to the parts with the largest remainders (ties: the earlier part). All-zero
    weights split equally. Negative weights are refused.
    """
    total = to_cents(total)
    if not weights:
        if total:
            raise ValueError("cannot split a non-zero total over nothing")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights cannot be negative")
    if not any(weights):
        weights = [Decimal(1)] * len(weights)
    whole = sum(weights, Decimal(0))
    cents = int(total / CENT)
    sign = -1 if cents < 0 else 1
    cents = abs(cents)
    exact = [Decimal(cents) * w / whole for w in weights]
    floors = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    left = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * Decimal(part) * CENT for part in floors]


def grouped(value: object) -> str:
    """A number as pages and paper show it, thousands separated: money (a Decimal) with its two
    places, ``12,345.60`` and ``-1,000.00``; a count (an int) whole, ``12,345``. Nothing (None)
    is empty; anything else is shown as it is. (The API's JSON keeps plain decimals.)"""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | str):
        try:
            value = Decimal(str(value).strip())
        except ArithmeticError:
            return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        cents = to_cents(value) or ZERO  # no "-0.00"
        return f"{cents:,.2f}"
    return str(value)


_DIGITS = "零壹貳叁肆伍陸柒捌玖"
_PLACES = ("仟", "佰", "拾", "")  # within a group of four digits
_GROUPS = ("億", "萬", "")  # groups of four digits, highest first
_SIMPLIFIED = str.maketrans("貳陸萬億", "贰陆万亿")  # the other capitals are the same in both


def _four(number: int) -> str:
    """0 < number < 10000 in capitals; one 零 for any zeros inside, none at the end."""
    text, zeros = "", False
    for digit, place in zip(f"{number:04d}", _PLACES, strict=True):
        if digit == "0":
            zeros = bool(text)
            continue
        text += ("零" if zeros else "") + _DIGITS[int(digit)] + place
        zeros = False
    return text


def in_capitals(amount: Decimal, *, simplified: bool = False) -> str:
    """An amount in Chinese capitals (大寫金額) as receipts and bills write it so that no figure can
    be altered: 1630.50 → 壹仟陸佰叁拾元伍角整, 10.01 → 壹拾元零壹分, 100005.20 →
    壹拾萬零伍元貳角整, 0.05 → 伍分.

    The rules of the 支付結算辦法: 整 after 元 or 角 when there are no 分; one 零 stands for any
    run of zeros between figures (inside a group of four, or a group with leading or all zeros),
    none at the end of 元; 零 before 分 when there are yuan and no 角; 拾 keeps its 壹 (壹拾).
    Rounded to the cent first (``to_cents``); negative amounts and 10¹² yuan or more are refused
    (no receipt carries them). ``simplified`` gives the zh-Hans characters (贰, 陆, 万, 亿).
    """
    cents = int(to_cents(amount) / CENT)
    if cents < 0:
        raise ValueError("an amount in capitals cannot be negative")
    yuan, rest = divmod(cents, 100)
    if yuan >= 10**12:
        raise ValueError("too large an amount for capitals")
    jiao, fen = divmod(rest, 10)
    text, zeros = "", False
    for index, group in enumerate(f"{yuan:012d}"[i : i + 4] for i in range(0, 12, 4)):
        number = int(group)
        if not number:
            zeros = bool(text)  # a whole group of zeros between figures
            continue
        if text and (zeros or number < 1000):
            text += "零"
        text += _four(number) + _GROUPS[index]
        zeros = False
    if text:
        text += "元"
    if jiao:
        text += _DIGITS[jiao] + "角"
    if fen:
        text += ("零" if text and not jiao else "") + _DIGITS[fen] + "分"
    elif not text:
        text = "零元整"
    else:
        text += "整"
    return text.translate(_SIMPLIFIED) if simplified else text
