"""Amounts in Chinese capitals (大寫金額) as receipts write them: the examples of the rules, and
for any amount, text that reads back to the same amount and keeps the rules on zeros."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estate.core.money import in_capitals

DIGITS = {c: i for i, c in enumerate("零壹貳叁肆伍陸柒捌玖")}
PLACES = {"拾": 10, "佰": 100, "仟": 1000}
GROUPS = {"萬": 10**4, "億": 10**8}


def read_back(text: str) -> Decimal:
    """An independent reader of capitals: the amount the text says."""
    yuan, _sep, cents = text.removesuffix("整").rpartition("元") if "元" in text else ("", "", text)
    total = section = digit = 0
    for char in yuan:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in PLACES:
            section += digit * PLACES[char]
            digit = 0
        else:
            total += (section + digit) * GROUPS[char]
            section = digit = 0
    whole = total + section + digit
    jiao = re.search(r"(.)角", cents)
    fen = re.search(r"(.)分", cents)
    hundredths = (DIGITS[jiao[1]] * 10 if jiao else 0) + (DIGITS[fen[1]] if fen else 0)
    return Decimal(whole) + Decimal(hundredths) / 100


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("1630.50", "壹仟陸佰叁拾元伍角整"),
        ("0.05", "伍分"),
        ("1000.00", "壹仟元整"),
        ("10.01", "壹拾元零壹分"),
        ("100005.20", "壹拾萬零伍元貳角整"),
        ("0.00", "零元整"),
        ("0.50", "伍角整"),
        ("0.15", "壹角伍分"),
        ("10", "壹拾元整"),
        ("1010.10", "壹仟零壹拾元壹角整"),  # one 零 inside a group
        ("1005", "壹仟零伍元整"),  # one 零 for two zeros
        ("20000.02", "貳萬元零貳分"),  # a whole group of zeros at the end: no 零
        ("100000000", "壹億元整"),
        ("100100000", "壹億零壹拾萬元整"),  # a group with a leading zero
        ("100001000", "壹億零壹仟元整"),  # a whole group of zeros between figures
        ("1000000005", "壹拾億零伍元整"),
        ("12345678.90", "壹仟貳佰叁拾肆萬伍仟陸佰柒拾捌元玖角整"),
        ("2.345", "貳元叁角伍分"),  # rounded to the cent, half up
    ],
)
def test_the_examples_of_the_rules(amount, capitals):
    assert in_capitals(Decimal(amount)) == capitals


def test_simplified_characters():
    assert in_capitals(Decimal("120000600.00"), simplified=True) == "壹亿贰仟万零陆佰元整"


@pytest.mark.parametrize(
    ("amount", "why"), [("-0.01", "cannot be negative"), ("1000000000000", "too large")]
)
def test_refused(amount, why):
    with pytest.raises(ValueError, match=why):
        in_capitals(Decimal(amount))


amounts = st.integers(min_value=0, max_value=10**14 - 1).map(lambda c: Decimal(c) / 100)


@given(amount=amounts)
def test_any_amount_reads_back_to_itself(amount):
    assert read_back(in_capitals(amount)) == amount


@given(amount=amounts.filter(bool))
def test_zeros_follow_the_rules(amount):
    text = in_capitals(amount)
    yuan, jiao, fen = int(amount), int(amount * 10) % 10, int(amount * 100) % 10
    assert "零零" not in text
    assert not text.startswith("零")
    assert not re.search("零[萬億元角分整]", text), "no 零 before a unit or at the end"
    assert text.endswith("整") == (fen == 0)
    assert set(text) <= set(DIGITS) | set(PLACES) | set(GROUPS) | set("元角分整")
    assert ("元零" in text) == bool(yuan and not jiao and fen), "零 before 分 when there are no 角"
