"""Writes of the contract and the data processing agreement. Each service locks the
procurement, checks, validates, saves, audits; the agreement's rendering goes in as a new
version of the dpa gate's document through procurement's one mechanism
(deliverable_version_add: hash, void earlier signatures visibly, audit)."""
import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, record_language
from contracts.selectors import contract_signing_refusals
from core.stepup import step_up_confirm
from municipalities.models import Body, Country, Person, RoleAssignment, organisation_number_error
from municipalities.roles import CONTRACT_SIGNING_ROLES, COORDINATING_ROLES, Role
from procurement import phases
from procurement.exceptions import ProcurementError
from procurement.models import DeadlineKind, Deliverable, DeliverableDefinition, Participation, ParticipationStatus, Procurement
from procurement.selectors.access import roles_in_procurement
from procurement.services.deadlines import rule_deadline_set
from procurement.services.deliverables import can_replace_gate_document, deliverable_version_add
from procurement.services.guards import procurement_locked, refusals_audited

from .content import MAX_SUB_PROCESSORS, parse_sub_processors
from .models import Contract, ContractState, ContractType, DataProcessingAgreement, Distribution
from .printing import SignatureRow, before_contract, contract_render, dpa_render, sha256_of, signed_copy

DPA_DELIVERABLE = "contract-dpa"  # the dpa gate's document (procurement.catalogue_seed)
DRAFT_DPA_DELIVERABLE = "tender-dpa"  # the draft attached to the tender documents
CONTRACT_DELIVERABLE = "contract-signed"
SHARED_IT_KIND = "shared_it"  # K-IKT: budgets the yearly maintenance from the signed documents
EDITABLE_PHASES = tuple(phases.PHASES[: phases.PHASES.index(phases.CONTRACT) + 1])


class AgreementRefused(ProcurementError):
    pass


class ContractSignatureRefused(AgreementRefused):
    """The contract may not be signed yet; the message says why and until when."""


def _definition(procurement: Procurement, code: str) -> DeliverableDefinition | None:
    return (
        DeliverableDefinition.objects.select_related("phase")
        .prefetch_related("gates")
        .filter(version_id=procurement.process_version_id, code=code)
        .first()
    )


def dpa_document_roles(procurement: Procurement) -> set[str] | None:
    """The roles the dpa gate names for its document (the data protection officer), or None
    when the procurement's process has no such deliverable."""
    definition = _definition(procurement, DPA_DELIVERABLE)
    if definition is None:
        return None
    return {role for gate in definition.gates.all() for role in gate.document_roles}


def may_edit_dpa(*, user, procurement: Procurement, roles: set[str] | None = None) -> bool:
    """Those who manage the dpa gate: who runs the procurement and the roles the gate names
    for its document (the data protection officer) — the same rule as for a new version."""
    definition = _definition(procurement, DPA_DELIVERABLE)
    if definition is None:
        return user.has_perm("procurement.manage_procurement", procurement)
    if roles is None:
        roles = roles_in_procurement(user=user, procurement=procurement)
    return can_replace_gate_document(user, procurement, definition, roles)


def refusal_before_form(*, user, procurement: Procurement, action: str, what: str, message: str) -> PermissionDenied:
    """The refusal a view gives someone who may not act at all, before reading the form,
    written to the audit log like the service's own refusals. Returns the error to raise."""
    from audit.services import audit_refusal

    error = PermissionDenied(message)
    audit_refusal(
        actor=user, action=action, procurement_id=procurement.pk, message=f"Avvist: {user} forsøkte å {what}. {message}",
        data={"refusal": "PermissionDenied"},
    )
    return error


# ----------------------------------------------------------------- data processing agreement

DPA_FIELDS = (
    "processor_name", "processor_org_number", "processor_address", "processor_contact", "purpose", "nature",
    "duration", "data_subjects", "personal_data", "health_data", "special_categories", "special_safeguards",
    "security_measures", "sub_processors", "transfers",
)
REQUIRED_DPA_FIELDS = ("processor_name", "processor_org_number", "purpose", "nature", "duration", "data_subjects",
                       "personal_data", "security_measures")


