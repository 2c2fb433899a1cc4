"""Reads of the requirement specification: the screens' view of it (what each person may write
there) and the evaluation model the evaluation reads (evaluation_model_for)."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from procurement import phases
from procurement.models import Procurement
from procurement.selectors.access import roles_in_procurement

from .models import (
    AwardCriterion,
    Clarification,
    Comment,
    CriterionStatus,
    Requirement,
    Specification,
)
from .ownership import (
    CATEGORY_OWNERS,
    CLARIFIERS,
    CRITERION_DECIDERS,
    CRITERION_PROPOSERS,
    NEED_WRITERS,
    PUBLISHERS,
    TENDER_TEXT_WRITERS,
    Category,
    owners_text,
    owns_category,
)
from .services import criteria_tree_from, publish_problems, weight_problem_messages, writable_phase
from .weights import effective_weights, model_problems, weight_total

# ----------------------------------------------------------------------------- evaluation model


@dataclass(frozen=True)
class SubCriterionModel:
    id: int
    name: str
    description: str
    weight: Decimal  # share of its criterion, percent
    effective_weight: Decimal  # share of the total score, percent


@dataclass(frozen=True)
class CriterionModel:
    id: int
    name: str
    description: str
    weight: Decimal  # share of the total score, percent
    is_price: bool
    decided: bool
    sub_criteria: tuple[SubCriterionModel, ...] = ()


@dataclass(frozen=True)
class ScaleStep:
    score: int
    description: str


@dataclass(frozen=True)
class EvaluationModel:
    """What the evaluation of tenders needs: the criteria with their sub-criteria and weights,
    the price model (procurement.scoring.price_score's MODEL) and the 0–10 scale."""

    criteria: tuple[CriterionModel, ...]
    price_model: str
    price_clamp_at_zero: bool
    scale: tuple[ScaleStep, ...]
    weights_valid: bool
    decided: bool
    frozen: bool

    @property
    def scale_min(self) -> int:
        return self.scale[0].score

    @property
    def scale_max(self) -> int:
        return self.scale[-1].score


def _specification_or_default(procurement: Procurement) -> Specification:
    return Specification.objects.filter(procurement=procurement).first() or Specification(procurement=procurement)


def evaluation_model_for(procurement: Procurement) -> EvaluationModel:
    specification = _specification_or_default(procurement)
    criteria = list(specification.criteria.all()) if specification.pk else []
    tree = criteria_tree_from(criteria)
    shares = effective_weights(tree)
    children: dict[int, list[AwardCriterion]] = {}
    for criterion in criteria:
        if criterion.parent_id:
            children.setdefault(criterion.parent_id, []).append(criterion)
    top = [c for c in criteria if c.parent_id is None]

    return EvaluationModel(
        criteria=tuple(
            CriterionModel(
                id=c.pk,
                name=c.name,
                description=c.description,
                weight=c.weight,
                is_price=c.is_price,
                decided=c.status == CriterionStatus.DECIDED,
                sub_criteria=tuple(
                    SubCriterionModel(s.pk, s.name, s.description, s.weight, shares.get(s.pk, Decimal("0")))
                    for s in children.get(c.pk, [])
                ),
            )
            for c in top
        ),
        price_model=specification.price_model,
        price_clamp_at_zero=specification.price_clamp_at_zero,
        scale=tuple(ScaleStep(score, text) for score, text in specification.scale_rows()),
        weights_valid=bool(top) and not model_problems(tree),
        decided=bool(criteria) and all(c.status == CriterionStatus.DECIDED for c in criteria),
        frozen=specification.is_frozen,
    )


# ----------------------------------------------------------------------------- the screens


@dataclass
class RequirementRow:
    requirement: Requirement
    comments: list[Comment]
    clarifications: list[Clarification]
    can_edit: bool


@dataclass
class CategorySection:
    code: str
    label: str
    owners: str
    can_write: bool
    rows: list[RequirementRow] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # The screen's forms for the category (tendering.views): the owners' new-requirement form,
    # everyone's comment form.
    form: object = None
    comment_form: object = None

    @property
    def anchor(self) -> str:
        return f"kategori-{self.code}"


@dataclass
class CriterionRow:
    criterion: AwardCriterion
    children: list[AwardCriterion]
    children_total: Decimal
    problem: str = ""


@dataclass
class SpecificationView:
    procurement: Procurement
    specification: Specification
    roles: set[str]
    frozen: bool
    writable: bool
    categories: list[CategorySection]
    needs: list
    criteria: list[CriterionRow]
    criteria_total: Decimal
    criteria_problem: str
    qualifications: list
    clarifications: list[Clarification]
    can_write_needs: bool
    can_propose: bool
    can_decide: bool
    can_write_text: bool
    can_publish: bool
    can_clarify: bool
    publish_problems: list[str]
    in_tender_phase: bool

    @property
    def requirement_count(self) -> int:
        return sum(len(c.rows) for c in self.categories)

    @property
    def all_decided(self) -> bool:
        return bool(self.criteria) and all(
            row.criterion.status == CriterionStatus.DECIDED and all(c.status == CriterionStatus.DECIDED for c in row.children)
            for row in self.criteria
        )

    @property
    def scale(self) -> list[tuple[int, str]]:
        return self.specification.scale_rows()


def specification_view(*, user, procurement: Procurement) -> SpecificationView:
    """Everything the specification's screens and printed documents show, in a fixed number of
    queries. USER None: the printed documents, which show no forms."""
    specification = _specification_or_default(procurement)
    roles = roles_in_procurement(user=user, procurement=procurement) if user is not None else set()
    frozen = specification.is_frozen
    writable = not frozen and writable_phase(procurement) and user is not None
    requirements: list[Requirement] = []
    criteria: list[AwardCriterion] = []
    needs, qualifications, clarifications, comments = [], [], [], []
    if specification.pk:
        requirements = list(
            specification.requirements.select_related("need", "criterion", "author").prefetch_related(
                Prefetch("comments", queryset=Comment.objects.select_related("author"))
            )
        )
        criteria = list(specification.criteria.select_related("proposed_by", "decided_by"))
        needs = list(specification.needs.select_related("author"))
        qualifications = list(specification.qualifications.all())
        clarifications = list(specification.clarifications.select_related("author", "requirement"))
        comments = list(specification.comments.filter(requirement__isnull=True).select_related("author"))
    clarifications_of: dict[int, list[Clarification]] = {}
    for clarification in clarifications:
        if clarification.requirement_id:
            clarifications_of.setdefault(clarification.requirement_id, []).append(clarification)
    sections = []
    for code, label in Category.choices:
        section = CategorySection(
            code=code, label=str(label), owners=owners_text(code), can_write=writable and owns_category(roles, code)
        )
        section.rows = [
            RequirementRow(
                requirement=r,
                comments=list(r.comments.all()),
                clarifications=clarifications_of.get(r.pk, []),
                can_edit=section.can_write,
            )
            for r in requirements
            if r.category == code
        ]
        section.comments = [c for c in comments if c.category == code]
        sections.append(section)

    tree = criteria_tree_from(criteria)
    problems = weight_problem_messages(specification, tree) if criteria else {}
    shares = effective_weights(tree)
    children: dict[int, list[AwardCriterion]] = {}
    for criterion in criteria:
        if criterion.parent_id:
            criterion.effective_weight = shares.get(criterion.pk, Decimal("0"))
            children.setdefault(criterion.parent_id, []).append(criterion)
    rows = [
        CriterionRow(
            criterion=c,
            children=children.get(c.pk, []),
            children_total=weight_total([s.weight for s in children.get(c.pk, [])]),
            problem=problems.get(f"weights-{c.pk}", ""),
        )
        for c in criteria
        if c.parent_id is None
    ]
    clarifiers = set(CLARIFIERS) | {role for owners in CATEGORY_OWNERS.values() for role in owners}
    return SpecificationView(
        procurement=procurement,
        specification=specification,
        roles=roles,
        frozen=frozen,
        writable=writable,
        categories=sections,
        needs=needs,
        criteria=rows,
        criteria_total=weight_total([row.criterion.weight for row in rows]),
        criteria_problem=problems.get("weights", ""),
        qualifications=qualifications,
        clarifications=clarifications,
        can_write_needs=writable and bool(roles & NEED_WRITERS),
        can_propose=writable and bool(roles & CRITERION_PROPOSERS),
        can_decide=writable and bool(roles & CRITERION_DECIDERS),
        can_write_text=writable and bool(roles & TENDER_TEXT_WRITERS),
        can_publish=(
            not frozen and procurement.state == phases.TENDER_DOCUMENTS and bool(roles & PUBLISHERS) and user is not None
        ),
        can_clarify=frozen and procurement.state not in phases.FINAL_STATES and bool(roles & clarifiers),
        publish_problems=publish_problems(specification) if specification.pk and not frozen else [],
        in_tender_phase=procurement.state == phases.TENDER_DOCUMENTS,
    )


def specification_reached(procurement: Procurement) -> bool:
    """The procurement page links to the specification from the phase where it is written."""
    return procurement.state in phases.PHASES

