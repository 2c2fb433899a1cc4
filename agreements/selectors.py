"""What the screens show of the contract and the data processing agreement, read for one
procurement in a fixed number of queries."""
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from guardian.core import ObjectPermissionChecker

from procurement import phases
from procurement.models import Procurement, SignOff
from procurement.selectors.access import roles_in_procurement

from .models import Contract, ContractState, DataProcessingAgreement, Distribution
from .services import (
    DPA_DELIVERABLE,
    EDITABLE_PHASES,
    CostRow,
    contract_signer_bodies,
    contract_signing_block,
    dpa_document_roles,
    yearly_costs,
)

SHOWN_FROM = phases.PHASES.index(phases.TENDER_DOCUMENTS)


@dataclass
class AgreementSection:
    procurement: Procurement
    dpa: DataProcessingAgreement | None
    contract: Contract | None
    may_edit_dpa: bool
    may_edit_contract: bool
    may_sign_contract: bool
    signing_block: str
    costs: list[CostRow] = field(default_factory=list)
    distribution: Distribution | None = None
    dpa_signed: int = 0
    dpa_voided: int = 0

    @property
    def contract_signed(self) -> bool:
        return self.contract is not None and self.contract.state == ContractState.SIGNED

    @property
    def dpa_complete(self) -> bool:
        return self.dpa is not None and bool(self.dpa.signed_copy)

    @property
    def both_signed(self) -> bool:
        return self.contract_signed and self.dpa_complete


def _shown(procurement: Procurement) -> bool:
    if procurement.state == phases.CLOSED:
        return True
    return procurement.state in phases.PHASES and phases.PHASES.index(procurement.state) >= SHOWN_FROM


def agreement_section(*, user, procurement: Procurement, now: datetime | None = None) -> AgreementSection | None:
    """The section for USER, or None before the tender documents (nothing to show) or when
    USER may not see the case."""
    if not user.is_authenticated:
        return None
    checker = ObjectPermissionChecker(user)

    def may(perm: str) -> bool:
        # user.has_perm(perm, procurement), the object's permissions read once for all questions.
        return user.has_perm(perm) or checker.has_perm(perm, procurement)

    if not may("procurement.view_procurement"):
        return None
    dpa = DataProcessingAgreement.objects.filter(procurement=procurement).first()
    contract = Contract.objects.filter(procurement=procurement).select_related("signed_by").first()
    if not (_shown(procurement) or dpa or contract):
        return None
    editable = procurement.state in EDITABLE_PHASES
    can_manage = may("procurement.manage_procurement")
    document_roles = dpa_document_roles(procurement)
    if document_roles is None:
        dpa_editor = can_manage
    else:
        dpa_editor = can_manage or bool(document_roles & roles_in_procurement(user=user, procurement=procurement))
    signed = contract is not None and contract.state == ContractState.SIGNED
    may_sign = (
        contract is not None and not signed and procurement.state == phases.CONTRACT
        and bool(contract_signer_bodies(user=user, procurement=procurement))
    )
    live = SignOff.objects.filter(procurement=procurement, step__gate__document__code=DPA_DELIVERABLE)
    counts = {"live": 0, "void": 0}
    for voided_at in live.values_list("voided_at", flat=True):
        counts["void" if voided_at else "live"] += 1
    return AgreementSection(
        procurement=procurement,
        dpa=dpa,
        contract=contract,
        may_edit_dpa=editable and not (dpa and dpa.signed_copy) and dpa_editor,
        may_edit_contract=editable and not signed and can_manage,
        may_sign_contract=may_sign,
        signing_block=contract_signing_block(procurement=procurement, now=now or timezone.now())
        if contract is not None and not signed and procurement.state == phases.CONTRACT
        else "",
        costs=yearly_costs(procurement, contract),
        distribution=Distribution.objects.filter(procurement=procurement).first(),
        dpa_signed=counts["live"],
        dpa_voided=counts["void"],
    )