DRAFT_OPTIONAL_FIELDS = ("processor_name", "processor_org_number")  # unknown until the supplier is chosen


def dpa_errors(values: dict, *, country: str, draft: bool = False) -> dict[str, str]:
    """What is wrong with VALUES, field by field (the form shows each next to its field). A
    DRAFT (before the contract phase) may leave the processor open."""
    errors: dict[str, str] = {}
    for name in REQUIRED_DPA_FIELDS:
        if draft and name in DRAFT_OPTIONAL_FIELDS:
            continue
        if not str(values.get(name) or "").strip():
            errors[name] = gettext("Fyll ut feltet.")
    number = str(values.get("processor_org_number") or "").replace(" ", "")
    if number and (message := organisation_number_error(number, country if country in Country.values else Country.NORWAY)):
        errors["processor_org_number"] = str(message)
    if values.get("health_data") and not str(values.get("special_categories") or "").strip():
        errors["special_categories"] = gettext("Beskriv de særlige kategoriene når det behandles helseopplysninger.")
    try:
        rows = parse_sub_processors(values.get("sub_processors") or "")
        if len(rows) > MAX_SUB_PROCESSORS:
            errors["sub_processors"] = gettext("Høyst %(n)s underdatabehandlere.") % {"n": MAX_SUB_PROCESSORS}
    except ValueError as error:
        errors["sub_processors"] = gettext("Linje %(line)s: skriv navn; land; hva de gjør.") % {"line": error.args[0]}
    return errors


@refusals_audited(Action.DPA_REFUSED, lambda kw: "forsøkte å endre databehandleravtalen")
@transaction.atomic
def dpa_save(*, user, procurement_id: int, values: dict) -> DataProcessingAgreement:
    """Saves the agreement's data. In the contract phase its rendering becomes the next
    version of the dpa gate's document (earlier signatures are voided visibly); in the
    tender-documents phase the draft becomes a version of the tender documents' draft."""
    procurement = procurement_locked(procurement_id)
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    if not may_edit_dpa(user=user, procurement=procurement):
        raise PermissionDenied(gettext("Bare de som styrer anskaffelsen og personvernombudet kan endre databehandleravtalen."))
    if procurement.state not in EDITABLE_PHASES:
        raise AgreementRefused(gettext("Databehandleravtalen kan bare endres til og med kontraktsfasen."))
    dpa = DataProcessingAgreement.objects.filter(procurement=procurement).first()
    if dpa is not None and dpa.signed_copy:
        raise AgreementRefused(gettext("Alle kommunedirektørene har signert databehandleravtalen; den kan ikke endres lenger."))
    clean = {name: values.get(name, "") for name in DPA_FIELDS}
    clean["health_data"] = bool(values.get("health_data"))
    for name in DPA_FIELDS:
        if name != "health_data":
            clean[name] = str(clean[name] or "").strip()
    clean["processor_org_number"] = clean["processor_org_number"].replace(" ", "")
    errors = dpa_errors(clean, country=procurement.collaboration.country, draft=before_contract(procurement))
    if errors:
        raise ValidationError(errors)
    changed = dpa is None or any(getattr(dpa, name) != value for name, value in clean.items())
    if dpa is None:
        dpa = DataProcessingAgreement(procurement=procurement, updated_by=user, **clean)
    else:
        for name, value in clean.items():
            setattr(dpa, name, value)
    if changed:
        dpa.revision += 1
        dpa.updated_by = user
        dpa.save()
        dpa.refresh_from_db(fields=["updated_at"])
        audit_record(
            actor=user,
            action=Action.DPA_SAVED,
            procurement=procurement,
            message=f"Databehandleravtalen er endret (revisjon {dpa.revision}).",
            data={"revision": dpa.revision, "health_data": dpa.health_data},
        )
    code = _phase_deliverable(procurement)
    # Unchanged data still goes in once per phase: the draft of the tender documents becomes
    # the agreement the chief executives sign when the contract phase has none yet.
    if changed or (
        code and not Deliverable.objects.filter(procurement=procurement, definition__code=code, current_version__isnull=False).exists()
    ):
        _dpa_version_add(user=user, procurement=procurement, dpa=dpa)
    return dpa


