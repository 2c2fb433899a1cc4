"""tendering.weights: the criteria total exactly 100 %, and so do the sub-criteria of each
criterion. Tables of cases, then Hypothesis properties."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tendering.weights import (
    CriterionWeights,
    WeightError,
    effective_weights,
    format_percent,
    model_problems,
    weight_clean,
    weight_total,
    weights_check,
)

D = Decimal


@pytest.mark.parametrize(
    "weights, total",
    [
        ({"kvalitet": D("60"), "pris": D("40")}, D("100.00")),
        ({"a": D("33.33"), "b": D("33.33"), "c": D("33.34")}, D("100.00")),
        ({"alt": D("100")}, D("100.00")),
        ({"a": D("0"), "b": D("100.00")}, D("100.00")),
    ],
)
def test_weights_that_total_100_are_accepted(weights, total):
    cleaned = weights_check(weights)
    assert sum(cleaned.values()) == total
    assert set(cleaned) == set(weights)


@pytest.mark.parametrize(
    "weights, code, message",
    [
        ({}, "empty", "Det er ingen tildelingskriterier å vekte."),
        ({"a": D("33.33"), "b": D("33.33"), "c": D("33.33")}, "total", "Vektene summerer til 99,99 %, men må bli nøyaktig 100 %."),
        ({"a": D("60"), "b": D("60")}, "total", "Vektene summerer til 120 %, men må bli nøyaktig 100 %."),
        ({"a": D("50")}, "total", "Vektene summerer til 50 %, men må bli nøyaktig 100 %."),
        ({"a": D("-10"), "b": D("110")}, "negative", "En vekt kan ikke være negativ."),
        ({"a": D("100.5")}, "not_a_weight", "En vekt må være et tall mellom 0 og 100."),
        ({"a": D("33.333"), "b": D("66.667")}, "too_many_decimals", "Vekter oppgis med høyst to desimaler."),
        ({"a": D("NaN")}, "not_a_weight", "En vekt må være et tall mellom 0 og 100."),
        ({"a": D("Infinity")}, "not_a_weight", "En vekt må være et tall mellom 0 og 100."),
        ({"a": D("1E+999")}, "not_a_weight", "En vekt må være et tall mellom 0 og 100."),
        ({"a": "femti"}, "not_a_weight", "En vekt må være et tall mellom 0 og 100."),
        ({"a": None}, "not_a_weight", "En vekt må være et tall mellom 0 og 100."),
    ],
)
def test_weights_that_cannot_be_used_are_refused_with_a_reason(weights, code, message):
    with pytest.raises(WeightError) as caught:
        weights_check(weights)
    assert caught.value.code == code
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "criteria, problems",
    [
        # price 40, quality 60 split in two sub-criteria of 50 % each
        ([CriterionWeights("pris", D(40)), CriterionWeights("kvalitet", D(60), {"a": D(50), "b": D(50)})], []),
        # the criteria total 100, but the sub-criteria do not
        ([CriterionWeights("pris", D(40)), CriterionWeights("kvalitet", D(60), {"a": D(50), "b": D(40)})], [("kvalitet", "total")]),
        # both levels wrong: the criteria first, then the criterion
        ([CriterionWeights("pris", D(30)), CriterionWeights("kvalitet", D(60), {"a": D(70)})], [(None, "total"), ("kvalitet", "total")]),
        # no criteria at all
        ([], [(None, "empty")]),
    ],
)
def test_every_level_of_the_model_is_checked(criteria, problems):
    assert [(p.criterion, p.error.code) for p in model_problems(criteria)] == problems


def test_effective_weights_are_the_share_of_the_total():
    criteria = [
        CriterionWeights("pris", D(40)),
        CriterionWeights("kvalitet", D(60), {"funksjon": D(50), "service": D(25), "plan": D(25)}),
    ]
    assert effective_weights(criteria) == {"pris": D(40), "funksjon": D(30), "service": D(15), "plan": D(15)}


@pytest.mark.parametrize(
    "values, total",
    [([D("60"), "40"], D("100.00")), ([D("60"), "NaN", None, "abc"], D("60.00")), ([], D("0.00")), ([D("-5"), D("5")], D("5.00"))],
)
def test_the_running_total_counts_only_usable_weights(values, total):
    assert weight_total(values) == total


@pytest.mark.parametrize("value, text", [(D("100"), "100"), (D("33.30"), "33,3"), (D("0.05"), "0,05"), (D("99.99"), "99,99")])
def test_percent_is_written_with_a_decimal_comma(value, text):
    assert format_percent(value) == text


# ----------------------------------------------------------------------------- properties

hundredths = st.integers(min_value=0, max_value=10_000).map(lambda n: D(n) / 100)


@st.composite
def weights_totalling_100(draw, max_size: int = 8):
    """Cuts of 0..10 000 hundredths: weights of at most two decimals that total exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=max_size - 1)))
    bounds = [0, *cuts, 10_000]
    return {f"k{i}": D(b - a) / 100 for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))}


@settings(deadline=None)
@given(weights_totalling_100())
def test_any_split_of_100_is_accepted_exactly(weights):
    assert sum(weights_check(weights).values()) == D(100)


@settings(deadline=None)
@given(weights_totalling_100(), st.integers(min_value=1, max_value=10_000))
def test_moving_any_weight_off_100_is_refused(weights, delta):
    key = sorted(weights)[0]
    changed = dict(weights)
    changed[key] = weights[key] + D(delta) / 100
    if changed[key] > 100:
        changed[key] = weights[key] - D(delta) / 100
    if changed[key] < 0 or changed[key] == weights[key]:
        return
    with pytest.raises(WeightError):
        weights_check(changed)


@settings(deadline=None)
@given(st.lists(weights_totalling_100(max_size=4), min_size=1, max_size=5), st.data())
def test_leaves_of_a_valid_model_total_100(subs, data):
    tops = data.draw(weights_totalling_100(max_size=len(subs)).filter(lambda w: len(w) == len(subs)))
    criteria = [CriterionWeights(key, weight, {f"{key}.{k}": v for k, v in sub.items()}) for (key, weight), sub in zip(tops.items(), subs, strict=True)]
    assert model_problems(criteria) == []
    assert sum(effective_weights(criteria).values()) == D(100)


@settings(deadline=None)
@given(hundredths)
def test_a_weight_of_two_decimals_cleans_to_itself(weight):
    assert weight_clean(weight) == weight
