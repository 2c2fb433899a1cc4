"""The arithmetic of benefit realisation: kroner per year, full-time equivalents from hours,
the planned path from baseline to target, deviations, sums per municipality and in total,
and the supplier's share of a gain. Plain Python on Decimal (never float), no Django, so it
can be tested exhaustively; the services and selectors hand it numbers and dates."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

ZERO = Decimal("0")
# Working hours in one full-time equivalent (årsverk). legal.md leaves the figure to each
# collaboration ("hours per FTE configurable"); this is only the default of the settings row.
DEFAULT_HOURS_PER_FTE = Decimal("1695")
DEFAULT_DEVIATION_TOLERANCE_PERCENT = Decimal("10")
# Enough digits that hours -> FTE -> hours comes back to the cent for any realistic number.
PRECISION = 34


class BenefitValueError(ValueError):
    """A number the arithmetic cannot use (negative hours, zero hours per FTE)."""


def _decimal(value, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise BenefitValueError(f"{name} must be a Decimal or an int, not {type(value).__name__}")
    value = Decimal(value)
    if not value.is_finite():
        raise BenefitValueError(f"{name} must be finite")
    return value


def _hours_per_fte(value) -> Decimal:
    value = _decimal(value, "hours_per_fte")
    if value <= 0:
        raise BenefitValueError("hours_per_fte must be positive")
    return value


def fte_from_hours(hours, hours_per_fte=DEFAULT_HOURS_PER_FTE) -> Decimal:
    """Full-time equivalents in HOURS a year (unrounded; round for display only)."""
    hours, hours_per_fte = _decimal(hours, "hours"), _hours_per_fte(hours_per_fte)
    with localcontext() as context:
        context.prec = PRECISION
        return hours / hours_per_fte


def hours_from_fte(fte, hours_per_fte=DEFAULT_HOURS_PER_FTE) -> Decimal:
    fte, hours_per_fte = _decimal(fte, "fte"), _hours_per_fte(hours_per_fte)
    with localcontext() as context:
        context.prec = PRECISION
        return fte * hours_per_fte


def nok_per_year(amount, months) -> Decimal:
    """AMOUNT over a period of MONTHS, as kroner per year (a quarter's saving times four)."""
    amount = _decimal(amount, "amount")
    months = _decimal(months, "months")
    if months <= 0:
        raise BenefitValueError("months must be positive")
    with localcontext() as context:
        context.prec = PRECISION
        return amount * 12 / months


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """VALUE to PLACES decimals, halves away from zero (as people round money by hand)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- The planned path and deviations ---------------------------------------------------


def planned_value_at(*, baseline: Decimal, baseline_date: date, target: Decimal, target_date: date, on: date) -> Decimal:
    """The value the plan expects ON: the baseline until its date, then a straight line to
    the target on the target date, and the target after it."""
    if on <= baseline_date or target_date <= baseline_date:
        return baseline if on < target_date else target
    if on >= target_date:
        return target
    with localcontext() as context:
        context.prec = PRECISION
        elapsed = Decimal((on - baseline_date).days)
        span = Decimal((target_date - baseline_date).days)
        return baseline + (target - baseline) * elapsed / span


def progress(*, baseline: Decimal, target: Decimal, value: Decimal) -> Decimal:
    """How far VALUE has come from the baseline towards the target, as a fraction (0 at the
    baseline, 1 at the target, below 0 when it went the wrong way). A target equal to the
    baseline counts as reached."""
    if target == baseline:
        return Decimal(1)
    with localcontext() as context:
        context.prec = PRECISION
        return (value - baseline) / (target - baseline)


def deviates(
    *, baseline: Decimal, target: Decimal, planned: Decimal, measured: Decimal, tolerance_percent=DEFAULT_DEVIATION_TOLERANCE_PERCENT
) -> bool:
    """Whether MEASURED is further from PLANNED than TOLERANCE_PERCENT of the whole planned
    change (baseline to target), ahead of plan or behind it: then the plan asks why."""
    tolerance_percent = _decimal(tolerance_percent, "tolerance_percent")
    span = abs(target - baseline)
    if span == 0:
        return measured != planned
    with localcontext() as context:
        context.prec = PRECISION
        return abs(measured - planned) * 100 > span * tolerance_percent


def behind_plan(*, baseline: Decimal, target: Decimal, planned: Decimal, measured: Decimal) -> bool:
    """MEASURED is on the baseline's side of PLANNED (fewer hours saved than planned,
    more night visits left than planned)."""
    if target >= baseline:
        return measured < planned
    return measured > planned


def realised_share(*, baseline: Decimal, target: Decimal, value: Decimal) -> Decimal:
    """The part of the planned value realised at VALUE, between 0 and 1: a benefit that went
    the wrong way realised nothing, one beyond its target no more than planned."""
    return min(max(progress(baseline=baseline, target=target, value=value), ZERO), Decimal(1))


# --- Sums ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    """What a row (or a sum of rows) is worth a year."""

    nok_per_year: Decimal = ZERO
    hours_per_year: Decimal = ZERO

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(self.nok_per_year + other.nok_per_year, self.hours_per_year + other.hours_per_year)

    def fte(self, hours_per_fte=DEFAULT_HOURS_PER_FTE) -> Decimal:
        return fte_from_hours(self.hours_per_year, hours_per_fte)

    def scaled(self, share: Decimal) -> "Amounts":
        with localcontext() as context:
            context.prec = PRECISION
            return Amounts(self.nok_per_year * share, self.hours_per_year * share)


@dataclass(frozen=True)
class Row:
    """One municipality's part of one benefit."""

    municipality: object  # any hashable key: an id, a name
    benefit: object
    amounts: Amounts


