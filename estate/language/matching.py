"""Finding listed phrases in Chinese text however they are disguised, without stopping civil
sentences that merely share characters with them across a clause break.

**Folding.** Text and phrases are folded the same way, one character for one character (so
positions in the folded text are positions in the original): compatibility ideographs and
Kangxi radicals to the ideographs they stand for (NFKC), Simplified to Traditional (OpenCC's
character table), full-width to half-width, upper to lower case, and the variants of
``variants.CHARS`` (您 → 你, 甚 → 什, Cantonese 冇 → 沒, 唔 → 不, 睇 → 看 …).

**The skeleton.** A phrase made of Han characters is looked for in the text's *skeleton*: its
Han characters alone. Whatever stands between them (spaces, punctuation, digits, Latin letters,
emoji, zero-width and control characters, HTML tags such as ``<b>`` or ``<span …>``) is a
*gap*, so 「急1什2麼」, 「急<b>什</b>麼」 and 「急 什，麼」 all read 急什麼. Each phrase is
also listed in its other spellings (``variants.WORDS``: 急什麼 is also 急咩, 急乜嘢), and all of
them become one regular expression shaped like a trie: one pass over the skeleton whatever the
length of the list.

**Clause breaks.** A match is then read like a person would read it, from its gaps:

- no gap, or gaps without a clause break (「急 什麼」, 「急1什2麼」): a hit;
- two or more gaps with clause breaks (「急，什，麼」), a clause break together with other
  inserted material in the phrase (「急 什麼，等一下」), or a break wrapped in letters, digits
  or invisible characters (「急，x什麼」): a disguise, a hit;
- exactly one natural clause break (punctuation, spaces, emoji or a block tag such as
  ``</p><p>``, nothing else): a hit when the phrase forms a clause of its own on either side
  (「急，什麼」, 「好的。找誰，都沒用」: nothing but a particle or interjection besides it up to
  the next break), but not when both clauses go on past it (「您不用急，什麼時候方便都可以」:
  您不用急 | 什麼時候方便都可以). Then shorter listed phrases at the same place are tried.

A match that begins inside another word (``variants.WORD_ENDS``: 特別煩了 is 特別 + 煩了) is
not one either.

A gap longer than ``MAX_GAP`` characters (tags aside) separates: its two sides are not one
phrase. Phrases with letters or digits of their own (an office's 「你是sb」) are matched as
before this design, on the text with only non-word characters squeezed out.

Pure Python; ``bench/`` measures it (target: ≥ 10,000 checks a second of a 500-character reply
against 500 phrases).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

import opencc

from estate.language import variants

_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NOT_WORD = re.compile(r"[\W_]+")
_NOT_HAN = re.compile(f"[^{_HAN}]+")
# An HTML tag is part of the gap as a whole, even with Han characters in its attributes.
_TAG = re.compile(r"</?([a-z][a-z0-9]*)\b[^<>]{0,200}>", re.IGNORECASE)
_NOT_HAN_OR_TAG = re.compile(rf"(?:[^{_HAN}<]++|</?[a-zA-Z][a-zA-Z0-9]*\b[^<>]{{0,200}}>|<)++")
# Clause breaks, after folding (full-width ，！？ are , ! ? by then).
BREAKS = frozenset(",.;:!?，．；：！？。、…‥\n\r\u2028\u2029﹐﹑﹒﹔﹕﹖﹗｡､")
BLOCK_TAGS = frozenset(
    ("p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
     "table", "hr", "blockquote", "section", "article", "header", "footer", "pre", "dd", "dt")
)  # fmt: skip
# Part of an emoji rather than something inserted (a joiner, a variation selector).
_EMOJI_PARTS = frozenset("\u200d\ufe0e\ufe0f")
# A clause that is only the phrase and one of these is still a clause of its own.
PARTICLES = frozenset("吧啊呀啦了嗎呢哦喔嘛囉咯哈耶嘞喇咩啰噢唄哇")
INTERJECTIONS = frozenset("喂哎唉嗯噢哦啊呀欸誒嘿哼切")
MAX_GAP = 16


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
    # Kangxi radicals, CJK radicals and compatibility ideographs that stand for an ideograph.
    for low, high in ((0x2E80, 0x2FE0), (0xF900, 0xFB00)):
        for code in range(low, high):
            to = unicodedata.normalize("NFKC", chr(code))
            if len(to) == 1 and to != chr(code) and 0x3400 <= ord(to) < 0xA000:
                table[code] = table[ord(to)]
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    for code in range(0x41, 0x5B):
        table[code] = chr(code + 0x20)
    for code in range(0xFF21, 0xFF3B):
        table[code] = chr(code - 0xFEE0 + 0x20)
    for variant, to in variants.CHARS.items():
        table[ord(variant)] = to
    for code, char in enumerate(table):  # 妳 folds to 你 even when s2t made it something first
        if char in variants.CHARS:
            table[code] = variants.CHARS[char]
    return table


def fold(text: str) -> str:
    """The text with each character folded; same length as ``text``."""
    return text.translate(_table())


def squeeze(text: str) -> str:
    """Folded, without anything that is not a letter, a digit or a Han character."""
    return _NOT_WORD.sub("", fold(text))


def _gaps_of(folded: str) -> re.Pattern[str]:
    return _NOT_HAN_OR_TAG if "<" in folded else _NOT_HAN


def skeleton(text: str) -> str:
    """Folded, the Han characters alone (what the Han phrases are looked for in)."""
    folded = fold(text)
    return _gaps_of(folded).sub("", folded)


@cache
def _words() -> dict[str, tuple[str, ...]]:
    return variants.folded_words(fold)


def spellings(phrase: str) -> list[str]:
    """The phrase's skeleton and its other spellings (``variants.WORDS``)."""
    return variants.spellings(skeleton(phrase), _words())


