"""evaluation.calc: totals (sum of weight × score), ranking and the scale-usage warning, by
tables of worked cases and Hypothesis properties; price scores feed the totals through
procurement.scoring.price_score exactly as an evaluation does."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.calc import EvaluationError, Ranked, ranking, scale_usage, weighted_total
from procurement.scoring import price_score

D = Decimal


@pytest.mark.parametrize(
    "scores, weights, total",
    [
        ({"q": 10, "p": 10}, {"q": 60, "p": 40}, D(10)),
        ({"q": 0, "p": 0}, {"q": 60, "p": 40}, D(0)),
        # 0.6 × 8 + 0.4 × 5 = 6.8
        ({"q": 8, "p": 5}, {"q": 60, "p": 40}, D("6.8")),
        # a negative linear price score lowers the total (KOFA 2015/60)
        ({"q": 10, "p": -10}, {"q": 50, "p": 50}, D(0)),
        # fractional weights: 0.335 × 9 + 0.335 × 6 + 0.33 × 3 = 6.015
        ({"a": 9, "b": 6, "c": 3}, {"a": D("33.5"), "b": D("33.5"), "c": D(33)}, D("6.015")),
        ({"only": 7}, {"only": 100}, D(7)),
    ],
)
def test_weighted_total_table(scores, weights, total):
    assert weighted_total(scores, weights) == total


@pytest.mark.parametrize(
    "scores, weights, code",
    [
        ({"q": 8, "p": 5}, {"q": 60, "p": 30}, "weights"),  # 90 %
        ({"q": 8, "p": 5}, {"q": 70, "p": 40}, "weights"),  # 110 %
        ({"q": 8, "p": 5}, {"q": 120, "p": -20}, "weights"),
        ({"q": 8}, {"q": 60, "p": 40}, "missing"),
        ({"q": 8, "p": None}, {"q": 60, "p": 40}, "missing"),
        ({"q": 11, "p": 5}, {"q": 60, "p": 40}, "score"),
        ({"q": "NaN", "p": 5}, {"q": 60, "p": 40}, "score"),
        ({"q": D("Infinity"), "p": 5}, {"q": 60, "p": 40}, "score"),
        ({"q": "ti", "p": 5}, {"q": 60, "p": 40}, "score"),
    ],
)
def test_weighted_total_refuses(scores, weights, code):
    with pytest.raises(EvaluationError) as caught:
        weighted_total(scores, weights)
    assert caught.value.code == code


def test_a_worked_evaluation_with_prices():
    # Quality 60 %, price 40 % linear; prices 1 000 000, 1 250 000 and 3 000 000.
    prices = {"A": D(1_000_000), "B": D(1_250_000), "C": D(3_000_000)}
    quality = {"A": 5, "B": 9, "C": 10}
    lowest = min(prices.values())
    totals = {
        k: weighted_total({"q": quality[k], "p": price_score(prices[k], lowest, "linear")}, {"q": 60, "p": 40}) for k in prices
    }
    # A: 3 + 4 = 7; B: 5.4 + 3 = 8.4; C: 6 + 0.4 × (−10) = 2
    assert totals == {"A": D(7), "B": D("8.4"), "C": D(2)}
    assert [r.key for r in ranking(totals)] == ["B", "A", "C"]
    clamped = weighted_total({"q": 10, "p": price_score(prices["C"], lowest, "linear", clamp=True)}, {"q": 60, "p": 40})
    assert clamped == D(6)
    proportional = weighted_total({"q": 10, "p": price_score(prices["C"], lowest, "proportional")}, {"q": 60, "p": 40})
    assert proportional == D(6) + D(4) / 3


@pytest.mark.parametrize(
    "totals, expected",
    [
        ({}, []),
        ({"A": D(7)}, [(1, "A")]),
        ({"A": D(7), "B": D("8.4"), "C": D(2)}, [(1, "B"), (2, "A"), (3, "C")]),
        # a tie shares the better rank; the next rank skips
        ({"A": D(7), "B": D(7), "C": D(2)}, [(1, "A"), (1, "B"), (3, "C")]),
        ({"A": D(2), "B": D(7), "C": D(7)}, [(1, "B"), (1, "C"), (3, "A")]),
        ({"A": D(-1), "B": D(0)}, [(1, "B"), (2, "A")]),
    ],
)
def test_ranking_table(totals, expected):
    assert [(r.rank, r.key) for r in ranking(totals)] == expected


@pytest.mark.parametrize(
    "scores, top_unused, narrow, warning",
    [
        ([], False, False, False),
        ([5], False, False, False),  # nothing to compare
        ([10, 4, 0], False, False, False),  # the whole scale
        ([10, 7], False, True, True),  # top used, but only 3 points apart
        ([8, 4], True, False, True),  # nobody got 10
        ([5, 6, 6], True, True, True),  # seed 002: the middle of the scale only
        ([10, 6], False, False, False),
    ],
)
def test_scale_usage_table(scores, top_unused, narrow, warning):
    usage = scale_usage(scores)
    assert (usage.top_unused, usage.narrow, usage.warning) == (top_unused, narrow, warning)


def test_scale_usage_refuses_scores_off_the_scale():
    for bad in ([11], [-1], [3, 12]):
        with pytest.raises(EvaluationError):
            scale_usage(bad)


scores_st = st.integers(min_value=0, max_value=10)
weights_st = st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=6).filter(lambda w: sum(w) > 0)


def _to_100(raw: list[int]) -> list[Decimal]:
    """Percentages with two decimals that total exactly 100."""
    total = sum(raw)
    weights = [(D(w) * 100 / total).quantize(D("0.01")) for w in raw]
    largest = max(range(len(weights)), key=lambda i: weights[i])
    weights[largest] += D(100) - sum(weights)
    return weights


@settings(deadline=None)
@given(weights_st, st.data())
def test_total_stays_on_the_scale_and_between_the_extremes(raw, data):
    weights = dict(enumerate(_to_100(raw)))
    scores = {k: data.draw(scores_st) for k in weights}
    total = weighted_total(scores, weights)
    positive = [scores[k] for k, w in weights.items() if w > 0]
    assert min(positive) <= total <= max(positive)
    assert 0 <= total <= 10


@settings(deadline=None)
@given(weights_st, st.data())
def test_a_better_score_never_lowers_the_total(raw, data):
    weights = dict(enumerate(_to_100(raw)))
    scores = {k: data.draw(st.integers(min_value=0, max_value=9)) for k in weights}
    better = dict(scores)
    key = data.draw(st.sampled_from(sorted(weights)))
    better[key] += 1
    assert weighted_total(better, weights) >= weighted_total(scores, weights)


@given(st.dictionaries(st.integers(), st.decimals(min_value=-10, max_value=10, places=2), max_size=12))
def test_ranking_is_ordered_and_ranks_are_competition_ranks(totals):
    rows = ranking(totals)
    assert sorted(r.key for r in rows) == sorted(totals)
    assert all(isinstance(r, Ranked) for r in rows)
    for a, b in zip(rows, rows[1:], strict=False):
        assert a.total >= b.total
        assert (a.rank == b.rank) == (a.total == b.total)
    for r in rows:
        assert r.rank == 1 + sum(1 for t in totals.values() if t > r.total)


@given(st.lists(scores_st, max_size=20))
def test_scale_usage_warns_exactly_when_the_top_or_the_span_is_missing(scores):
    usage = scale_usage(scores)
    if len(scores) < 2:
        assert not usage.warning
    else:
        assert usage.warning == (max(scores) < 10 or max(scores) - min(scores) < 4)
