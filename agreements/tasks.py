"""What waits for a person in the agreements, for "Mine oppgaver": the agreement's data to
complete or review (the data protection officer, those who run the case) and the contract to
sign (the coordinator and the collaboration's general manager). A plain function of small rows; the tasks screen shows them."""
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext

from municipalities.models import RoleAssignment
from municipalities.roles import CONTRACT_SIGNING_ROLES
from procurement import phases
from procurement.extensions import Task
from procurement.models import Procurement

from .models import Contract, ContractState, DataProcessingAgreement


def _task(title: str, url: str, procurement: Procurement, kind: str = "agreement") -> Task:
    return Task(kind=kind, title=title, url=url, procurement=procurement)

def tasks_for(user) -> list[Task]:
    """USER's agreement tasks in procurements standing in the tender-documents or contract
    phase, in a fixed number of queries: the procurements, their agreements and contracts,
    the ones USER runs, and USER's roles in them. Only a contract ready to sign asks, for
    itself, whether the standstill and the complaints allow it."""
    from procurement.selectors.access import procurements_permitted, procurements_visible, roles_by_procurement

    from .services import contract_signing_block, dpa_document_roles

    if not user.is_authenticated:
        return []
    procurements = list(
        procurements_visible(user=user).filter(state__in=(phases.TENDER_DOCUMENTS, phases.CONTRACT)).select_related("collaboration").order_by("pk")
    )
    if not procurements:
        return []
    ids = [p.pk for p in procurements]
    dpas = {d.procurement_id: d for d in DataProcessingAgreement.objects.filter(procurement_id__in=ids)}
    contracts = {c.procurement_id: c for c in Contract.objects.filter(procurement_id__in=ids)}
    managed = set(procurements_permitted(user=user, codename="manage_procurement", among=Procurement.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    roles_of = roles_by_procurement(user=user, procurements=procurements)
    signs_for = set(
        RoleAssignment.objects.filter(person=user, role__in=CONTRACT_SIGNING_ROLES, body__isnull=False).values_list(
            "body__collaboration_id", flat=True
        )
    )
    rows: list[Task] = []
    document_roles_of: dict[int, set[str]] = {}
    for procurement in procurements:
        page = reverse("agreements_page", args=[procurement.pk])
        dpa = dpas.get(procurement.pk)
        roles = roles_of.get(procurement.pk, set())
        # Who manages the dpa gate: who runs the case, and the roles the gate names for its
        # document (services.may_edit_dpa, from what is loaded here).
        if procurement.process_version_id not in document_roles_of:  # one read per process version
            document_roles_of[procurement.process_version_id] = dpa_document_roles(procurement) or set()
        document_roles = document_roles_of[procurement.process_version_id]
        if (dpa is None or not dpa.signed_copy) and (procurement.pk in managed or roles & document_roles):
            title = gettext("Fyll ut databehandleravtalen") if dpa is None else gettext("Gå gjennom databehandleravtalen")
            rows.append(_task(title, page + "#databehandleravtale", procurement))
        contract = contracts.get(procurement.pk)
        if (
            procurement.state == phases.CONTRACT
            and contract is not None
            and contract.state == ContractState.DRAFT
            and procurement.collaboration_id in signs_for
            and not contract_signing_block(procurement=procurement)
        ):
            rows.append(_task(gettext("Signer kontrakten"), page + "#kontrakt", procurement, kind="sign_contract"))
    return rows + _budget_tasks(user)


def _budget_tasks(user) -> list[Task]:
    """K-IKT budgets the yearly maintenance once the signed contract and agreement were sent
    out (seed 000): a task for everyone in the collaboration's shared IT body while the case
    is in the contract or acceptance-test phase. Two queries."""
    from procurement.selectors.access import procurements_visible

    from .models import Distribution
    from .services import SHARED_IT_KIND

    collaborations = set(
        RoleAssignment.objects.filter(person=user, body__kind=SHARED_IT_KIND).values_list("body__collaboration_id", flat=True)
    )
    if not collaborations:
        return []
    distributed = Distribution.objects.filter(procurement_id=OuterRef("pk"))
    procurements = (
        procurements_visible(user=user)
        .filter(Exists(distributed), collaboration_id__in=collaborations, state__in=(phases.CONTRACT, phases.ACCEPTANCE_TEST))
        .order_by("pk")
    )
    return [
        _task(
            gettext("Legg den årlige driftskostnaden per kommune inn i budsjettet"),
            reverse("procurement_detail", args=[procurement.pk]) + "#avtaler",
            procurement,
            kind="budget",
        )
        for procurement in procurements
    ]