def _is_han(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code < 0xA000
        or 0x3400 <= code < 0x4DC0
        or 0xF900 <= code < 0xFB00
        or 0x20000 <= code < 0x31350
    )


FILLER, NATURAL_BREAK, NOISY_BREAK, SEPARATES = range(4)


def gap_kind(gap: str) -> int:
    """What stands between two characters of a match: inserted material without a clause break
    (a filler), a natural clause break, a break mixed with inserted letters, digits or invisible
    characters, or so much that the two sides are not one phrase."""
    broken = noisy = False
    if "<" in gap:
        for tag in _TAG.finditer(gap):
            if tag.group(1).lower() in BLOCK_TAGS:
                broken = True
        gap = _TAG.sub("", gap)
    if len(gap) > MAX_GAP:
        return SEPARATES
    for char in gap:
        if char in BREAKS:
            broken = True
        elif char.isspace() or char in _EMOJI_PARTS:
            continue
        elif unicodedata.category(char)[0] not in "PS":  # letters, digits, controls, marks
            noisy = True
    if not broken:
        return FILLER
    return NOISY_BREAK if noisy else NATURAL_BREAK


def _clause_goes_on(folded: str, at: int, step: int, fillers: frozenset[str]) -> bool:
    """Whether a Han character (other than ``fillers``) stands from ``at`` on, in the direction
    ``step``, before the next clause break or the end of the text."""
    position = at
    while 0 <= position < len(folded):
        char = folded[position]
        if char in BREAKS:
            return False
        if char in "<>":  # a tag: skipped, but a block tag breaks the clause
            if step > 0:
                tag = _TAG.match(folded, position)
            else:
                opening = folded.rfind("<", max(0, position - 220), position + 1)
                tag = _TAG.match(folded, opening) if opening >= 0 else None
                if tag and tag.end() != position + 1:
                    tag = None
            if tag:
                if tag.group(1).lower() in BLOCK_TAGS:
                    return False
                position = tag.end() if step > 0 else tag.start() - 1
                continue
        elif _is_han(char) and char not in fillers:
            return True
        position += step
    return False


def reads_as_phrase(folded: str, positions: list[int]) -> bool | None:
    """Whether the characters at ``positions`` of the folded text read as the phrase (a hit), or
    not (civil text across a clause break). ``None`` when they are too far apart to be one."""
    fillers = 0
    natural = 0
    disguised = False
    for before, after in pairwise(positions):
        if after == before + 1:
            continue
        kind = gap_kind(folded[before + 1 : after])
        if kind == SEPARATES:
            return None
        if kind == FILLER:
            fillers += 1
        elif kind == NOISY_BREAK:
            disguised = True
        else:
            natural += 1
    if disguised or natural == 0 or fillers or natural > 1:
        return True
    # One natural clause break: civil when the clauses on both sides go on past the phrase.
    goes_on = _clause_goes_on(folded, positions[0] - 1, -1, INTERJECTIONS) and _clause_goes_on(
        folded, positions[-1] + 1, 1, PARTICLES
    )
    return not goes_on


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


