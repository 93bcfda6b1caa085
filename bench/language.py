"""Forbidden-phrase guard benchmark: a 500-character reply checked against a 500-phrase list.

Target (issue 7): ≥ 10,000 checks a second on one core. The list is the seed's standard list
plus generated phrases of 2–8 common characters; the replies are realistic office replies,
clean (the usual case), with a disguised forbidden phrase in them (the slow path: the span is
mapped back to the original text and its gaps read), and civil ones that share a listed
phrase's characters across a clause break (read, then let through).
"""

from __future__ import annotations

import random
import time

from estate.language.matching import PhraseMatcher, skeleton
from estate.language.standard import FORBIDDEN

COMMON = (
    "的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過"
    "家學對可她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本"
    "見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己"
)
REPLY = (
    "您好！關於您反映的廚房水管漏水問題，維修班師傅已於今天下午三點上門檢查，"
    "更換了老化的接頭並做了試水，目前已無滲漏。如仍有問題，請隨時致電管理處，"
    "我們會第一時間安排。感謝您的理解與支持，祝您生活愉快！"
)


def phrase_list(size: int, rng: random.Random, avoid: str) -> list[tuple[int, str]]:
    """The standard list, then generated phrases that do not occur in ``avoid`` (the clean reply)."""
    phrases = [entry for _listed, entries, _situation in FORBIDDEN for entry in entries]
    while len(phrases) < size:
        phrase = "".join(rng.choice(COMMON) for _ in range(rng.randint(2, 8)))
        if phrase not in avoid:
            phrases.append(phrase)
    return list(enumerate(phrases[:size]))


def rate(matcher: PhraseMatcher, text: str, seconds: float = 2.0) -> float:
    done = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(200):
            matcher.find(text)
        done += 200
    return done / (time.perf_counter() - started)


def main() -> None:
    rng = random.Random(7)
    clean = (REPLY * 10)[:500]
    dirty = clean[:240] + "急 什么，等一下" + clean[248:]  # the same length
    markup = clean[:240] + "急<b>什</b>麼" + clean[250:]
    civil = clean[:240] + "您不用急，什麼時候" + clean[249:]
    phrases = phrase_list(500, rng, avoid=skeleton(clean))
    started = time.perf_counter()
    matcher = PhraseMatcher(phrases)
    print(
        f"{'build the matcher for 500 phrases':<56} {(time.perf_counter() - started) * 1000:9.1f} ms"
    )
    matcher.find("預熱")  # builds the folding table once
    assert len(clean) == len(dirty) == len(markup) == len(civil) == 500
    assert not matcher.find(clean)
    assert matcher.find(dirty)
    assert matcher.find(markup)
    assert not matcher.find(civil)
    print(f"{'500-char reply, no hit':<56} {rate(matcher, clean):9.0f} checks/s")
    print(
        f"{'500-char reply with a disguised forbidden phrase':<56} {rate(matcher, dirty):9.0f} checks/s"
    )
    print(
        f"{'500-char reply, a phrase in markup (「急<b>什</b>麼」)':<56} {rate(matcher, markup):9.0f} checks/s"
    )
    print(
        f"{'500-char civil reply, 「急，什麼」 across a clause break':<56} {rate(matcher, civil):9.0f} checks/s"
    )