def _phase_deliverable(procurement: Procurement) -> str:
    return {phases.CONTRACT: DPA_DELIVERABLE, phases.TENDER_DOCUMENTS: DRAFT_DPA_DELIVERABLE}.get(procurement.state, "")


def _dpa_version_add(*, user, procurement: Procurement, dpa: DataProcessingAgreement):
    if procurement.state == phases.CONTRACT:
        code, draft = DPA_DELIVERABLE, False
    elif procurement.state == phases.TENDER_DOCUMENTS:
        code, draft = DRAFT_DPA_DELIVERABLE, True
    else:
        return None
    definition = _definition(procurement, code)
    if definition is None:
        return None
    pdf = dpa_render(procurement, dpa, draft=draft)
    name = f"{'utkast-' if draft else ''}databehandleravtale-{procurement.pk}-r{dpa.revision}.pdf"
    upload = SimpleUploadedFile(name, pdf, content_type="application/pdf")
    return deliverable_version_add(user=user, procurement=procurement, definition=definition, file=upload)


def dpa_signature_recorded(*, procurement: Procurement, signoff, readiness, actor) -> None:
    """procurement.extensions hook, inside the signature's transaction: when the signature
    completes the dpa gate, the signed copy is made (the version signed + a signature page
    with who, when and the SHA-256 each signed), sealed, and the distribution checked."""
    gate = next(
        (g for g in readiness.signature_gates if g.gate.document_id and g.gate.pk == signoff.step.gate_id), None
    )
    if gate is None or gate.document is None or not gate.passed:
        return
    if gate.document.definition.code != DPA_DELIVERABLE:
        return
    dpa = DataProcessingAgreement.objects.filter(procurement=procurement).first()
    version = gate.document.current_version
    if dpa is None or dpa.signed_copy or not version.is_file:
        return
    with record_language():
        rows = [
            SignatureRow(
                person=str(slot.signoff.person),
                role=str(Role(slot.signoff.role).label),
                on_behalf=slot.label,
                at=slot.signoff.signed_at,
                sha256=slot.signoff.document_sha256,
            )
            for step in gate.steps
            for slot in step.slots
        ]
    with version.file.open("rb") as handle:
        document = handle.read()
    pdf = signed_copy(
        document=document,
        title=f"Databehandleravtale – {procurement.title}",
        intro=(
            f"Versjon {version.number} av databehandleravtalen er signert av kommunedirektøren i hver av de "
            f"{len(rows)} deltakerkommunene, som er behandlingsansvarlige. SHA-256 av versjonen: {version.sha256}."
        ),
        rows=rows,
        time_zone=procurement.collaboration.tzinfo,
        reason="Databehandleravtale signert av alle behandlingsansvarlige",
    )
    dpa.signed_copy.save(f"databehandleravtale-signert-{procurement.pk}.pdf", ContentFile(pdf), save=False)
    dpa.signed_copy_sha256 = sha256_of(pdf)
    dpa.signed_copy_at = timezone.now()
    dpa.signed_version = version
    dpa.save(update_fields=["signed_copy", "signed_copy_sha256", "signed_copy_at", "signed_version"])
    audit_record(
        actor=actor,
        action=Action.DPA_SIGNED_COPY,
        procurement=procurement,
        message=f"Alle {len(rows)} kommunedirektørene har signert databehandleravtalen (versjon {version.number}); signert kopi er laget.",
        data={"version": version.number, "sha256": version.sha256, "signed_copy_sha256": dpa.signed_copy_sha256},
    )
    distribute_if_complete(procurement=procurement)


