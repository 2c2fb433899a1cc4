"""Each municipality's part of the yearly maintenance cost by the cost-sharing key, in whole
øre that add up exactly to the total (largest remainder, ties to the key that sorts first).
Pure: no Django."""
from collections.abc import Hashable, Mapping
from decimal import ROUND_DOWN, Decimal

ORE = Decimal("0.01")


def yearly_cost_split(total: Decimal, shares: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """TOTAL (kroner, two decimals, not negative) split by SHARES (percent, totalling 100)."""
    if total < 0:
        raise ValueError("negative total")
    share_sum = sum(shares.values(), Decimal(0))
    if not shares or share_sum <= 0:
        return {key: Decimal("0.00") for key in shares}
    exact = {key: total * share / share_sum for key, share in shares.items()}
    floored = {key: value.quantize(ORE, rounding=ROUND_DOWN) for key, value in exact.items()}
    missing = int(((total.quantize(ORE) - sum(floored.values(), Decimal(0))) / ORE).to_integral_value())
    order = sorted(exact, key=lambda key: (-(exact[key] - floored[key]), str(key)))
    for key in order[:missing]:
        floored[key] += ORE
    return floored