def total(rows: Iterable[Row]) -> Amounts:
    result = Amounts()
    for row in rows:
        result = result + row.amounts
    return result


def per_municipality(rows: Iterable[Row]) -> dict[object, Amounts]:
    sums: dict[object, Amounts] = {}
    for row in rows:
        sums[row.municipality] = sums.get(row.municipality, Amounts()) + row.amounts
    return sums


def per_benefit(rows: Iterable[Row]) -> dict[object, Amounts]:
    sums: dict[object, Amounts] = {}
    for row in rows:
        sums[row.benefit] = sums.get(row.benefit, Amounts()) + row.amounts
    return sums


# --- Gain sharing with the supplier ------------------------------------------------------

GAIN_SHARE_NONE = "none"
GAIN_SHARE_PERCENT = "percent"  # a percentage of the kroner realised
GAIN_SHARE_FTE = "fte"  # the value of N full-time equivalents once the benefit is reached (seed 002)


def fte_value_nok(*, hours_per_fte, hourly_cost) -> Decimal:
    """What one full-time equivalent costs a year."""
    return _decimal(hours_per_fte, "hours_per_fte") * _decimal(hourly_cost, "hourly_cost")


def gain_share(*, kind: str, amount, realised_nok, planned_nok, fte_value=ZERO) -> Decimal:
    """The supplier's share of a realised gain in kroner a year.

    - percent: AMOUNT percent of what was realised (nothing of a loss);
    - fte: AMOUNT full-time equivalents at FTE_VALUE kroner each, once the realised value has
      reached the planned value, and never more than was realised;
    - none: nothing."""
    realised_nok = _decimal(realised_nok, "realised_nok")
    planned_nok = _decimal(planned_nok, "planned_nok")
    amount = _decimal(amount, "amount")
    if amount < 0:
        raise BenefitValueError("amount must not be negative")
    if kind == GAIN_SHARE_NONE or realised_nok <= 0:
        return ZERO
    with localcontext() as context:
        context.prec = PRECISION
        if kind == GAIN_SHARE_PERCENT:
            if amount > 100:
                raise BenefitValueError("a percentage is at most 100")
            return realised_nok * amount / 100
        if kind == GAIN_SHARE_FTE:
            if realised_nok < planned_nok:
                return ZERO
            return min(amount * _decimal(fte_value, "fte_value"), realised_nok)
    raise BenefitValueError(f"unknown gain-sharing kind {kind!r}")
