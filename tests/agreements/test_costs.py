"""The yearly maintenance cost split by the cost-sharing key: whole øre that add up exactly."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from agreements.costs import yearly_cost_split
from procurement.cost_sharing import equal_shares, population_shares


def test_a_table_of_splits():
    assert yearly_cost_split(Decimal("600000"), {"a": Decimal("50"), "b": Decimal("50")}) == {"a": Decimal("300000.00"), "b": Decimal("300000.00")}
    assert yearly_cost_split(Decimal("100"), equal_shares(["a", "b", "c"])) == {
        "a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33"),
    }
    assert yearly_cost_split(Decimal("0"), {"a": Decimal("100")}) == {"a": Decimal("0.00")}


@given(
    total=st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False, allow_infinity=False),
    populations=st.dictionaries(st.text(min_size=1, max_size=5), st.integers(min_value=1, max_value=10**6), min_size=1, max_size=25),
)
def test_the_parts_add_up_to_the_total_and_follow_the_key(total, populations):
    shares = population_shares(populations)
    split = yearly_cost_split(total, shares)
    assert sum(split.values()) == total
    assert all(value >= 0 and value == value.quantize(Decimal("0.01")) for value in split.values())
    for key, value in split.items():
        assert abs(value - total * shares[key] / 100) < Decimal("0.02")
