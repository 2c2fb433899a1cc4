"""Weights of the award criteria. Pure functions without Django: the criteria's weights total
exactly 100 %, and so do the sub-criteria of each criterion that has any (a sub-criterion's
weight is its share of its criterion). Weights are Decimals with at most two decimals, so the
check is exact: 33.33 + 33.33 + 33.33 is 99.99, not 100."""
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

HUNDRED = Decimal("100")
STEP = Decimal("0.01")


class WeightError(ValueError):
    """A set of weights that cannot be used. ``code`` names the problem and ``params`` hold its
    values, so the service layer can word it in the user's language; str() is the bokmål
    sentence, for callers without Django."""

    MESSAGES = {
        "empty": "Det er ingen tildelingskriterier å vekte.",
        "not_a_weight": "En vekt må være et tall mellom 0 og 100.",
        "negative": "En vekt kan ikke være negativ.",
        "too_many_decimals": "Vekter oppgis med høyst to desimaler.",
        "total": "Vektene summerer til %(total)s %%, men må bli nøyaktig 100 %%.",
    }

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code] % params)


def weight_clean(value) -> Decimal:
    """VALUE as a weight in hundredths of a percent, or WeightError."""
    try:
        weight = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise WeightError("not_a_weight") from None
    if not weight.is_finite():
        raise WeightError("not_a_weight")
    if weight < 0:
        raise WeightError("negative")
    if weight > HUNDRED:
        raise WeightError("not_a_weight")
    if weight != weight.quantize(STEP):
        raise WeightError("too_many_decimals")
    return weight.quantize(STEP)


def weight_total(weights: Sequence) -> Decimal:
    """The sum of the weights that are usable numbers; a running total for a screen that is
    still being filled in (an unusable weight counts as 0)."""
    total = Decimal("0.00")
    for value in weights:
        try:
            total += weight_clean(value)
        except WeightError:
            continue
    return total


def weights_check(weights: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """WEIGHTS cleaned, when there is at least one and they total exactly 100; WeightError
    otherwise."""
    if not weights:
        raise WeightError("empty")
    cleaned = {key: weight_clean(value) for key, value in weights.items()}
    total = sum(cleaned.values(), Decimal("0.00"))
    if total != HUNDRED:
        raise WeightError("total", total=format_percent(total))
    return cleaned


def format_percent(value: Decimal) -> str:
    """50, 33,33: a Norwegian decimal comma, no trailing zeros after it."""
    text = f"{value.quantize(STEP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class CriterionWeights:
    key: Hashable
    weight: Decimal
    sub: Mapping[Hashable, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class WeightProblem:
    """Where a problem is (None: the criteria themselves; a key: that criterion's
    sub-criteria) and what it is."""

    criterion: Hashable | None
    error: WeightError


def model_problems(criteria: Sequence[CriterionWeights]) -> list[WeightProblem]:
    """Every level of the model that does not total 100 %: the criteria, then each criterion
    with sub-criteria. An empty list means the weights can be decided."""
    problems: list[WeightProblem] = []
    try:
        weights_check({c.key: c.weight for c in criteria})
    except WeightError as error:
        problems.append(WeightProblem(None, error))
    for criterion in criteria:
        if criterion.sub:
            try:
                weights_check(criterion.sub)
            except WeightError as error:
                problems.append(WeightProblem(criterion.key, error))
    return problems


def effective_weights(criteria: Sequence[CriterionWeights]) -> dict[Hashable, Decimal]:
    """The share of the total score each leaf carries: a criterion without sub-criteria its own
    weight, a sub-criterion its share of its criterion's weight. Leaves total 100 when
    model_problems() is empty."""
    shares: dict[Hashable, Decimal] = {}
    for criterion in criteria:
        if not criterion.sub:
            shares[criterion.key] = criterion.weight
            continue
        for key, weight in criterion.sub.items():
            shares[key] = criterion.weight * weight / HUNDRED
    return shares
