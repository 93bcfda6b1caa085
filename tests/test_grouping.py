"""Grouping complaints and opinions about the same matter, measured on a labelled fixture of 79 texts."""

from estate.visits.grouping import Entry, features, group, pairwise_scores, topics
from tests.fixtures.common_issues import CASES, expected_pairs


def test_grouping_finds_the_matters_with_precision_and_recall_of_at_least_0_8():
    entries = [Entry(text=text, building=building) for _matter, building, _kind, text in CASES]
    found = group(entries)
    precision, recall = pairwise_scores(found, [matter for matter, *_rest in CASES])
    print(
        f"grouping: precision {precision:.3f}, recall {recall:.3f}, {len(set(found))} groups for 19 matters"
    )
    assert precision >= 0.8
    assert recall >= 0.8


def test_pairwise_scores_agree_with_the_fixtures_pairs():
    truth = [matter for matter, *_rest in CASES]
    perfect = [sorted(set(truth)).index(matter) for matter in truth]
    assert pairwise_scores(perfect, truth) == (1.0, 1.0)
    predicted_pairs = {
        (i, j)
        for i in range(len(truth))
        for j in range(i + 1, len(truth))
        if perfect[i] == perfect[j]
    }
    assert predicted_pairs == expected_pairs()


def test_simplified_and_traditional_are_the_same_text():
    assert features("电梯又坏了") == features("電梯又壞了")
    assert topics("停车费涨价") == topics("停車費漲價") == {"parking", "fee"}


def test_unrelated_texts_stay_apart():
    entries = [
        Entry("電梯壞了，老人下不了樓"),
        Entry("垃圾站很臭，蒼蠅很多"),
        Entry("路燈不亮，晚上很黑"),
    ]
    assert len(set(group(entries))) == 3
