"""Cost-sharing keys between participating municipalities. Pure functions: every key is
rounded to hundredths of a percent with the largest-remainder method so that the shares
always total exactly 100.00."""
from collections.abc import Hashable, Mapping
from decimal import ROUND_DOWN, Decimal

HUNDRED = Decimal("100.00")
STEP = Decimal("0.01")


class CostShareError(ValueError):
    """A key that cannot be used. ``code`` names the problem and ``params`` hold its values, so
    the service layer can word it in the user's language; str() is the bokmål sentence, for
    callers without Django."""

    MESSAGES = {
        "no_positive_weight": "Det må være minst én deltaker med positiv vekt.",
        "negative_population": "Innbyggertall kan ikke være negativt.",
        "not_a_share": "En andel må være et tall mellom 0 og 100.",
        "negative_share": "En andel kan ikke være negativ.",
        "too_many_decimals": "Andeler oppgis med høyst to desimaler.",
        "total": "Andelene summerer til %(total)s %%, men må bli nøyaktig 100 %%.",
    }

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        # Bokmål writes the decimal comma.
        words = {key: f"{value:.2f}".replace(".", ",") if isinstance(value, Decimal) else value for key, value in params.items()}
        super().__init__(self.MESSAGES[code] % words)


def _largest_remainder(weights: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    total = sum(weights.values())
    if not weights or total <= 0:
        raise CostShareError("no_positive_weight")
    exact = {key: HUNDRED * weight / total for key, weight in weights.items()}
    floored = {key: value.quantize(STEP, rounding=ROUND_DOWN) for key, value in exact.items()}
    missing_steps = int((HUNDRED - sum(floored.values())) / STEP)
    # Hand out the remaining hundredths to the largest remainders; ties go to the key that
    # sorts first so the result never depends on dict order.
    order = sorted(exact, key=lambda key: (-(exact[key] - floored[key]), str(key)))
    for key in order[:missing_steps]:
        floored[key] += STEP
    return floored


def equal_shares(keys: list[Hashable]) -> dict[Hashable, Decimal]:
    return _largest_remainder({key: Decimal(1) for key in keys})


def population_shares(populations: Mapping[Hashable, int]) -> dict[Hashable, Decimal]:
    if any(population < 0 for population in populations.values()):
        raise CostShareError("negative_population")
    return _largest_remainder({key: Decimal(population) for key, population in populations.items()})


def custom_shares(shares: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """Checks a hand-written key: hundredths only, none negative, total exactly 100."""
    cleaned: dict[Hashable, Decimal] = {}
    for key, share in shares.items():
        try:
            share = Decimal(share)
        except (ArithmeticError, TypeError, ValueError):
            raise CostShareError("not_a_share") from None
        # NaN cannot even be compared, Infinity not rounded: refuse them before arithmetic.
        if not share.is_finite():
            raise CostShareError("not_a_share")
        if share < 0:
            raise CostShareError("negative_share")
        try:
            rounded = share.quantize(STEP)
        except ArithmeticError:  # too large to hold in hundredths (such as 1E+999)
            raise CostShareError("not_a_share") from None
        if share != rounded:
            raise CostShareError("too_many_decimals")
        cleaned[key] = rounded
    total = sum(cleaned.values(), Decimal("0"))
    if total != HUNDRED:
        raise CostShareError("total", total=total)
    return cleaned