# ----------------------------------------------------------------- contract

CONTRACT_FIELDS = (
    "contract_type", "other_type", "supplier_name", "supplier_org_number", "subject", "value", "one_off_cost",
    "yearly_cost", "acceptance_test_days", "delay_penalty_per_mille", "delay_penalty_cap_percent", "duration_months",
    "extensions", "extension_months", "options",
)


def contract_errors(values: dict, *, country: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("contract_type") not in ContractType.values:
        errors["contract_type"] = gettext("Velg avtaletype.")
    elif values.get("contract_type") == ContractType.OTHER and not values.get("other_type"):
        errors["other_type"] = gettext("Skriv hvilken avtale det er.")
    for name in ("supplier_name", "subject"):
        if not values.get(name):
            errors[name] = gettext("Fyll ut feltet.")
    number = values.get("supplier_org_number") or ""
    if not number:
        errors["supplier_org_number"] = gettext("Fyll ut feltet.")
    elif message := organisation_number_error(number, country if country in Country.values else Country.NORWAY):
        errors["supplier_org_number"] = str(message)
    for name in ("value", "one_off_cost", "yearly_cost"):
        value = values.get(name)
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value >= Decimal("1e12"):
            errors[name] = gettext("Skriv et beløp fra 0 til under 1 000 milliarder kroner.")
    for name, top in (("delay_penalty_per_mille", Decimal(1000)), ("delay_penalty_cap_percent", Decimal(100))):
        value = values.get(name)
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value > top:
            errors[name] = gettext("Skriv et tall fra 0 til %(top)s.") % {"top": top}
    for name in ("acceptance_test_days", "duration_months", "extensions", "extension_months"):
        value = values.get(name)
        if not isinstance(value, int) or value < 0 or value > 1200:
            errors[name] = gettext("Skriv et helt tall fra 0 til 1200.")
    return errors


@refusals_audited(Action.CONTRACT_REFUSED, lambda kw: "forsøkte å endre kontrakten")
@transaction.atomic
def contract_save(*, user, procurement_id: int, values: dict) -> Contract:
    procurement = procurement_locked(procurement_id)
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    if not user.has_perm("procurement.manage_procurement", procurement):
        raise PermissionDenied(gettext("Bare de som styrer anskaffelsen kan endre kontrakten."))
    if procurement.state not in EDITABLE_PHASES:
        raise AgreementRefused(gettext("Kontrakten kan bare endres til og med kontraktsfasen."))
    contract = Contract.objects.filter(procurement=procurement).first()
    if contract is not None and contract.state == ContractState.SIGNED:
        raise AgreementRefused(gettext("Kontrakten er signert og kan ikke endres."))
    clean = {name: values.get(name) for name in CONTRACT_FIELDS}
    for name in ("contract_type", "other_type", "supplier_name", "supplier_org_number", "subject", "options"):
        clean[name] = str(clean[name] or "").strip()
    clean["supplier_org_number"] = clean["supplier_org_number"].replace(" ", "")
    if clean["contract_type"] != ContractType.OTHER:
        clean["other_type"] = ""
    errors = contract_errors(clean, country=procurement.collaboration.country)
    if errors:
        raise ValidationError(errors)
    if contract is None:
        contract = Contract(procurement=procurement, updated_by=user, **clean)
    else:
        for name, value in clean.items():
            setattr(contract, name, value)
        contract.updated_by = user
    contract.save()
    audit_record(
        actor=user,
        action=Action.CONTRACT_SAVED,
        procurement=procurement,
        message=f"Kontrakten ({contract.type_label}) med {contract.supplier_name} er lagret.",
        data={"contract_type": contract.contract_type, "value": str(contract.value), "yearly_cost": str(contract.yearly_cost)},
    )
    return contract


def contract_signing_block(*, procurement: Procurement, now: datetime | None = None) -> str:
    """Why the contract may not be signed at NOW, or "" when nothing stands in the way: the
    award notice must be sent, its standstill period over (24:00 of its last day in the
    collaboration's zone) and no complaint open. The contracts app owns that rule."""
    return " ".join(contract_signing_refusals(procurement=procurement, now=now))


def contract_signers(*, user, procurement: Procurement) -> list[tuple[str, Body]]:
    """(role, body) for each of the collaboration's bodies in which USER holds a role that
    signs the contract (seed 000: the coordinator, or the collaboration's general manager),
    the coordinator first. One query: the role assignments the permissions are synced from."""
    if not user.is_authenticated or not user.is_active:
        return []
    rows = (
        RoleAssignment.objects.filter(
            person_id=user.pk, role__in=CONTRACT_SIGNING_ROLES, body__collaboration_id=procurement.collaboration_id
        )
        .select_related("body")
        .order_by("body__name", "pk")
    )
    order = {Role.COORDINATOR.value: 0, Role.GENERAL_MANAGER.value: 1}
    return sorted(((row.role, row.body) for row in rows), key=lambda pair: order.get(pair[0], 9))


def contract_signer_bodies(*, user, procurement: Procurement) -> list[Body]:
    """The collaboration's bodies in which USER may sign the contract."""
    return [body for _role, body in contract_signers(user=user, procurement=procurement)]


def _months_later(day, months: int):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def contract_deadlines_set(*, procurement: Procurement, contract: Contract) -> None:
    """The signed contract's dates as deadlines of the case (procurement's deadline model),
    counted from the day it was signed in the collaboration's zone: the end of the acceptance
    test, the contract's end, and, while it can be extended, the last day to decide on the
    next extension (the contract's end). Reminded from five months ahead for the contract's
    end and its options (settings.REMINDER_OFFSETS_BY_KIND)."""
    signed_on = timezone.localtime(contract.signed_at, procurement.collaboration.tzinfo).date()
    ends_on = _months_later(signed_on, contract.duration_months)
    rule_deadline_set(
        procurement=procurement, kind=DeadlineKind.ACCEPTANCE_TEST, rule="contract_terms", title="Godkjenningsperioden løper ut",
        due_date=signed_on + timedelta(days=contract.acceptance_test_days), inputs={"signed_on": signed_on.isoformat()},
    )
    rule_deadline_set(
        procurement=procurement, kind=DeadlineKind.CONTRACT_EXPIRY, rule="contract_terms", title="Kontrakten løper ut",
        due_date=ends_on, inputs={"signed_on": signed_on.isoformat(), "months": contract.duration_months},
    )
    rule_deadline_set(
        procurement=procurement, kind=DeadlineKind.CONTRACT_OPTION, rule="contract_terms", key="extension-1",
        title=f"Avgjør om kontrakten skal forlenges med {contract.extension_months} måneder",
        due_date=ends_on if contract.extensions and contract.extension_months else None,
        inputs={"extensions": contract.extensions, "months": contract.extension_months},
    )


def contract_terms_recipients(*, deadlines) -> dict[int, set[int]]:
    """Who is reminded of a contract's dates (registered as a deadline rule, so the reminders
    go on after the case is closed, as long as the contract runs): those who run the
    procurement's collaboration and those who sign its contracts (the coordinator and the
    general manager, who decide on an option or an extension). Two queries for any number
    of deadlines."""
    from procurement.recipients import coordinators_by_deadline

    return coordinators_by_deadline(deadlines=deadlines, roles=COORDINATING_ROLES | CONTRACT_SIGNING_ROLES)


def contract_sign(*, user, procurement_id: int, password: str, request=None) -> Contract:
    """Step-up first (a wrong password is refused and audited, nothing recorded, and with the
    REQUEST counted towards the login lockout), then the signature itself."""
    step_up_confirm(user=user, password=password, procurement_id=procurement_id, what="kontrakten", request=request)
    return contract_signature_record(user=user, procurement_id=procurement_id)


@refusals_audited(Action.CONTRACT_REFUSED, lambda kw: "forsøkte å signere kontrakten")
@transaction.atomic
def contract_signature_record(*, user, procurement_id: int) -> Contract:
    """The signature itself, once the signer has confirmed who they are (contract_sign asks
    for the password; a BankID signer would confirm by its own means): refused before the
    standstill period has ended, while a complaint is open, or by anyone but the
    collaboration's coordinator or general manager. Makes the signed copy, sealed, and adds it as the version of
    the signed-contract deliverable."""
    procurement = procurement_locked(procurement_id)
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    signers = contract_signers(user=user, procurement=procurement)
    if not signers:
        raise PermissionDenied(gettext("Bare samarbeidets koordinator eller daglig leder signerer kontrakten."))
    contract = Contract.objects.select_for_update().filter(procurement=procurement).first()
    if contract is None:
        raise ContractSignatureRefused(gettext("Kontrakten er ikke fylt ut ennå."))
    if contract.state == ContractState.SIGNED:
        raise ContractSignatureRefused(gettext("Kontrakten er allerede signert."))
    if procurement.state != phases.CONTRACT:
        raise ContractSignatureRefused(gettext("Kontrakten signeres i kontraktsfasen."))
    block = contract_signing_block(procurement=procurement)
    if block:
        raise ContractSignatureRefused(block)
    now = timezone.now()
    document = contract_render(procurement, contract)
    sha = sha256_of(document)
    with record_language():
        signed_as, body = signers[0]
        role = f"{Role(signed_as).label}, {body.name}"
    pdf = signed_copy(
        document=document,
        title=f"Kontrakt – {procurement.title}",
        intro=f"Kontrakten er signert for kommunene i {procurement.collaboration.name}. SHA-256 av kontrakten: {sha}.",
        rows=[SignatureRow(str(user), role, procurement.collaboration.name, now, sha)],
        time_zone=procurement.collaboration.tzinfo,
        reason="Kontrakt signert",
    )
    contract.signed_copy.save(f"kontrakt-signert-{procurement.pk}.pdf", ContentFile(pdf), save=False)
    contract.signed_copy_sha256 = sha256_of(pdf)
    contract.document_sha256 = sha
    contract.signed_by, contract.signed_role, contract.signed_at = user, role, now
    contract.state = ContractState.SIGNED
    contract.save()
    audit_record(
        actor=user,
        action=Action.CONTRACT_SIGNED,
        procurement=procurement,
        message=f"{user} ({role}) signerte kontrakten med {contract.supplier_name}.",
        data={"sha256": sha, "signed_copy_sha256": contract.signed_copy_sha256},
    )
    contract_deadlines_set(procurement=procurement, contract=contract)
    definition = _definition(procurement, CONTRACT_DELIVERABLE)
    if definition is not None:
        upload = SimpleUploadedFile(f"kontrakt-signert-{procurement.pk}.pdf", pdf, content_type="application/pdf")
        # The signature above was the authorisation: the general manager signs without
        # writing deliverables otherwise.
        deliverable_version_add(user=user, procurement=procurement, definition=definition, file=upload, authorised=True)
    distribute_if_complete(procurement=procurement)
    return contract


# ----------------------------------------------------------------- distribution


@dataclass(frozen=True)
class CostRow:
    municipality_id: int
    name: str
    share: Decimal
    yearly: Decimal


def yearly_costs(procurement: Procurement, contract: Contract | None) -> list[CostRow]:
    from .costs import yearly_cost_split

    joined = list(
        Participation.objects.filter(procurement=procurement, status=ParticipationStatus.JOINED)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    shares = {p.municipality_id: p.cost_share or Decimal(0) for p in joined}
    split = yearly_cost_split(contract.yearly_cost, shares) if contract is not None and shares else {}
    return [
        CostRow(p.municipality_id, p.municipality.name, shares[p.municipality_id], split.get(p.municipality_id, Decimal(0)))
        for p in joined
    ]


def distribute_if_complete(*, procurement: Procurement) -> int:
    """Once both the contract and the agreement are signed: one e-mail per person (the
    participating municipalities' representatives and chief executives, and K-IKT) with both
    signed copies attached, recorded in the outbox in this transaction, exactly once (a
    Distribution row and the keys)."""
    from django.urls import reverse

    from core.numbers import kroner_text, percent_text
    from notifications.services import Message, after_commit, outbox_add
    from notifications.tasks import outbox_dispatch
    from procurement.notifications import absolute_url

    contract = Contract.objects.filter(procurement=procurement, state=ContractState.SIGNED).first()
    dpa = DataProcessingAgreement.objects.filter(procurement=procurement).exclude(signed_copy="").first()
    if contract is None or dpa is None:
        return 0
    distribution, created = Distribution.objects.get_or_create(procurement=procurement)
    if not created:
        return 0
    costs = yearly_costs(procurement, contract)
    municipality_ids = [row.municipality_id for row in costs]
    people: dict[int, set[int | None]] = {}
    for person_id, municipality_id in Person.objects.filter(
        is_active=True,
        role_assignments__role__in=(Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE),
        role_assignments__municipality_id__in=municipality_ids,
        role_assignments__body__isnull=True,
    ).exclude(email="").values_list("pk", "role_assignments__municipality_id"):
        people.setdefault(person_id, set()).add(municipality_id)
    for person_id in Person.objects.filter(
        is_active=True,
        role_assignments__body__collaboration_id=procurement.collaboration_id,
        role_assignments__body__kind=SHARED_IT_KIND,
    ).exclude(email="").values_list("pk", flat=True):
        people.setdefault(person_id, set()).add(None)  # None: K-IKT sees every municipality
    link = absolute_url(reverse("procurement_detail", args=[procurement.pk])) + "#avtaler"
    subject = f"Signert kontrakt og databehandleravtale: {procurement.title}"
    # The stored copies themselves, attached when each mail is sent (the outbox keeps the
    # references); the checksums let a recipient's archive verify what it received.
    contract_name, dpa_name = f"kontrakt-signert-{procurement.pk}.pdf", f"databehandleravtale-signert-{procurement.pk}.pdf"
    attachments = ((contract.signed_copy.name, contract_name), (dpa.signed_copy.name, dpa_name))
    messages = []
    for person_id, where in sorted(people.items()):
        rows = costs if None in where else [row for row in costs if row.municipality_id in where]
        body = [
            subject,
            "",
            f"Kontrakten ({contract.type_label}) med {contract.supplier_name} og databehandleravtalen er signert.",
            "Begge de signerte kopiene er vedlagt, og de ligger også på anskaffelsens side:",
            link,
            "",
            f"- {contract_name}: SHA-256 {contract.signed_copy_sha256}",
            f"- {dpa_name}: SHA-256 {dpa.signed_copy_sha256}",
            "",
            f"Årlige kostnader i alt: {kroner_text(contract.yearly_cost)} eks. mva. Fordelt etter kostnadsnøkkelen:",
            *[f"- {row.name}: {kroner_text(row.yearly)} ({percent_text(row.share)})" for row in rows],
            "",
        ]
        messages.append(
            Message(
                key=f"agreements:distributed:{procurement.pk}:{person_id}",
                kind="notification:agreements_distributed",
                recipient_id=person_id,
                subject=subject[:255],
                body="\n".join(body),
                procurement_id=procurement.pk,
                attachments=attachments,
            )
        )
    created_ids = outbox_add(messages)
    distribution.recipients = len(messages)
    distribution.save(update_fields=["recipients"])
    audit_record(
        actor=None,
        action=Action.AGREEMENTS_DISTRIBUTED,
        procurement=procurement,
        message=f"Signert kontrakt og databehandleravtale er sendt til {len(messages)} mottakere i kommunene og K-IKT.",
        data={"recipients": len(messages)},
    )
    if created_ids:
        after_commit(outbox_dispatch)
    return len(messages)
