"""What the evaluation page, the evaluation report and the award notices show, read for one
procurement in a fixed number of queries whatever the number of tenders (the page's budget is
asserted at 3 and 30 tenderers). The arithmetic is evaluation.calc and procurement.scoring."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from procurement.models import Procurement
from procurement.scoring import PriceScoreError, price_score
from tendering.selectors import EvaluationModel, evaluation_model_for

from . import calc
from .access import EvaluationAccess, evaluation_access
from .models import (
    ConsensusScore,
    EvaluatorAssignment,
    ImpartialityDeclaration,
    NegotiationMeeting,
    Qualification,
    Question,
    Score,
    Supplier,
    Tender,
    TenderPeriod,
)


@dataclass
class Leaf:
    """A criterion evaluators score (a sub-criterion, or a criterion without any), or price."""

    id: int
    name: str
    weight: Decimal  # of its parent (or of the total for a top-level criterion), percent
    parent_id: int | None
    is_price: bool = False
    parent_name: str = ""


@dataclass
class TenderRow:
    tender: Tender
    price_score: Decimal | None = None
    consensus: dict[int, ConsensusScore] = field(default_factory=dict)  # leaf id -> consensus
    criterion_scores: dict[int, Decimal | None] = field(default_factory=dict)  # top-level id -> score
    total: Decimal | None = None
    rank: int | None = None
    versions: list = field(default_factory=list)
    meetings: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total is not None


@dataclass
class ScaleWarning:
    evaluator: object
    criterion: Leaf
    usage: calc.ScaleUsage


@dataclass
class EvaluationView:
    procurement: Procurement
    access: EvaluationAccess
    model: EvaluationModel
    period: TenderPeriod | None
    suppliers: list[Supplier]
    questions: list[Question]
    tenders: list[TenderRow]  # every tender received, ranked ones first
    leaves: list[Leaf]
    assignments: list[EvaluatorAssignment]
    declared: set[int]  # person ids
    my_scores: dict[tuple[int, int], Score]  # (tender id, criterion id) -> the viewer's own score
    scores_by_leaf: dict[tuple[int, int], list[Score]]  # (tender id, criterion id) -> every evaluator's (runners only)
    warnings: list[ScaleWarning]
    lowest_price: Decimal | None

    @property
    def qualified(self) -> list[TenderRow]:
        return [r for r in self.tenders if r.tender.qualification == Qualification.QUALIFIED]

    @property
    def ranked(self) -> list[TenderRow]:
        return sorted((r for r in self.qualified if r.rank is not None), key=lambda r: (r.rank, r.tender.pk))

    @property
    def winner(self) -> TenderRow | None:
        ranked = self.ranked
        return ranked[0] if ranked and len(ranked) == len(self.qualified) else None

    @property
    def my_leaves(self) -> list[Leaf]:
        return [leaf for leaf in self.leaves if leaf.id in self.access.criteria]

    @property
    def published_questions(self) -> list[Question]:
        return [q for q in self.questions if q.published_at]

    @property
    def evaluators(self) -> list:
        seen: dict[int, object] = {}
        for a in self.assignments:
            seen.setdefault(a.person_id, a.person)
        return list(seen.values())


def leaves_of(model: EvaluationModel) -> list[Leaf]:
    leaves: list[Leaf] = []
    for c in model.criteria:
        if c.is_price:
            leaves.append(Leaf(c.id, c.name, c.weight, None, is_price=True))
        elif c.sub_criteria:
            leaves.extend(Leaf(s.id, s.name, s.weight, c.id, parent_name=c.name) for s in c.sub_criteria)
        else:
            leaves.append(Leaf(c.id, c.name, c.weight, None))
    return leaves


def _score_rows(model: EvaluationModel, rows: list[TenderRow]) -> Decimal | None:
    """Fills price scores, criterion scores, totals and ranks of the qualified ROWS."""
    qualified = [r for r in rows if r.tender.qualification == Qualification.QUALIFIED]
    lowest = min((r.tender.price for r in qualified), default=None)
    totals: dict[int, Decimal] = {}
    for row in qualified:
        try:
            row.price_score = price_score(row.tender.price, lowest, model.price_model, model.price_clamp_at_zero)
        except PriceScoreError:
            row.price_score = None
        for c in model.criteria:
            if c.is_price:
                row.criterion_scores[c.id] = row.price_score
            elif c.sub_criteria:
                subs = {s.id: (row.consensus[s.id].score if s.id in row.consensus else None) for s in c.sub_criteria}
                try:
                    row.criterion_scores[c.id] = calc.weighted_total(subs, {s.id: s.weight for s in c.sub_criteria})
                except calc.EvaluationError:
                    row.criterion_scores[c.id] = None
            else:
                row.criterion_scores[c.id] = Decimal(row.consensus[c.id].score) if c.id in row.consensus else None
        try:
            row.total = calc.weighted_total(row.criterion_scores, {c.id: c.weight for c in model.criteria})
        except calc.EvaluationError:
            row.total = None
        if row.total is not None:
            totals[row.tender.pk] = row.total
    if len(totals) == len(qualified):
        ranks = {r.key: r.rank for r in calc.ranking(totals)}
        for row in qualified:
            row.rank = ranks.get(row.tender.pk)
    return lowest


def evaluation_view(*, user, procurement: Procurement, access: EvaluationAccess | None = None) -> EvaluationView:
    access = access or evaluation_access(user=user, procurement=procurement)
    model = evaluation_model_for(procurement)
    leaves = leaves_of(model)
    period = TenderPeriod.objects.filter(procurement=procurement).first()
    suppliers = list(Supplier.objects.filter(procurement=procurement))
    questions = list(Question.objects.filter(procurement=procurement).select_related("supplier"))
    tenders = list(Tender.objects.filter(procurement=procurement).select_related("supplier").prefetch_related("versions"))
    rows = [TenderRow(t, versions=sorted(t.versions.all(), key=lambda v: v.number)) for t in tenders]
    by_tender = {r.tender.pk: r for r in rows}
    for meeting in NegotiationMeeting.objects.filter(procurement=procurement).order_by("held_on", "id"):
        by_tender[meeting.tender_id].meetings.append(meeting)
    for consensus in ConsensusScore.objects.filter(tender__procurement=procurement):
        by_tender[consensus.tender_id].consensus[consensus.criterion_id] = consensus
    assignments = list(
        EvaluatorAssignment.objects.filter(procurement=procurement).select_related("person", "criterion").order_by("criterion__order", "criterion_id", "person_id")
    )
    declared = set(ImpartialityDeclaration.objects.filter(procurement=procurement).values_list("person_id", flat=True))
    scores = list(Score.objects.filter(tender__procurement=procurement).select_related("evaluator")) if access.sees_tenders else []
    my_scores = {(s.tender_id, s.criterion_id): s for s in scores if s.evaluator_id == getattr(user, "pk", None)}
    scores_by_leaf: dict[tuple[int, int], list[Score]] = {}
    warnings: list[ScaleWarning] = []
    lowest = None
    if access.sees_all_scores:
        for s in scores:
            scores_by_leaf.setdefault((s.tender_id, s.criterion_id), []).append(s)
        lowest = _score_rows(model, rows)
        qualified_ids = {r.tender.pk for r in rows if r.tender.qualification == Qualification.QUALIFIED}
        leaf_by_id = {leaf.id: leaf for leaf in leaves}
        grouped: dict[tuple[int, int], list[int]] = {}
        people: dict[int, object] = {}
        for s in scores:
            if s.tender_id in qualified_ids and s.criterion_id in leaf_by_id:
                grouped.setdefault((s.evaluator_id, s.criterion_id), []).append(s.score)
                people[s.evaluator_id] = s.evaluator
        for (person_id, criterion_id), values in sorted(grouped.items()):
            usage = calc.scale_usage(values)
            if usage.warning:
                warnings.append(ScaleWarning(people[person_id], leaf_by_id[criterion_id], usage))
    elif access.sees_tenders:
        qualified = [r.tender.price for r in rows if r.tender.qualification == Qualification.QUALIFIED]
        lowest = min(qualified, default=None)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.tender.received_at, r.tender.pk))
    return EvaluationView(
        procurement=procurement, access=access, model=model, period=period, suppliers=suppliers, questions=questions,
        tenders=rows, leaves=leaves, assignments=assignments, declared=declared, my_scores=my_scores,
        scores_by_leaf=scores_by_leaf, warnings=warnings, lowest_price=lowest,
    )


def evaluation_view_full(procurement: Procurement) -> EvaluationView:
    """The whole evaluation, as those who run it see it: for the report and the award notices."""
    return evaluation_view(user=None, procurement=procurement, access=EvaluationAccess(True, False, False, frozenset()))
