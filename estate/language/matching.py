"""Finding listed phrases in Chinese text however they are disguised.

Text and phrases are *folded* the same way, one character for one character (so positions in
the folded text are positions in the original): Simplified to Traditional (OpenCC's character
table), full-width to half-width, upper to lower case, and the small variations the lists
themselves show (您 → 你, 甚麼 → 什麼). Then everything that is not a letter, digit or Han
character (spaces, punctuation, emoji, control characters) is *squeezed* out, so 「急 什，麼」
reads 急什麼. The phrases become one regular expression shaped like a trie, so a check costs
one pass over the text whatever the length of the list.

Pure Python; ``bench/`` measures it (target: ≥ 10,000 checks a second of a 500-character reply
against 500 phrases).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import opencc

# Variations the lists show, folded after Simplified → Traditional.
VARIANTS = {"您": "你", "妳": "你", "祢": "你", "甚": "什", "麽": "麼", "么": "麼", "喲": "呦"}
_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _table() -> list[str]:
    """One entry per BMP code point; characters beyond it are left as they are."""
    table = [chr(i) for i in range(0x10000)]
    converter = opencc.OpenCC("s2t")
    for low, high in _HAN_RANGES:
        chars = [chr(i) for i in range(low, high)]
        # One character per line, so OpenCC converts characters, not phrases.
        converted = converter.convert("\n".join(chars)).split("\n")
        if len(converted) == len(chars):
            for char, to in zip(chars, converted, strict=True):
                if len(to) == 1:
                    table[ord(char)] = to
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    for code in range(0x41, 0x5B):
        table[code] = chr(code + 0x20)
    for code in range(0xFF21, 0xFF3B):
        table[code] = chr(code - 0xFEE0 + 0x20)
    for variant, to in VARIANTS.items():
        table[ord(variant)] = to
    for code, char in enumerate(table):  # 妳 folds to 你 even when s2t made it something first
        if char in VARIANTS:
            table[code] = VARIANTS[char]
    return table


def fold(text: str) -> str:
    """The text with each character folded; same length as ``text``."""
    return text.translate(_table())


def squeeze(text: str) -> str:
    """Folded, without anything that is not a letter, a digit or a Han character."""
    return _NOT_WORD.sub("", fold(text))


@dataclass(frozen=True)
class Found:
    start: int  # in the original text
    end: int
    key: Any  # what the phrase was registered with


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        ends_here = "" in node
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy: the longest listed phrase that matches here wins.
        return f"(?:{body})?" if ends_here else body

    return build(trie)


class PhraseMatcher:
    """Finds any of a list of phrases in a text; phrases are given as (key, text) pairs."""

    def __init__(self, phrases: Iterable[tuple[Any, str]]) -> None:
        self.keys: dict[str, Any] = {}
        for key, text in phrases:
            squeezed = squeeze(text)
            if squeezed:
                self.keys.setdefault(squeezed, key)
        self._regex = re.compile(_trie_pattern(self.keys)) if self.keys else None

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, text: str) -> list[Found]:
        if self._regex is None or not text:
            return []
        folded = fold(text)
        squeezed = _NOT_WORD.sub("", folded)
        matches = list(self._regex.finditer(squeezed))
        if not matches:
            return []
        # Map squeezed positions back to the original (only when something was found): each
        # squeezed-out run shifts what follows it by its length.
        starts: list[int] = []  # squeezed position at which each run was taken out
        shifts: list[int] = []  # characters taken out up to and including that run
        removed = 0
        for gap in _NOT_WORD.finditer(folded):
            starts.append(gap.start() - removed)
            removed += gap.end() - gap.start()
            shifts.append(removed)

        def original(position: int) -> int:
            runs = bisect_right(starts, position)
            return position + (shifts[runs - 1] if runs else 0)

        return [
            Found(original(m.start()), original(m.end() - 1) + 1, self.keys[m.group()])
            for m in matches
        ]
