"""The arithmetic of an evaluation (DFØ, "Veileder i evaluering av tilbud"): criterion scores
from sub-criteria, the total as the sum of weight × score, the ranking, and the warning when
an evaluator does not use the whole 0–10 scale (seed 002). Pure functions without Django;
weights are percentages (Decimal) and every score is on the 0–10 scale, so a total is on it
too: total = Σ (weight / 100) × score.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

HUNDRED = Decimal(100)
SCALE_MIN = 0
SCALE_MAX = 10
# An evaluator whose scores for one criterion span fewer points than this, over at least two
# tenders, is told the scale may be too narrow for the differences to count.
NARROW_SPAN = 4


class EvaluationError(ValueError):
    MESSAGES = {
        "weights": "Vektene må summere til nøyaktig 100 %.",
        "score": "En poengsum må være mellom 0 og 10.",
        "missing": "Det mangler poeng for et kriterium.",
    }

    def __init__(self, code: str):
        self.code = code
        super().__init__(self.MESSAGES[code])


def _decimal(value) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise EvaluationError("score") from None
    if not number.is_finite():
        raise EvaluationError("score")
    return number


def weighted_total(scores: Mapping[Hashable, object], weights: Mapping[Hashable, object]) -> Decimal:
    """Σ (weight / 100) × score over the criteria of WEIGHTS (percentages totalling exactly
    100). Every criterion needs a score; a score may be negative (a linear price score below
    0 is allowed) but never above 10."""
    total_weight = sum((_decimal(w) for w in weights.values()), Decimal(0))
    if total_weight != HUNDRED or any(_decimal(w) < 0 for w in weights.values()):
        raise EvaluationError("weights")
    total = Decimal(0)
    for key, weight in weights.items():
        if key not in scores or scores[key] is None:
            raise EvaluationError("missing")
        score = _decimal(scores[key])
        if score > SCALE_MAX:
            raise EvaluationError("score")
        total += _decimal(weight) * score / HUNDRED
    return total


@dataclass(frozen=True)
class Ranked:
    rank: int  # 1 is best; equal totals share a rank ("1, 1, 3")
    key: Hashable
    total: Decimal


def ranking(totals: Mapping[Hashable, Decimal]) -> list[Ranked]:
    """The tenders best first. Ties share the better rank and the next rank skips (standard
    competition ranking); within a tie the order of TOTALS is kept, so it is stable."""
    ordered = sorted(enumerate(totals.items()), key=lambda item: (-_decimal(item[1][1]), item[0]))
    rows: list[Ranked] = []
    for position, (_, (key, total)) in enumerate(ordered, start=1):
        total = _decimal(total)
        rank = rows[-1].rank if rows and rows[-1].total == total else position
        rows.append(Ranked(rank, key, total))
    return rows


@dataclass(frozen=True)
class ScaleUsage:
    count: int
    lowest: int | None
    highest: int | None

    @property
    def span(self) -> int:
        return 0 if self.count == 0 else self.highest - self.lowest

    @property
    def top_unused(self) -> bool:
        """No tender got the top of the scale although there were tenders to compare: DFØ
        advises giving the best answer 10 and scoring the others against it."""
        return self.count >= 2 and self.highest < SCALE_MAX

    @property
    def narrow(self) -> bool:
        return self.count >= 2 and self.span < NARROW_SPAN

    @property
    def warning(self) -> bool:
        return self.top_unused or self.narrow


def scale_usage(scores: Iterable[int]) -> ScaleUsage:
    """How much of the 0–10 scale one evaluator used for one criterion over the tenders."""
    values = [int(s) for s in scores]
    if any(v < SCALE_MIN or v > SCALE_MAX for v in values):
        raise EvaluationError("score")
    if not values:
        return ScaleUsage(0, None, None)
    return ScaleUsage(len(values), min(values), max(values))
