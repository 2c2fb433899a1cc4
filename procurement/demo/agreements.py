"""The contract and the data processing agreement in the demo (issue 8), as data through the
agreements services: the route-planning case passes the contract phase with its contract
signed and the agreement signed by every chief executive (signed copies sealed, sent to the
municipalities and K-IKT); the child welfare system's draft goes with its tender documents; the
welfare platform waits for the last three chief executives
after one signature was voided when the data protection officer corrected the sub-processors."""
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DemoAgreements:
    dpa: dict  # agreements.services.DPA_FIELDS
    contract: dict | None = None  # agreements.services.CONTRACT_FIELDS
    sign_contract: bool = False
    dpa_author: str = "personvern"
    draft: bool = False  # also save it in the tender-documents phase (the draft with the tender documents)
    contract_signer: str = ""  # username; the coordinator when empty (seed 000: or the general manager)


def dpa_values(supplier: str, number: str, *, purpose: str, subjects: list[str], data: list[str], health: str = "",
               measures: list[str], sub_processors: list[str]) -> dict:
    return {
        "processor_name": supplier,
        "processor_org_number": number,
        "processor_address": "",
        "processor_contact": "",
        "purpose": purpose,
        "nature": "Innsamling, lagring, visning, overføring og sletting på vegne av kommunene.",
        "duration": "Så lenge kontrakten varer. Opplysningene slettes eller leveres tilbake innen 30 dager etter at den opphører.",
        "data_subjects": "\n".join(subjects),
        "personal_data": "\n".join(data),
        "health_data": bool(health),
        "special_categories": health,
        "special_safeguards": "Tilgang bare for helsepersonell med tjenstlig behov; alle oppslag logges og gjennomgås." if health else "",
        "security_measures": "\n".join(measures),
        "sub_processors": "\n".join(sub_processors),
        "transfers": "",
    }


def contract_values(supplier: str, number: str, *, contract_type: str, subject: str, value: int, one_off: int, yearly: int) -> dict:
    return {
        "contract_type": contract_type,
        "other_type": "",
        "supplier_name": supplier,
        "supplier_org_number": number,
        "subject": subject,
        "value": Decimal(value),
        "one_off_cost": Decimal(one_off),
        "yearly_cost": Decimal(yearly),
        "acceptance_test_days": 30,
        "delay_penalty_per_mille": Decimal("1.5"),
        "delay_penalty_cap_percent": Decimal("15"),
        "duration_months": 48,
        "extensions": 2,
        "extension_months": 12,
        "options": "Flere moduler og flere kommuner i regionen på samme vilkår.",
    }


def before_fill(seeder, spec, procurement) -> set[str]:
    """In the contract phase: the agreement's data (its PDF is the dpa gate's document) and
    the contract's terms. Returns the deliverables this wrote, for the seeder to leave alone."""
    from agreements.services import contract_save, dpa_save

    from .. import phases

    agreements = getattr(spec, "agreements", None)
    if agreements is not None and agreements.draft and procurement.state == phases.TENDER_DOCUMENTS:
        if not procurement.deliverables.filter(definition__code="tender-dpa", current_version__isnull=False).exists():
            dpa_save(user=seeder.person(agreements.dpa_author), procurement_id=procurement.pk, values=agreements.dpa)
        return {"tender-dpa"}
    if agreements is None or procurement.state != phases.CONTRACT:
        return set()
    written = {"contract-dpa"}
    if not procurement.deliverables.filter(definition__code="contract-dpa", current_version__isnull=False).exists():
        dpa_save(user=seeder.person(agreements.dpa_author), procurement_id=procurement.pk, values=agreements.dpa)
    if agreements.contract is not None:
        contract_save(user=seeder.coordinator, procurement_id=procurement.pk, values=agreements.contract)
        if agreements.sign_contract:
            written.add("contract-signed")
    return written


def before_complete(seeder, spec, procurement) -> None:
    """The contract signed by the coordinator, or the collaboration's general manager where the
    case names them, once the standstill period is over (the demo seeds without the step-up:
    nobody sits at a screen)."""
    from agreements.models import Contract, ContractState
    from agreements.services import contract_signature_record

    from .. import phases

    agreements = getattr(spec, "agreements", None)
    procurement = seeder.reload(procurement)
    if agreements is None or not agreements.sign_contract or procurement.state != phases.CONTRACT:
        return
    if Contract.objects.filter(procurement=procurement, state=ContractState.DRAFT).exists():
        signer = seeder.person(agreements.contract_signer) if agreements.contract_signer else seeder.coordinator
        contract_signature_record(user=signer, procurement_id=procurement.pk)
