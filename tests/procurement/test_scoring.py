"""procurement.scoring.price_score: DFØ's linear and proportional price formulas, by a table of
worked cases and Hypothesis properties."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.scoring import LINEAR, PROPORTIONAL, PriceScoreError, price_score

D = Decimal


@pytest.mark.parametrize(
    "price, lowest, model, clamp, score",
    [
        (100, 100, LINEAR, False, D(10)),
        (100, 100, PROPORTIONAL, False, D(10)),
        # 10 − 10 × (150 − 100) / 100 = 5; 10 × 100 / 150 = 6,666…
        (150, 100, LINEAR, False, D(5)),
        (150, 100, PROPORTIONAL, False, D(10) * 100 / 150),
        # twice the lowest price: 0 linear, 5 proportional
        (200, 100, LINEAR, False, D(0)),
        (200, 100, PROPORTIONAL, False, D(5)),
        # three times: linear goes negative unless clamped (KOFA 2015/60 accepts negatives)
        (300, 100, LINEAR, False, D(-10)),
        (300, 100, LINEAR, True, D(0)),
        (300, 100, PROPORTIONAL, True, D(10) / 3),
        (D("1250000"), D("1000000"), LINEAR, False, D("7.5")),
        (D("1250000"), D("1000000"), PROPORTIONAL, False, D(8)),
    ],
)
def test_worked_cases(price, lowest, model, clamp, score):
    assert price_score(price, lowest, model, clamp) == score


@pytest.mark.parametrize(
    "price, lowest, model, code",
    [
        (100, 100, "auction", "model"),
        (0, 100, LINEAR, "not_a_price"),
        (100, 0, LINEAR, "not_a_price"),
        (-5, -10, PROPORTIONAL, "not_a_price"),
        ("NaN", 100, LINEAR, "not_a_price"),
        (D("Infinity"), 100, LINEAR, "not_a_price"),
        ("hundre", 100, LINEAR, "not_a_price"),
        (90, 100, LINEAR, "below_lowest"),
    ],
)
def test_prices_that_cannot_be_scored(price, lowest, model, code):
    with pytest.raises(PriceScoreError) as caught:
        price_score(price, lowest, model)
    assert caught.value.code == code


prices = st.decimals(min_value=D("0.01"), max_value=D("1000000000"), places=2, allow_nan=False, allow_infinity=False)


@st.composite
def lowest_and_price(draw):
    lowest = draw(prices)
    extra = draw(st.decimals(min_value=D(0), max_value=D("1000000000"), places=2, allow_nan=False, allow_infinity=False))
    return lowest, lowest + extra


@settings(deadline=None)
@given(lowest_and_price())
def test_the_lowest_price_gets_10_and_no_one_gets_more(pair):
    lowest, price = pair
    for model in (LINEAR, PROPORTIONAL):
        assert price_score(lowest, lowest, model) == 10
        assert price_score(price, lowest, model) <= 10


@settings(deadline=None)
@given(lowest_and_price())
def test_proportional_stays_above_0_and_never_below_linear(pair):
    # 10 / r ≥ 10 × (2 − r) for r = Pe / Pb ≥ 1, since (r − 1)² ≥ 0
    lowest, price = pair
    proportional = price_score(price, lowest, PROPORTIONAL)
    assert 0 < proportional
    assert proportional >= price_score(price, lowest, LINEAR) - D("1e-20")


@settings(deadline=None)
@given(lowest_and_price(), lowest_and_price())
def test_a_higher_price_never_scores_more(first, second):
    lowest = min(first[0], second[0])
    low, high = sorted((max(first[1], lowest), max(second[1], lowest)))
    for model in (LINEAR, PROPORTIONAL):
        assert price_score(high, lowest, model) <= price_score(low, lowest, model)


@settings(deadline=None)
@given(lowest_and_price())
def test_clamping_only_lifts_negative_linear_scores_to_0(pair):
    lowest, price = pair
    raw = price_score(price, lowest, LINEAR)
    clamped = price_score(price, lowest, LINEAR, clamp=True)
    assert clamped == max(raw, 0)


def test_the_signature_of_the_issue():
    # price_score(offered, lowest, model="linear" | "proportional", clamp=False) -> Decimal
    assert price_score(offered=150, lowest=100) == D(5)
    assert price_score(offered=300, lowest=100, model="linear", clamp=True) == D(0)
    assert price_score(offered=200, lowest=100, model="proportional") == D(5)
    assert isinstance(price_score(123, 100), Decimal)
    # the older keyword still works
    assert price_score(300, 100, LINEAR, clamp_at_zero=True) == D(0)
