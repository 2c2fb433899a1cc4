"""Cost-sharing keys between participating municipalities. Pure functions: every key is
rounded to hundredths of a percent with the largest-remainder method so that the shares
always total exactly 100.00."""
from collections.abc import Hashable, Mapping
from decimal import ROUND_DOWN, Decimal

HUNDRED = Decimal("100.00")
STEP = Decimal("0.01")


class CostShareError(ValueError):
    pass


def _largest_remainder(weights: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    total = sum(weights.values())
    if not weights or total <= 0:
        raise CostShareError("Det må være minst én deltaker med positiv vekt.")
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
        raise CostShareError("Innbyggertall kan ikke være negativt.")
    return _largest_remainder({key: Decimal(population) for key, population in populations.items()})


def custom_shares(shares: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """Checks a hand-written key: hundredths only, none negative, total exactly 100."""
    cleaned: dict[Hashable, Decimal] = {}
    for key, share in shares.items():
        share = Decimal(share)
        if share < 0:
            raise CostShareError("En andel kan ikke være negativ.")
        if share != share.quantize(STEP):
            raise CostShareError("Andeler oppgis med høyst to desimaler.")
        cleaned[key] = share.quantize(STEP)
    total = sum(cleaned.values(), Decimal("0"))
    if total != HUNDRED:
        raise CostShareError(f"Andelene summerer til {total} %, men må bli nøyaktig 100 %.")
    return cleaned
