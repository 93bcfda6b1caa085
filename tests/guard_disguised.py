"""A labelled corpus of disguised forbidden phrases: every one must be caught (test_guard_corpus).

Generated from the seed's list (``standard.FORBIDDEN``: the sentences as listed and their rude
parts) through disguises a writer might use to slip a phrase past a filter, each alone and
inside realistic sentences, plus hand-written regional (Cantonese) and mixed forms. Every entry
is (how it was disguised, the text).
"""

from __future__ import annotations

import random

from opencc import OpenCC

from estate.language.standard import FORBIDDEN

TO_SIMPLIFIED = OpenCC("t2s")
_rng = random.Random(17)

LISTED = [listed for listed, _entries, _situation in FORBIDDEN]
ENTRIES = [entry for _listed, entries, _situation in FORBIDDEN for entry in entries]
PHRASES = list(dict.fromkeys(LISTED + ENTRIES))
HAN_ONLY = [p for p in PHRASES if "，" not in p]


def between(text: str, filler: str | list[str]) -> str:
    """``filler`` between every two characters (a list: one after the other, round)."""
    fillers = [filler] if isinstance(filler, str) else filler
    out = []
    for n, char in enumerate(text):
        out.append(char)
        if n < len(text) - 1 and char != "，" and text[n + 1] != "，":
            out.append(fillers[n % len(fillers)])
    return "".join(out)


def in_one_gap(text: str, filler: str) -> str:
    gap = _rng.randrange(1, len(text))
    return text[:gap] + filler + text[gap:]


def wrapped(text: str, tag: str, attrs: str = "") -> str:
    """One character in the middle wrapped in a tag."""
    middle = len(text) // 2
    return f"{text[:middle]}<{tag}{attrs}>{text[middle]}</{tag}>{text[middle + 1 :]}"


def mixed(text: str) -> str:
    pool = ["1", "x", " ", "*", "😤", "\u200b", "<b></b>", "_", "-", "Ｑ", "·", "~", "。", "，"]
    out = []
    for n, char in enumerate(text):
        out.append(char)
        if n < len(text) - 1:
            out.append(_rng.choice(pool[:-2]) if n % 2 else _rng.choice(pool))
    return "".join(out)


DISGUISES = {
    "digits": lambda t: between(t, [str(n % 10) for n in range(1, 30)]),
    "one digit": lambda t: in_one_gap(t, "8"),
    "latin letters": lambda t: between(t, list("abcdefghijklmnopqrstuvwxyz")),
    "latin word": lambda t: in_one_gap(t, "OK"),
    "spaces": lambda t: between(t, " "),
    "full-width letters and spaces": lambda t: between(t, ["ａ", "\u3000", "Ｚ", "１"]),
    "bold markup": lambda t: wrapped(t, "b"),
    "span with style": lambda t: wrapped(t, "span", ' style="color:red"'),
    "markup between every character": lambda t: between(t, ["<i>", "</i>"]),
    "emoji": lambda t: between(t, ["😤", "🙄", "👍"]),
    "zero-width": lambda t: between(t, "\u200b"),
    "zero-width joiner and bom": lambda t: between(t, ["\u200d", "\ufeff"]),
    "punctuation between every character": lambda t: between(t, "，"),
    "dots": lambda t: between(t, "."),
    "asterisks and dashes": lambda t: between(t, ["*", "-", "_"]),
    "newlines": lambda t: between(t, "\n"),
    "simplified": TO_SIMPLIFIED.convert,
    "simplified with digits": lambda t: between(TO_SIMPLIFIED.convert(t), "2"),
    "polite 您": lambda t: t.replace("你", "您"),
    "mixed": mixed,
}

SENTENCES = [
    "業主您好，關於您的報修：{}。謝謝！",
    "王先生：{}！",
    "{}",
    "跟您說過了，{}",
    "回覆：{}。",
    "通知\n{}\n物業管理處",
    "<p>{}</p>",
    "師傅說：「{}」",
]

DISGUISED: list[tuple[str, str]] = []
for phrase in PHRASES:
    DISGUISED.append(("as listed", phrase))
    for name, disguise in DISGUISES.items():
        if "，" in phrase and name in {"one digit", "latin word", "bold markup", "span with style"}:
            continue  # these are for the phrases without a listed break
        text = disguise(phrase)
        sentence = SENTENCES[len(DISGUISED) % len(SENTENCES)]
        DISGUISED.append((name, sentence.format(text)))

