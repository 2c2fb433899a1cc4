"""Price scores on the 0–10 scale of DFØ's guide to evaluating tenders ("Veileder i evaluering
av tilbud"). Pure functions without Django. Pe is the evaluated tender's price, Pb the lowest
price among the tenders:

- linear:       score = 10 − 10 × (Pe − Pb) / Pb   (may go below 0; clamping is an option, off
                by default: KOFA 2015/60 accepts negative scores)
- proportional: score = 10 × Pb / Pe
"""
from decimal import Decimal, InvalidOperation

LINEAR = "linear"
PROPORTIONAL = "proportional"
PRICE_MODELS = (LINEAR, PROPORTIONAL)
TEN = Decimal("10")
ZERO = Decimal("0")


class PriceScoreError(ValueError):
    MESSAGES = {
        "model": "Ukjent prismodell.",
        "not_a_price": "En pris må være et positivt tall.",
        "below_lowest": "Prisen kan ikke være lavere enn den laveste prisen.",
    }

    def __init__(self, code: str):
        self.code = code
        super().__init__(self.MESSAGES[code])


def _price(value) -> Decimal:
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise PriceScoreError("not_a_price") from None
    if not price.is_finite() or price <= 0:
        raise PriceScoreError("not_a_price")
    return price


def price_score(offered, lowest, model: str = LINEAR, clamp: bool = False, *, clamp_at_zero: bool | None = None) -> Decimal:
    """The score of a tender offering OFFERED when LOWEST is the lowest price, by MODEL
    ("linear" or "proportional"); CLAMP lifts a negative linear score to 0.
    (CLAMP_AT_ZERO is the older name of CLAMP, kept for callers that still use it.)"""
    if clamp_at_zero is not None:
        clamp = clamp_at_zero
    if model not in PRICE_MODELS:
        raise PriceScoreError("model")
    pe, pb = _price(offered), _price(lowest)
    if pe < pb:
        raise PriceScoreError("below_lowest")
    if model == PROPORTIONAL:
        return TEN * pb / pe
    score = TEN - TEN * (pe - pb) / pb
    return max(score, ZERO) if clamp else score
