"""Cost-sharing keys (procurement/cost_sharing.py): pure functions, tested with tables of
cases and Hypothesis properties. No database."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.cost_sharing import CostShareError, custom_shares, equal_shares, population_shares

D = Decimal
HUNDRED = D("100.00")
CENT = D("0.01")


# ------------------------------------------------------------------ tables of cases


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["a"], {"a": D("100.00")}),
        (["a", "b"], {"a": D("50.00"), "b": D("50.00")}),
        # 33.333..: one extra hundredth, to the key that sorts first
        (["a", "b", "c"], {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}),
        (["c", "b", "a"], {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}),
        (["a", "b", "c", "d", "e", "f"], {"a": D("16.67"), "b": D("16.67"), "c": D("16.67"),
                                          "d": D("16.67"), "e": D("16.66"), "f": D("16.66")}),
        ([1, 2, 3, 4, 5, 6, 7], {1: D("14.29"), 2: D("14.29"), 3: D("14.29"), 4: D("14.29"),
                                 5: D("14.28"), 6: D("14.28"), 7: D("14.28")}),
    ],
)
def test_equal_shares_table(keys, expected):
    assert equal_shares(keys) == expected


@pytest.mark.parametrize(
    ("populations", "expected"),
    [
        ({"a": 1, "b": 1}, {"a": D("50.00"), "b": D("50.00")}),
        ({"a": 3, "b": 1}, {"a": D("75.00"), "b": D("25.00")}),
        # 2/3 = 66.666.., 1/3 = 33.333..: the larger remainder (a) gets the hundredth
        ({"a": 2, "b": 1}, {"a": D("66.67"), "b": D("33.33")}),
        ({"a": 10_000, "b": 0}, {"a": D("100.00"), "b": D("0.00")}),
        # Seven municipalities of very different size (total 90 000). Floored: 99.97, so
        # three hundredths go to the largest remainders: k4 (.0077), k1 (.0066), then the
        # tie k3/k5 (.0044) to k3, which sorts first.
        (
            {"k1": 60_000, "k2": 12_000, "k3": 8_500, "k4": 5_200, "k5": 3_100, "k6": 900, "k7": 300},
            {"k1": D("66.67"), "k2": D("13.33"), "k3": D("9.45"), "k4": D("5.78"),
             "k5": D("3.44"), "k6": D("1.00"), "k7": D("0.33")},
        ),
    ],
)
def test_population_shares_table(populations, expected):
    assert population_shares(populations) == expected
    assert sum(expected.values()) == HUNDRED  # the table itself is consistent


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ({"a": D("100")}, {"a": D("100.00")}),
        ({"a": D("60"), "b": D("40")}, {"a": D("60.00"), "b": D("40.00")}),
        ({"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}, {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}),
        ({"a": "99.99", "b": "0.01"}, {"a": D("99.99"), "b": D("0.01")}),  # strings are accepted
        ({"a": D("100.00"), "b": D("0")}, {"a": D("100.00"), "b": D("0.00")}),  # a zero share is allowed
    ],
)
def test_custom_shares_accepted(shares, expected):
    result = custom_shares(shares)
    assert result == expected
    assert all(value.as_tuple().exponent == -2 for value in result.values())


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"a": D("60"), "b": D("39.99")}, "99.99"),
        ({"a": D("60"), "b": D("40.01")}, "100.01"),
        ({"a": D("33.333"), "b": D("66.667")}, "to desimaler"),
        ({"a": D("100.001")}, "to desimaler"),
        ({"a": D("110"), "b": D("-10")}, "negativ"),
        ({}, "0"),
    ],
)
def test_custom_shares_refused(shares, message):
    with pytest.raises(CostShareError, match=message):
        custom_shares(shares)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (equal_shares, []),
        (population_shares, {}),
        (population_shares, {"a": 0, "b": 0}),
        (population_shares, {"a": 10, "b": -1}),
    ],
)
def test_no_key_without_a_positive_weight(call, args):
    with pytest.raises(CostShareError):
        call(args)


# ------------------------------------------------------------------ properties

keys_st = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=60, unique=True)
populations_st = st.dictionaries(
    st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=40
).filter(lambda p: sum(p.values()) > 0)


def _well_formed(shares: dict) -> None:
    assert sum(shares.values(), D("0")) == HUNDRED
    for value in shares.values():
        assert value >= 0
        assert value == value.quantize(CENT)


@given(keys_st)
def test_equal_shares_properties(keys):
    shares = equal_shares(keys)
    assert set(shares) == set(keys)
    _well_formed(shares)
    assert max(shares.values()) - min(shares.values()) <= CENT


@given(keys_st)
def test_equal_shares_do_not_depend_on_input_order(keys):
    assert equal_shares(keys) == equal_shares(list(reversed(keys)))


@given(populations_st)
def test_population_shares_properties(populations):
    shares = population_shares(populations)
    assert set(shares) == set(populations)
    _well_formed(shares)
    total = sum(populations.values())
    for key, population in populations.items():
        # Never more than one hundredth away from the exact proportion.
        assert abs(shares[key] - HUNDRED * D(population) / D(total)) < CENT
    for a in populations:
        for b in populations:
            if populations[a] > populations[b]:
                assert shares[a] >= shares[b]  # ordered like the populations
            if populations[a] == populations[b]:
                assert abs(shares[a] - shares[b]) <= CENT


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30))
def test_custom_shares_accept_any_split_of_10000_hundredths(cuts):
    # Turn random cut points into shares that total exactly 100.00.
    points = sorted({0, 10_000, *cuts})
    hundredths = [b - a for a, b in zip(points, points[1:], strict=False)]
    shares = {index: D(h) / 100 for index, h in enumerate(hundredths)}
    result = custom_shares(shares)
    _well_formed(result)
    assert result == {key: value.quantize(CENT) for key, value in shares.items()}


@given(
    st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=10).filter(lambda v: sum(v) != 10_000)
)
def test_custom_shares_refuse_any_total_but_100(hundredths):
    with pytest.raises(CostShareError, match="100"):
        custom_shares({index: D(h) / 100 for index, h in enumerate(hundredths)})


@settings(max_examples=200)
@given(
    st.decimals(min_value=D("0"), max_value=D("100"), places=6, allow_nan=False, allow_infinity=False).filter(
        lambda d: d != d.quantize(CENT)
    )
)
def test_custom_shares_refuse_more_than_two_decimals(share):
    # The rest makes the total exactly 100, so only the precision is wrong.
    with pytest.raises(CostShareError, match="to desimaler"):
        custom_shares({"a": share, "b": HUNDRED - share})
