"""Which specifications the reuse library draws on, shared by the library's search
(tendering.selectors.library_search) and its copy (tendering.services.library_copy), so a
copied id is looked up within exactly what the search could have shown.

The choice: every PUBLISHED specification in the installation, whoever's collaboration it
belongs to, since published tender documents are public (announced on Doffin) and the guide
values reading other municipalities' tender documents; and besides those the DRAFT
specifications of procurements the person may see already. Never the specification being
written itself."""
from django.db.models import Q, QuerySet

from procurement.selectors.access import procurements_visible

from .models import AwardCriterion, Need, Requirement, Specification, SpecificationState

REQUIREMENT, NEED, CRITERION = "requirement", "need", "criterion"
KINDS = (REQUIREMENT, NEED, CRITERION)
MODEL_OF = {REQUIREMENT: Requirement, NEED: Need, CRITERION: AwardCriterion}


def library_specifications(*, user, exclude_procurement_id: int | None) -> QuerySet[Specification]:
    visible = procurements_visible(user=user).values("pk")
    specifications = Specification.objects.filter(Q(state=SpecificationState.PUBLISHED) | Q(procurement__in=visible))
    if exclude_procurement_id is not None:
        specifications = specifications.exclude(procurement_id=exclude_procurement_id)
    return specifications


def library_rows(*, user, kind: str, exclude_procurement_id: int | None) -> QuerySet:
    """The rows of KIND the library offers. Sub-criteria and the price criterion stay with
    their own evaluation model; the top-level criteria are what is worth reusing."""
    rows = MODEL_OF[kind].objects.filter(
        specification__in=library_specifications(user=user, exclude_procurement_id=exclude_procurement_id)
    )
    if kind == CRITERION:
        rows = rows.filter(parent__isnull=True, is_price=False)
    return rows


def origin_label_for(row) -> str:
    """How a copy names its source, fixed at copy time: the procurement's title and the row's
    reference (a criterion has none, so its name)."""
    procurement = row.specification.procurement
    ref = getattr(row, "ref", None) or getattr(row, "name", "")
    return f"{procurement.title} ({ref})"[:300]
