"""How else the words of the forbidden-phrase lists are written: regional (chiefly Cantonese)
characters and words, and the everyday Mandarin alternatives of the same rude phrase.

Two tables, both read by ``matching``:

- ``CHARS``: one character for one, folded into every text and phrase like Simplified →
  Traditional (so positions stay those of the original). Only characters that mean the same as
  their target wherever they stand (冇 is 沒, 唔 is 不, 睇 is 看) belong here. Folding is for
  matching only, so a harmless miss-folding elsewhere (咗 → 了 in any text) costs nothing.
- ``WORDS``: a word of a listed phrase and its other spellings, of any length (什麼 → 咩, 乜嘢;
  誰 → 邊個; 明天 → 聽日). These are not folded into the text: the matcher adds each phrase's
  other spellings to its list instead (急什麼 is also 急咩, 急乜嘢, 急啥). Words that are
  ordinary in civil Mandarin (係 "relation" in 關係, 點 "o'clock", 呢 the particle) go here rather
  than in ``CHARS``, where they would fold every text.

Both tables are written in Traditional characters; values are folded like the phrases (so 唔好
is 不好). Keep them to the words the lists use: a spelling added here is a spelling blocked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache

CHARS: dict[str, str] = {
    # The small variations the lists themselves show.
    "您": "你",
    "妳": "你",
    "祢": "你",
    "甚": "什",
    "麽": "麼",
    "么": "麼",
    "喲": "呦",
    # Cantonese.
    "冇": "沒",  # 有完冇完, 找誰都冇用
    "唔": "不",  # 唔歸我管, 唔明
    "佢": "他",
    "嘅": "的",
    "睇": "看",  # 冇睇到我喺度忙
    "啲": "些",  # 早啲嚟 → 早些來
    "喺": "在",
    "嚟": "來",  # 聽日再嚟
    "搵": "找",  # 搵邊個都冇用
    "咗": "了",  # 講咗
    "畀": "給",
    "俾": "給",
    "説": "說",  # a variant form of 說
}

WORDS: dict[str, tuple[str, ...]] = {
    "什麼": ("咩", "乜", "乜嘢", "啥", "啥子"),
    "什麼時候": ("幾時", "幾點", "何時", "啥時候"),
    "誰": ("邊個", "邊位"),
    "怎麼": ("點", "點樣", "點解", "怎樣", "怎", "咋"),
    "知道": ("知",),
    "講": ("說",),
    "懂": ("明", "明白"),
    "這": ("呢", "呢個", "這個"),
    "不是": ("唔係", "不係"),
    "給": ("跟", "同", "和"),
    "嗎": ("咩",),
    "了": ("喇", "嘞", "啦"),
    "啦": ("喇", "嘞", "囉", "了"),
    "等一下": ("等陣", "等一陣", "等等", "等一會", "等一會兒", "等會", "等會兒"),
    "還沒": ("仲未", "仲沒", "還未"),
    "還": ("仲",),
    "上班": ("返工", "開工", "上工"),
    "下班": ("收工", "放工"),
    "明天": ("聽日", "明日"),
    "早": ("早點", "早些", "早一點"),
    "看": ("看到", "看見", "見到"),
    "在": ("正在", "喺度"),
    "別": ("咪", "唔好", "不要", "勿"),
    "領導": ("上司", "主管"),
}

# Words ending in the character a listed phrase begins with: a match that begins at that
# character right after the rest of the word begins inside another word (特別煩了 is 特別 +
# 煩了, not 別煩了).
WORD_ENDS: frozenset[str] = frozenset(
    ("特別", "分別", "區別", "差別", "個別", "類別", "級別", "性別", "告別", "識別", "辨別",
     "鑑別", "離別", "派別", "判別", "道別", "送別", "惜別", "話別", "有別", "組別")
)  # fmt: skip

MAX_SPELLINGS = 256  # per phrase part; a phrase that would have more keeps the first ones


def spellings(
    text: str, words: Mapping[str, Iterable[str]], limit: int = MAX_SPELLINGS
) -> list[str]:
    """``text`` and its other spellings: every way of replacing words of ``words`` found in it
    (overlapping words each taken both ways: 什麼時候 as a whole and as 什麼 + 時候). ``text``
    comes first."""
    longest = max((len(word) for word in words), default=0)

    @cache
    def at(position: int) -> list[str]:
        if position == len(text):
            return [""]
        found: list[str] = []
        for rest in at(position + 1):
            found.append(text[position] + rest)
        for length in range(min(longest, len(text) - position), 0, -1):
            word = text[position : position + length]
            for other in words.get(word, ()):
                found.extend(other + rest for rest in at(position + length))
        return list(dict.fromkeys(found))[:limit]

    return at(0) if text else [""]


def folded_words(fold: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    """``WORDS`` with keys and spellings folded (so they compare with folded text)."""
    table: dict[str, list[str]] = {}
    for word, others in WORDS.items():
        key = fold(word)
        table.setdefault(key, [])
        for other in others:
            other = fold(other)
            if other != key and other not in table[key]:
                table[key].append(other)
    return {word: tuple(others) for word, others in table.items()}
