"""What waits for a person in the agreements, for "Mine oppgaver": the agreement's data to
complete or review (the data protection officer, those who run the case) and the contract to
sign (the coordinator). A plain function of small rows; the tasks screen shows them."""
from django.urls import reverse
from django.utils.translation import gettext

from municipalities.roles import Role
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
    from municipalities.models import RoleAssignment
    from procurement.models import Participation, ParticipationStatus
    from procurement.selectors.access import procurements_permitted, procurements_visible

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
    body_roles: dict[int, set[str]] = {}
    municipal_roles: dict[int, set[str]] = {}
    coordinates: set[int] = set()
    for role, collaboration_id, municipality_id in RoleAssignment.objects.filter(person=user).values_list(
        "role", "body__collaboration_id", "municipality_id"
    ):
        if municipality_id is not None:
            municipal_roles.setdefault(municipality_id, set()).add(role)
        elif collaboration_id is not None:
            body_roles.setdefault(collaboration_id, set()).add(role)
            if role == Role.COORDINATOR:
                coordinates.add(collaboration_id)
    joined: dict[int, set[int]] = {}
    for procurement_id, municipality_id in Participation.objects.filter(
        procurement_id__in=ids, status=ParticipationStatus.JOINED, municipality_id__in=list(municipal_roles)
    ).values_list("procurement_id", "municipality_id"):
        joined.setdefault(procurement_id, set()).add(municipality_id)

    rows: list[Task] = []
    document_roles_of: dict[int, set[str]] = {}
    for procurement in procurements:
        page = reverse("agreements_page", args=[procurement.pk])
        dpa = dpas.get(procurement.pk)
        roles = set(body_roles.get(procurement.collaboration_id, ()))
        for municipality_id in joined.get(procurement.pk, ()):
            roles |= municipal_roles[municipality_id]
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
            and procurement.collaboration_id in coordinates
            and not contract_signing_block(procurement=procurement)
        ):
            rows.append(_task(gettext("Signer kontrakten"), page + "#kontrakt", procurement, kind="sign_contract"))
    return rows