# Regional and everyday variants, written by hand.
HAND_WRITTEN = [
    ("cantonese", "急咩，等一下"),
    ("cantonese", "急乜嘢，等陣啦"),
    ("cantonese", "急乜呀"),
    ("cantonese", "你有完冇完，有意見搵上司去"),
    ("cantonese", "有完冇完呀你"),
    ("cantonese", "搵邊個都冇用"),
    ("cantonese", "你搵邊個都冇用㗎"),
    ("cantonese", "我點知幾時辦好"),
    ("cantonese", "我點知道幾時辦好呀"),
    ("cantonese", "仲未返工，等陣辦"),
    ("cantonese", "冇睇到我一直喺度忙咩"),
    ("cantonese", "冇睇我喺度忙咩"),
    ("cantonese", "咪煩啦"),
    ("cantonese", "唔好煩我"),
    ("cantonese", "你講咩我唔明"),
    ("cantonese", "你問我，我問邊個"),
    ("cantonese", "我問邊個呀"),
    ("cantonese", "唔係同你講咗咩，點解仲唔明白"),
    ("cantonese", "點解唔早啲嚟，快收工喇，聽日再嚟辦"),
    ("cantonese", "呢個唔歸我管"),
    ("cantonese", "唔歸我管"),
    ("cantonese in simplified", "急咩，等阵"),
    ("cantonese in simplified", "搵边个都冇用"),
    ("cantonese in simplified", "呢个唔归我管"),
    ("cantonese in simplified", "冇睇到我一直喺度忙咩"),
    ("mandarin variant", "不是跟你講了嗎，怎麼還不明白"),
    ("mandarin variant", "不是跟你說了嗎？"),
    ("mandarin variant", "不是和你講了嗎"),
    ("mandarin variant", "沒看到我在忙嗎"),
    ("mandarin variant", "沒看見我一直在忙嗎"),
    ("mandarin variant", "急啥，等會兒"),
    ("mandarin variant", "急啥子"),
    ("mandarin variant", "我怎麼知道啥時候辦好"),
    ("mandarin variant", "你講啥我不懂"),
    ("mandarin variant", "怎麼不早點來，快下班了，明天再來辦"),
    ("mandarin variant", "怎麼不早一點來"),
    ("mandarin variant", "你有完沒完？有意見找主管去"),
    ("mandarin variant", "不要煩了"),
    ("mandarin variant", "別煩我！"),
    ("mandarin variant", "還未上班，等等辦"),
    ("mandarin variant", "還沒開工，等一會兒辦"),
    ("mandarin variant", "這個不歸我管"),
    ("variant form", "説什麼我不懂"),
    ("variant form", "你講甚麼我不懂"),
    ("variant form", "急甚麽"),
    ("kangxi radical", "急什麼等⼀下"),
    ("compatibility ideograph", "你講什麼我不懂".replace("不", "\uf967")),
    ("mixed", "急1什2麼3等4一5下"),
    ("mixed", "急<b>什</b>麼，等一下"),
    ("mixed", "急 什么，等一下"),
    ("mixed", "急😤什😤么"),
    ("mixed", "別\u200b煩\u200b啦"),
    ("mixed", "找 誰 都 沒 用"),
    ("mixed", "找誰都沒用 ！！"),
    ("mixed", "有完沒完…有意見找領導去"),
    ("mixed", "我不知道，这不归我管"),
    ("mixed", "你问我，我问谁？"),
    ("mixed", "沒·看·我·一·直·在·忙·嗎"),
    ("mixed", "急什，麼"),
    ("mixed", "急，什麼"),
    ("mixed", "急，什麼？等一下！"),
    ("mixed", "找誰，都沒用"),
    ("mixed", "好的。找誰，都沒用啦"),
    ("mixed", "我問，誰"),
    ("mixed", "別，煩啦"),
    ("mixed", "還沒上班，等一下辦吧"),
    ("mixed", "我怎麼知道，什麼時候辦好"),
    ("mixed", "急什麼！！！等一下"),
    ("mixed", "急<span>，</span>什麼"),
    ("mixed", "急，x什麼"),
    ("mixed", "急1，什麼時候修好由我們定"),
    ("mixed", "ＪＩ急ＳＨＥＮ什ＭＥ麼"),
    ("mixed", "急\t什\t麼"),
    ("mixed", "急\x00什\x1f麼"),
    ("mixed", "急 (什) 麼"),
    ("mixed", "急【什】麼"),
    ("mixed", "別~煩~啦~"),
    ("mixed", "你有完沒完😡😡有意見找領導去"),
    ("mixed", "不是給你講了嗎？？怎麼還不明白！"),
    ("in a sentence", "師傅說急什麼，等一下就到"),
    ("in a sentence", "跟您說了找誰都沒用，就這樣吧"),
    ("in a sentence", "您好，這不歸我管，請您自己去問"),
    ("in a sentence", "沒看我在忙嗎？晚點再說"),
    ("in a sentence", "業主：您又來了，有完沒完"),
    ("in a sentence", "今天別煩了，明天再說"),
    ("in a sentence", "說了多少遍，我怎麼知道什麼時候辦好"),
    ("in a sentence", "维修的事我不知道，这不归我管"),
]
DISGUISED += HAND_WRITTEN
