"""Grouping what many households raise about the same matter (R-A4.4), for Chinese text.

Two signals, after folding Simplified into Traditional:
- topics: words residents use for the usual matters of a property office (電梯, 停車, 垃圾 …,
  the ``TOPICS`` table); texts about the same topics are usually about the same matter;
- character pairs (bigrams), weighted by how rare they are in the batch (TF-IDF), so 物業 or
  希望, which everyone writes, count for little; Chinese has no spaces to split words on.
Texts from the same building get a small bonus (a lift or a bin station is a local matter).
Texts are grouped by average-linkage clustering of the batch, so the result does not depend
on the order they arrived in; below the threshold a text stays in a group of its own.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc

THRESHOLD = 0.35
SAME_BUILDING_BONUS = 0.1
TOPIC_WEIGHT = 0.7

# Topics of a property office, each named by the words residents use for it (Traditional form;
# Simplified input is folded first). Two texts about the same topic are about the same matter far
# more often than two texts that merely share characters. Offices may extend this list.
TOPICS: dict[str, tuple[str, ...]] = {
    "lift": ("電梯", "轎廂", "升降", "維保", "年檢", "關在裡面", "困人"),
    "parking": ("停車", "車位", "月卡", "泊車", "訪客停"),
    "fee": ("收費", "漲價", "漲", "租金", "管理費", "費用", "多少錢", "塊錢", "減免"),
    "noise": (
        "噪音",
        "吵",
        "音響",
        "音箱",
        "音樂",
        "喇叭",
        "跳舞",
        "廣場舞",
        "聲音",
        "狂叫",
        "打電鑽",
    ),
    "garbage": ("垃圾", "大桶", "清運", "惡臭", "餿", "除臭", "蒼蠅", "臭氣", "收集點", "中轉"),
    "access": ("門禁", "刷卡", "閘機", "人臉識別", "開門", "門卡", "卡失效", "錄入信息", "補辦"),
    "dog": ("狗", "流浪", "收容", "拴繩"),
    "leak": ("漏水", "滲水", "滴水", "積水", "防水", "水漬", "長霉", "裂了", "往下流"),
    "garage": ("車庫", "地庫", "停車場", "負一層", "地下"),
    "water_pressure": (
        "水壓",
        "供水",
        "增壓",
        "加壓",
        "進水",
        "出水",
        "水龍頭",
        "花灑",
        "自來水",
        "高層",
        "高區",
        "停水",
    ),
    "hot_water": ("熱水", "鍋爐", "冷的", "溫的", "燒水"),
    "cleaning": (
        "打掃",
        "清理",
        "保潔",
        "擦",
        "拖地",
        "灰",
        "煙頭",
        "樓梯",
        "樓道",
        "步梯",
        "扶手",
        "排班",
    ),
    "pond": ("蚊", "孑孓", "水池", "池子", "水景", "噴泉", "人工湖", "死水", "循環泵"),
    "light": ("路燈", "燈"),
    "tree": ("樹", "修剪", "綠化"),
    "renovation": ("裝修", "施工", "電鑽"),
    "invoice": ("發票", "報銷"),
    "charging": ("充電",),
    "air_conditioner": ("空調", "冷凝水"),
    "door": ("閉門器",),
}
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def topics(text: str) -> frozenset[str]:
    folded = _to_traditional().convert(text)
    return frozenset(
        name for name, words in TOPICS.items() if any(word in folded for word in words)
    )


def features(text: str) -> Counter[str]:
    """Character pairs and single characters of the Han text, in Traditional form."""
    han = _NOT_HAN.sub(" ", _to_traditional().convert(text))
    found: Counter[str] = Counter()
    for run in han.split():
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found


@dataclass(frozen=True)
class Entry:
    text: str
    building: str = ""


def _idf(bags: Sequence[Counter[str]]) -> dict[str, float]:
    documents = Counter(term for bag in bags for term in bag)
    total = len(bags)
    return {term: math.log((1 + total) / (1 + count)) + 1 for term, count in documents.items()}


def _vector(bag: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    weights = {term: (1 + math.log(count)) * idf.get(term, 1.0) for term, count in bag.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def similarity_matrix(entries: Sequence[Entry]) -> list[list[float]]:
    bags = [features(entry.text) for entry in entries]
    idf = _idf(bags)
    vectors = [_vector(bag, idf) for bag in bags]
    tags = [topics(entry.text) for entry in entries]
    size = len(entries)
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            union = tags[i] | tags[j]
            shared = len(tags[i] & tags[j]) / len(union) if union else 0.0
            score = TOPIC_WEIGHT * shared + (1 - TOPIC_WEIGHT) * _cosine(vectors[i], vectors[j])
            if entries[i].building and entries[i].building == entries[j].building:
                score += SAME_BUILDING_BONUS
            matrix[i][j] = matrix[j][i] = score
    return matrix


def pairwise_scores(found: Sequence[int], truth: Sequence[str]) -> tuple[float, float]:
    """Precision and recall over pairs of entries put in the same group."""
    predicted = {
        (i, j) for i in range(len(found)) for j in range(i + 1, len(found)) if found[i] == found[j]
    }
    expected = {
        (i, j) for i in range(len(truth)) for j in range(i + 1, len(truth)) if truth[i] == truth[j]
    }
    hits = len(predicted & expected)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(expected) if expected else 1.0
    return precision, recall


def group(entries: Sequence[Entry], threshold: float = THRESHOLD) -> list[int]:
    """Average-linkage clustering of a whole batch: repeatedly join the two most similar groups
    while their average similarity stays above the threshold (independent of arrival order)."""
    matrix = similarity_matrix(entries)
    clusters: dict[int, list[int]] = {i: [i] for i in range(len(entries))}

    def linkage(a: list[int], b: list[int]) -> float:
        return sum(matrix[i][j] for i in a for j in b) / (len(a) * len(b))

    while len(clusters) > 1:
        keys = list(clusters)
        best, pair = threshold, None
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                score = linkage(clusters[keys[x]], clusters[keys[y]])
                if score >= best:
                    best, pair = score, (keys[x], keys[y])
        if pair is None:
            break
        clusters[pair[0]].extend(clusters.pop(pair[1]))
    found = [0] * len(entries)
    for number, members in enumerate(clusters.values()):
        for index in members:
            found[index] = number
    return found