class _Positions:
    """Maps positions in a squeezed text back to the folded (and original) text: each
    squeezed-out run shifts what follows it by its length. Runs are read only as far as the
    positions asked for (left to right, as matches are found)."""

    def __init__(self, folded: str, gaps: re.Pattern[str]) -> None:
        self._runs = gaps.finditer(folded)
        self._starts: list[int] = []  # squeezed position at which each run was taken out
        self._shifts: list[int] = []  # characters taken out up to and including that run
        self._removed = 0
        self._more = True

    def __call__(self, position: int) -> int:
        starts = self._starts
        while self._more and (not starts or starts[-1] <= position):
            run = next(self._runs, None)
            if run is None:
                self._more = False
                break
            start, end = run.span()
            starts.append(start - self._removed)
            self._removed += end - start
            self._shifts.append(self._removed)
        runs = bisect_right(starts, position)
        return position + (self._shifts[runs - 1] if runs else 0)


class PhraseMatcher:
    """Finds any of a list of phrases in a text; phrases are given as (key, text) pairs."""

    def __init__(self, phrases: Iterable[tuple[Any, str]]) -> None:
        self.keys: dict[str, Any] = {}  # every spelling of a Han phrase → its key
        self.word_keys: dict[str, Any] = {}  # phrases with letters or digits of their own
        self._phrases: set[str] = set()
        for key, text in phrases:
            words, han = squeeze(text), skeleton(text)
            if not words:
                continue
            self._phrases.add(words)
            if words != han:
                self.word_keys.setdefault(words, key)
                continue
            for spelling in spellings(text):
                self.keys.setdefault(spelling, key)
        self._regex = re.compile(_trie_pattern(self.keys)) if self.keys else None
        self._word_ends = {fold(word) for word in variants.WORD_ENDS}
        self._word_regex = re.compile(_trie_pattern(self.word_keys)) if self.word_keys else None

    def __len__(self) -> int:
        return len(self._phrases)

    def find(self, text: str) -> list[Found]:
        if not text:
            return []
        folded = fold(text)
        found = self._find_han(folded) if self._regex is not None else []
        if self._word_regex is not None:
            found += self._find_words(folded)
            found.sort(key=lambda f: (f.start, -f.end))
        return found

    def _find_han(self, folded: str) -> list[Found]:
        assert self._regex is not None
        gaps = _gaps_of(folded)
        squeezed = gaps.sub("", folded)
        match = self._regex.search(squeezed)
        if match is None:
            return []
        original = _Positions(folded, gaps)
        found: list[Found] = []
        while match is not None:
            start, end = match.span()
            positions = [original(p) for p in range(start, end)]
            first = positions[0]
            if first and folded[first - 1 : first + 1] in self._word_ends:
                match = self._regex.search(squeezed, start + 1)  # inside another word
                continue
            taken = 0
            # The longest listed phrase here that reads as one; then the shorter ones.
            for length in range(end - start, 0, -1):
                if length < end - start and squeezed[start : start + length] not in self.keys:
                    continue
                if reads_as_phrase(folded, positions[:length]):
                    taken = length
                    break
            if taken:
                key = self.keys[squeezed[start : start + taken]]
                found.append(Found(positions[0], positions[taken - 1] + 1, key))
                match = self._regex.search(squeezed, start + taken)
            else:
                match = self._regex.search(squeezed, start + 1)
        return found

    def _find_words(self, folded: str) -> list[Found]:
        assert self._word_regex is not None
        squeezed = _NOT_WORD.sub("", folded)
        matches = list(self._word_regex.finditer(squeezed))
        if not matches:
            return []
        original = _Positions(folded, _NOT_WORD)
        return [
            Found(original(m.start()), original(m.end() - 1) + 1, self.word_keys[m.group()])
            for m in matches
        ]
