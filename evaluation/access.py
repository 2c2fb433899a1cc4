"""Who may see what of the tenders. Tenders, prices and evaluation forms are confidential to
the evaluation group (the evaluators named for a criterion, once they have declared their
impartiality), the coordinator and the regional buyer; the same roles the national process
template gives the restricted deliverables (procurement.catalogue_seed.RESTRICTED_TO_EVALUATION)."""
from dataclasses import dataclass

from municipalities.roles import Role
from procurement.selectors.access import roles_in_procurement

from .models import EvaluatorAssignment, ImpartialityDeclaration

RUNNING_ROLES = frozenset({Role.COORDINATOR.value, Role.REGIONAL_BUYER.value})


@dataclass(frozen=True)
class EvaluationAccess:
    runs: bool  # coordinator or regional buyer in this procurement (or a superuser)
    named: bool  # named as evaluator for at least one criterion
    declared: bool  # has declared impartiality
    criteria: frozenset[int]  # the criteria this person evaluates

    @property
    def sees_tenders(self) -> bool:
        """Opens tenders and sees prices: those who run it, or a named evaluator who declared
        impartiality."""
        return self.runs or (self.named and self.declared)

    @property
    def sees_all_scores(self) -> bool:
        return self.runs

    @property
    def must_declare(self) -> bool:
        return self.named and not self.declared

    @property
    def sees_page(self) -> bool:
        return self.runs or self.named


def evaluation_access(*, user, procurement) -> EvaluationAccess:
    """Two or three queries: the roles, the assignments, the declaration."""
    if not getattr(user, "is_authenticated", False):
        return EvaluationAccess(False, False, False, frozenset())
    runs = user.is_superuser or bool(roles_in_procurement(user=user, procurement=procurement) & RUNNING_ROLES)
    criteria = frozenset(
        EvaluatorAssignment.objects.filter(procurement=procurement, person=user).values_list("criterion_id", flat=True)
    )
    declared = bool(criteria) and ImpartialityDeclaration.objects.filter(procurement=procurement, person=user).exists()
    return EvaluationAccess(runs, bool(criteria), declared, criteria)
