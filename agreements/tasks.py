"""What waits for a person in the agreements, for "Mine oppgaver": the agreement's data to
complete or review (the data protection officer, those who run the case) and the contract to
sign (the coordinator). A plain function of small rows; the tasks screen shows them."""
from django.urls import reverse
from django.utils.translation import gettext

from procurement import phases
from procurement.extensions import Task
from procurement.models import Procurement

from .models import Contract, ContractState, DataProcessingAgreement


def _task(title: str, url: str, procurement: Procurement, kind: str = "agreement") -> Task:
    return Task(kind=kind, title=title, url=url, procurement=procurement)

def tasks_for(user) -> list[Task]:
    """USER's agreement tasks in procurements standing in the tender-documents or contract
    phase. Queries: one for the procurements, two for their agreements and contracts, and
    the permission checks (django-guardian caches per object)."""
    from guardian.shortcuts import get_objects_for_user

    from .services import contract_signer_bodies, contract_signing_block, may_edit_dpa

    if not user.is_authenticated:
        return []
    procurements = list(
        get_objects_for_user(user, "procurement.view_procurement", klass=Procurement, accept_global_perms=True)
        .filter(state__in=(phases.TENDER_DOCUMENTS, phases.CONTRACT))
        .select_related("collaboration")
        .order_by("pk")
    )
    ids = [p.pk for p in procurements]
    dpas = {d.procurement_id: d for d in DataProcessingAgreement.objects.filter(procurement_id__in=ids)}
    contracts = {c.procurement_id: c for c in Contract.objects.filter(procurement_id__in=ids)}
    rows: list[Task] = []
    for procurement in procurements:
        page = reverse("agreements_page", args=[procurement.pk])
        dpa = dpas.get(procurement.pk)
        if (dpa is None or not dpa.signed_copy) and may_edit_dpa(user=user, procurement=procurement):
            title = gettext("Fyll ut databehandleravtalen") if dpa is None else gettext("Gå gjennom databehandleravtalen")
            rows.append(_task(title, page + "#databehandleravtale", procurement))
        contract = contracts.get(procurement.pk)
        if (
            procurement.state == phases.CONTRACT
            and contract is not None
            and contract.state == ContractState.DRAFT
            and contract_signer_bodies(user=user, procurement=procurement)
            and not contract_signing_block(procurement=procurement)
        ):
            rows.append(_task(gettext("Signer kontrakten"), page + "#kontrakt", procurement, kind="sign_contract"))
    return rows
