"""Reads of the requirement specification: the screens' view of it (what each person may write
there) and the evaluation model the evaluation reads (evaluation_model_for)."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch, Q

from procurement import phases
from procurement.models import Procurement
from procurement.selectors.access import roles_in_procurement

from . import library_scope
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



# ----------------------------------------------------------------------------- the reuse library

LIBRARY_PAGE_SIZE = 20
LIBRARY_QUERY_MAX_LENGTH = 200
LIBRARY_MAX_WORDS = 8


@dataclass
class LibraryHit:
    kind: str
    row: object
    procurement: Procurement
    can_copy: bool

    @property
    def ref(self) -> str:
        return getattr(self.row, "ref", "")

    @property
    def title(self) -> str:
        return getattr(self.row, "title", "") or getattr(self.row, "name", "")

    @property
    def text(self) -> str:
        return getattr(self.row, "text", "") or getattr(self.row, "description", "")


SEARCHED_FIELDS = {
    library_scope.REQUIREMENT: ("text",),
    library_scope.NEED: ("title", "text"),
    library_scope.CRITERION: ("name", "description"),
}


def _matching(rows, *, kind: str, query: str):
    """ROWS narrowed to QUERY. PostgreSQL: full-text search with the Norwegian configuration
    (stemming, so «journalene» finds «journal»), best match first. Elsewhere (SQLite in
    development and tests): every word must occur, in any case, newest first."""
    fields = SEARCHED_FIELDS[kind]
    if not query:
        return rows.order_by("-specification_id", "-pk")
    if connection.vendor == "postgresql":
        # Imported here: the module needs the PostgreSQL driver. The lookups used are
        # registered on import, so django.contrib.postgres need not be an installed app.
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="norwegian")
        search = SearchQuery(query, config="norwegian", search_type="websearch")
        # ts_rank is never quite 0 for a miss: the match itself filters, the rank orders.
        return (
            rows.annotate(document=vector, rank=SearchRank(vector, search)).filter(document=search).order_by("-rank", "-pk")
        )
    condition = Q()
    for word in query.split()[:LIBRARY_MAX_WORDS]:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return rows.filter(condition).order_by("-specification_id", "-pk")


def library_search(*, user, query: str, kind: str, procurement: Procurement | None = None, page=1):
    """One page of the reuse library's rows of KIND matching QUERY, from the specifications
    tendering.library_scope names (every published one in the installation, and the drafts of
    procurements USER sees; never PROCUREMENT's own). Each hit says whether USER may copy it into
    PROCUREMENT (the same checks tendering.services.library_copy makes). A fixed number of
    queries, whatever the number of hits."""
    if kind not in library_scope.KINDS:
        kind = library_scope.REQUIREMENT
    query = (query or "").strip()[:LIBRARY_QUERY_MAX_LENGTH]
    rows = library_scope.library_rows(
        user=user, kind=kind, exclude_procurement_id=procurement.pk if procurement is not None else None
    ).select_related("specification__procurement__collaboration")
    paginator = Paginator(_matching(rows, kind=kind, query=query), LIBRARY_PAGE_SIZE)
    result = paginator.get_page(page)
    may_write = False
    roles: set[str] = set()
    if procurement is not None:
        specification = Specification.objects.filter(procurement=procurement).first()
        may_write = not (specification and specification.is_frozen) and writable_phase(procurement)
        roles = roles_in_procurement(user=user, procurement=procurement) if may_write else set()

    def allowed(row) -> bool:
        if not may_write:
            return False
        if kind == library_scope.REQUIREMENT:
            return owns_category(roles, row.category)
        return bool(roles & (NEED_WRITERS if kind == library_scope.NEED else CRITERION_PROPOSERS))

    result.object_list = [
        LibraryHit(kind=kind, row=row, procurement=row.specification.procurement, can_copy=allowed(row))
        for row in result.object_list
    ]
    return result
