"""The pure arithmetic of benefits: tables of cases, and the properties that must hold for
any numbers (sums are additive, conversions round-trip, Decimal throughout)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benefits import value
from benefits.value import Amounts, BenefitValueError, Row

D = Decimal


@pytest.mark.parametrize(
    ("hours", "per_fte", "fte"),
    [
        (D("1695"), D("1695"), D("1")),
        (D("847.5"), D("1695"), D("0.5")),
        (D("0"), D("1695"), D("0")),
        (D("3390"), D("1695"), D("2")),
        (D("1950"), D("1950"), D("1")),
        (D("5085"), D("1695"), D("3")),
    ],
)
def test_fte_from_hours(hours, per_fte, fte):
    assert value.fte_from_hours(hours, per_fte) == fte


def test_fte_uses_the_default_hours_per_fte():
    assert value.fte_from_hours(D("1695")) == 1


@pytest.mark.parametrize("bad", [1.5, "12", D("NaN"), D("Infinity"), True])
def test_floats_text_and_non_finite_numbers_are_refused(bad):
    with pytest.raises(BenefitValueError):
        value.fte_from_hours(bad)


@pytest.mark.parametrize("per_fte", [D("0"), D("-1")])
def test_hours_per_fte_must_be_positive(per_fte):
    with pytest.raises(BenefitValueError):
        value.fte_from_hours(D("10"), per_fte)


@pytest.mark.parametrize(
    ("amount", "months", "per_year"),
    [(D("25000"), 3, D("100000")), (D("1000"), 12, D("1000")), (D("500"), 1, D("6000")), (D("300000"), 24, D("150000"))],
)
def test_nok_per_year(amount, months, per_year):
    assert value.nok_per_year(amount, months) == per_year


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 12, 1), D("100")),  # before the baseline: the baseline
        (date(2026, 1, 1), D("100")),
        (date(2026, 7, 2), D("50")),  # half way (182 of 364 days)
        (date(2026, 12, 31), D("0")),
        (date(2027, 6, 1), D("0")),  # after the target date: the target
    ],
)
def test_planned_value_is_a_straight_line_from_baseline_to_target(on, expected):
    planned = value.planned_value_at(
        baseline=D("100"), baseline_date=date(2026, 1, 1), target=D("0"), target_date=date(2026, 12, 31), on=on
    )
    assert value.rounded(planned) == expected


@pytest.mark.parametrize(
    ("planned", "measured", "deviates", "behind"),
    [
        (D("50"), D("50"), False, False),
        (D("50"), D("59"), False, True),  # 9 of 100: inside 10 %
        (D("50"), D("61"), True, True),  # fewer night visits avoided than planned
        (D("50"), D("39"), True, False),  # ahead of plan is a deviation too
        (D("50"), D("60"), False, True),  # exactly the tolerance
    ],
)
def test_deviation_against_a_falling_target(planned, measured, deviates, behind):
    args = {"baseline": D("100"), "target": D("0"), "planned": planned, "measured": measured}
    assert value.deviates(**args) is deviates
    assert value.behind_plan(**args) is behind


@pytest.mark.parametrize(
    ("kind", "amount", "realised", "planned", "fte_value", "share"),
    [
        (value.GAIN_SHARE_NONE, D("0"), D("100000"), D("100000"), D("0"), D("0")),
        (value.GAIN_SHARE_PERCENT, D("20"), D("100000"), D("200000"), D("0"), D("20000")),
        (value.GAIN_SHARE_PERCENT, D("20"), D("-5000"), D("200000"), D("0"), D("0")),  # nothing of a loss
        (value.GAIN_SHARE_FTE, D("1"), D("1500000"), D("1400000"), D("1101750"), D("1101750")),  # seed 002
        (value.GAIN_SHARE_FTE, D("1"), D("1000000"), D("1400000"), D("1101750"), D("0")),  # not reached yet
        (value.GAIN_SHARE_FTE, D("2"), D("1500000"), D("1400000"), D("1101750"), D("1500000")),  # never more than realised
    ],
)
def test_gain_share(kind, amount, realised, planned, fte_value, share):
    assert value.gain_share(kind=kind, amount=amount, realised_nok=realised, planned_nok=planned, fte_value=fte_value) == share


def test_fte_value_is_hours_times_hourly_cost():
    assert value.fte_value_nok(hours_per_fte=D("1695"), hourly_cost=D("650")) == D("1101750")


def test_a_percentage_over_100_is_refused():
    with pytest.raises(BenefitValueError):
        value.gain_share(kind=value.GAIN_SHARE_PERCENT, amount=D("101"), realised_nok=D("1"), planned_nok=D("1"))


def test_sums_per_municipality_and_total_table():
    rows = [
        Row("Kongsberg", "G1", Amounts(D("100000"), D("300"))),
        Row("Kongsberg", "G2", Amounts(D("50000"), D("0"))),
        Row("Flesberg", "G1", Amounts(D("20000"), D("60"))),
    ]
    assert value.per_municipality(rows) == {
        "Kongsberg": Amounts(D("150000"), D("300")),
        "Flesberg": Amounts(D("20000"), D("60")),
    }
    assert value.per_benefit(rows)["G1"] == Amounts(D("120000"), D("360"))
    assert value.total(rows) == Amounts(D("170000"), D("360"))
    assert value.total([]) == Amounts()


# --- Properties ---------------------------------------------------------------------------

# Built from integers: cheap to draw and shrink, and exactly the numbers the forms allow
# (whole kroner, hours to the hundredth, hours per FTE to the tenth).
money = st.integers(min_value=0, max_value=10**10).map(D)
hours = st.integers(min_value=0, max_value=10**9).map(lambda n: D(n).scaleb(-2))
per_fte = st.integers(min_value=10, max_value=87840).map(lambda n: D(n).scaleb(-1))
rows = st.lists(
    st.builds(Row, st.sampled_from(["A", "B", "C", "D"]), st.sampled_from(["G1", "G2", "G3"]), st.builds(Amounts, money, hours)),
    max_size=20,
)


@given(rows)
def test_the_collaborations_total_is_the_sum_of_the_municipalities(rows):
    assert value.total(rows) == value.total(Row(m, None, a) for m, a in value.per_municipality(rows).items())
    assert value.total(rows) == value.total(Row(None, b, a) for b, a in value.per_benefit(rows).items())


@given(rows, rows)
def test_sums_are_additive(first, second):
    assert value.total(first + second) == value.total(first) + value.total(second)


@given(hours, per_fte)
def test_hours_to_fte_and_back_round_trips_to_the_hundredth(h, p):
    assert value.rounded(value.hours_from_fte(value.fte_from_hours(h, p), p)) == h


@given(hours, hours, per_fte)
def test_fte_of_a_sum_is_the_sum_of_ftes(a, b, p):
    together = value.fte_from_hours(a + b, p)
    apart = value.fte_from_hours(a, p) + value.fte_from_hours(b, p)
    assert abs(together - apart) < D("1e-20")


@given(
    st.integers(min_value=-100000, max_value=100000).map(lambda n: D(n).scaleb(-2)),
    st.integers(min_value=-100000, max_value=100000).map(lambda n: D(n).scaleb(-2)),
    st.integers(min_value=1, max_value=2000),
    st.integers(min_value=-100, max_value=2100),
)
def test_the_planned_value_lies_between_baseline_and_target(baseline, target, span, offset):
    start = date(2026, 1, 1)
    planned = value.planned_value_at(
        baseline=baseline, baseline_date=start, target=target, target_date=start + timedelta(days=span), on=start + timedelta(days=offset)
    )
    assert isinstance(planned, Decimal)
    assert min(baseline, target) <= planned <= max(baseline, target)


@given(
    st.integers(min_value=-100000, max_value=100000).map(lambda n: D(n).scaleb(-2)),
    st.integers(min_value=-100000, max_value=100000).map(lambda n: D(n).scaleb(-2)),
    st.integers(min_value=-500000, max_value=500000).map(lambda n: D(n).scaleb(-2)),
)
def test_the_realised_share_is_between_nothing_and_everything(baseline, target, measured):
    share = value.realised_share(baseline=baseline, target=target, value=measured)
    assert 0 <= share <= 1


@given(money, st.integers(min_value=0, max_value=10000).map(lambda n: D(n).scaleb(-2)))
def test_a_percentage_share_never_exceeds_the_gain(realised, percent):
    share = value.gain_share(kind=value.GAIN_SHARE_PERCENT, amount=percent, realised_nok=realised, planned_nok=realised)
    assert 0 <= share <= realised
