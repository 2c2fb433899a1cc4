"""Benchmark data, written the way the screens write it: every procurement, invitation,
answer, cost share, deliverable version, signature, award notice and phase change goes
through the services, so the rows, guardian permissions and audit entries are the real ones.
Only the plain rows a service does not own (collaborations, municipalities and their
memberships, bodies, logins) are created directly; roles go through ``role_assign``.

    crews = [crew_build(n) for n in range(3)]     # 3 collaborations x 7 municipalities
    procurement_build(crews, serial=0)              # scenario and collaboration by the serial

``SCENARIOS`` spreads the procurements over the phases: some invitations unanswered, some
municipalities declining, deliverables with several versions, signatures voided by a new
version of the signed document or by going back to an earlier phase, gates half signed.
"""
import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.no import orgnr

from contracts.services import award_notice_send
from municipalities.models import Body, Collaboration, Membership, Municipality, Person
from municipalities.roles import Role
from municipalities.services import role_assign
from procurement import phases
from procurement.models import DeliverableDefinition, DeliverableKind, GateDefinition, GateKind, Procurement
from procurement.readiness import readiness_for
from procurement.services.deadlines import deadline_add
from procurement.services.deliverables import deliverable_version_add
from procurement.services.intake import cost_shares_set, invitation_answer, invitations_send, procurement_report
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record

MUNICIPALITIES = 7
MEMBER_SINCE = date(2020, 1, 1)
BODY_KINDS = {"steering_group": "Styringsgruppen", "executive_committee": "Kommunedirektørutvalget", "shared_it": "Felles IKT-drift"}
MUNICIPAL_ROLES = (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE, Role.USER_REPRESENTATIVE)
FORWARD = (phases.INTAKE, *phases.PHASES, phases.CLOSED)


def _orgnrs():
    for serial in itertools.count():
        base = f"8{serial:07d}"
        for digit in "0123456789":
            if orgnr.is_valid(base + digit):
                yield base + digit
                break


_ORGNR = _orgnrs()


@dataclass
class Crew:
    """One collaboration and the people who work in it."""

    collaboration: Collaboration
    municipalities: list[Municipality]
    bodies: dict[str, Body]
    coordinator: Person
    committee_chief: Person
    people: dict[tuple[str, int], Person] = field(default_factory=dict)  # (role, municipality id) ->

    def person(self, role: str, municipality: Municipality) -> Person:
        return self.people[(role, municipality.pk)]

    def signer(self, role: str, slot: str) -> Person:
        """Who signs SLOT ("m:<id>" or "b:<id>") in ROLE: known without a query."""
        kind, _, pk = slot.partition(":")
        if kind == "m":
            return self.people[(role, int(pk))]
        body = next(b for b in self.bodies.values() if b.pk == int(pk))
        return self.coordinator if body.kind == "steering_group" else self.committee_chief


def _person(username: str, first_name: str, last_name: str) -> Person:
    person = Person(username=username, first_name=first_name, last_name=last_name, email=f"{username}@example.test")
    person.set_unusable_password()  # the benchmark logs in with force_login
    person.save()
    return person


def crew_build(index: int) -> Crew:
    collaboration = Collaboration.objects.create(name=f"Benkesamarbeid {index + 1}")
    bodies = {
        kind: Body.objects.create(collaboration=collaboration, kind=kind, name=f"{name} {index + 1}") for kind, name in BODY_KINDS.items()
    }
    municipalities = []
    for n in range(MUNICIPALITIES):
        municipality = Municipality.objects.create(
            name=f"Benk {index + 1}-{n + 1}", organisation_number=next(_ORGNR), population=2_000 + 3_517 * ((n * 5 + index) % 7)
        )
        Membership.objects.create(collaboration=collaboration, municipality=municipality, joined_on=MEMBER_SINCE)
        municipalities.append(municipality)
    tag = f"s{index + 1}"
    coordinator = _person(f"{tag}-koordinator", "Koordinator", f"Samarbeid {index + 1}")
    role_assign(actor=None, person=coordinator, role=Role.COORDINATOR, body=bodies["steering_group"])
    committee_chief = _person(f"{tag}-leder-kdu", "Leder", f"KDU {index + 1}")
    role_assign(actor=None, person=committee_chief, role=Role.CHIEF_EXECUTIVE, body=bodies["executive_committee"])
    crew = Crew(collaboration, municipalities, bodies, coordinator, committee_chief)
    for n, municipality in enumerate(municipalities):
        for role in MUNICIPAL_ROLES:
            person = _person(f"{tag}-k{n + 1}-{role}", str(Role(role).label), municipality.name)
            role_assign(actor=None, person=person, role=role, municipality=municipality)
            crew.people[(role, municipality.pk)] = person
    return crew


# --------------------------------------------------------------------------------------
# Moving a procurement through the services
# --------------------------------------------------------------------------------------


def fill(procurement: Procurement, crew: Crew, *, versions: int = 1) -> None:
    """Writes every missing required deliverable of the current phase, VERSIONS times each."""
    for definition in DeliverableDefinition.objects.filter(
        version_id=procurement.process_version_id, phase__code=procurement.state, required=True
    ):
        if definition.kind == DeliverableKind.DOCUMENT:
            continue  # every required deliverable of the national template may be text
        for number in range(1, versions + 1):
            deliverable_version_add(
                user=crew.coordinator,
                procurement=procurement,
                definition=definition,
                text=f"{definition.name}, versjon {number}, for «{procurement.title}».",
            )


def sign(procurement: Procurement, crew: Crew, gate_code: str, *, leave: int = 0) -> int:
    """Approves the open steps of GATE_CODE in order, leaving the last LEAVE slots of the
    final step unsigned. Returns the number of signatures given. The case is judged once;
    each signature is added to that judgement in memory, as the sign-off service does."""
    readiness = readiness_for(procurement, whole_process=False)
    given = 0
    while True:
        gate = next((g for g in readiness.signature_gates if g.gate.code == gate_code), None)
        if gate is None or gate.document is None or gate.passed or gate.open_step is None:
            return given
        step = gate.open_step
        waiting = step.waiting_for
        is_last = step.step.pk == gate.steps[-1].step.pk
        slots = waiting[: len(waiting) - leave] if is_last and leave else waiting
        if not slots:
            return given
        for slot in slots:
            signoff = signoff_record(
                user=crew.signer(step.step.role, slot.slot),
                procurement_id=procurement.pk,
                step_id=step.step.pk,
                slot=slot.slot,
                decision="approve",
                document_sha256=gate.document.current_version.sha256,
            )
            readiness = readiness.signoff_added(signoff)
            given += 1
        if is_last and leave:
            return given


def award_notice(procurement: Procurement, crew: Crew) -> None:
    award_notice_send(user=crew.coordinator, procurement=procurement, sent_on=crew.collaboration.today() - timedelta(days=30))


def advance(procurement: Procurement, crew: Crew, target: str) -> Procurement:
    """Forward to TARGET: deliverables written, conditions met, gates signed (the last
    signature moves the phase on), otherwise the coordinator completes the phase."""
    while procurement.state != target:
        before = procurement.state
        if before == phases.INTAKE:
            procurement_transition(user=crew.coordinator, procurement_id=procurement.pk, transition="start")
        else:
            fill(procurement, crew)
            if before == phases.CONTRACT:
                award_notice(procurement, crew)
            for code in GateDefinition.objects.filter(
                version_id=procurement.process_version_id, phase__code=before, kind=GateKind.SIGNATURES
            ).values_list("code", flat=True):
                sign(procurement, crew, code)
            procurement.refresh_from_db()
            if procurement.state == before:
                name = "close" if before == phases.CONTRACT_MANAGEMENT else "complete_phase"
                procurement_transition(user=crew.coordinator, procurement_id=procurement.pk, transition=name)
        procurement.refresh_from_db()
        if procurement.state == before:
            raise RuntimeError(f"{procurement} made no progress from {before}")
    return procurement


# --------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------

TITLES = ("Fagsystem for helse", "Sak og arkiv", "Velferdsteknologi", "Innbyggerportal", "Skoleadministrasjon", "Økonomisystem")


def _report(crew: Crew, serial: int, *, lead: int = 0) -> Procurement:
    municipality = crew.municipalities[lead]
    return procurement_report(
        user=crew.person(Role.MUNICIPAL_REPRESENTATIVE, municipality),
        municipality=municipality,
        title=f"{TITLES[serial % len(TITLES)]} {serial + 1}",
        kind="replace",
        description="Dagens løsning går ut av støtte.",
        funding="action_plan",
    )


def _invite(procurement: Procurement, crew: Crew, *, silent: int = 0, declining: int = 0) -> None:
    """Invites every other municipality; the last SILENT do not answer, the DECLINING before
    them say no, the rest join."""
    others = [m for m in crew.municipalities if m.pk != procurement.lead_municipality_id]
    invitations_send(
        user=crew.coordinator,
        procurement=procurement,
        municipalities=others,
        answer_deadline=crew.collaboration.today() + timedelta(days=14),
    )
    answering = others[: len(others) - silent]
    for n, municipality in enumerate(answering):
        join = n < len(answering) - declining
        invitation_answer(
            user=crew.person(Role.CHIEF_EXECUTIVE, municipality),
            procurement=procurement,
            municipality=municipality,
            join=join,
            reason="" if join else "Har nettopp kjøpt en egen løsning.",
        )


def _ready(crew: Crew, serial: int, *, declining: int = 0) -> Procurement:
    procurement = _report(crew, serial, lead=serial % MUNICIPALITIES)
    _invite(procurement, crew, declining=declining)
    cost_shares_set(user=crew.coordinator, procurement=procurement, method="population" if serial % 2 else "equal")
    procurement.refresh_from_db()
    return procurement


def intake_waiting(crew: Crew, serial: int) -> Procurement:
    procurement = _report(crew, serial, lead=serial % MUNICIPALITIES)
    _invite(procurement, crew, silent=3, declining=1)
    return procurement


def intake_ready(crew: Crew, serial: int) -> Procurement:
    return _ready(crew, serial, declining=1)


def at(phase: str, *, versions: int = 1, deadline: bool = False):
    """A scenario: forward to PHASE, then write its deliverables VERSIONS times (some left
    missing when VERSIONS is 0) and give it a phase deadline."""

    def scenario(crew: Crew, serial: int) -> Procurement:
        procurement = advance(_ready(crew, serial), crew, phase)
        if versions:
            fill(procurement, crew, versions=versions)
        if deadline:
            deadline_add(
                user=crew.coordinator,
                procurement=procurement,
                title="Fasen skal være ferdig",
                due_date=crew.collaboration.today() + timedelta(days=serial % 40),
                phase=phase,
            )
        return procurement

    scenario.__name__ = f"{phase}{'' if versions == 1 else f'_v{versions}'}"
    return scenario


def award_revised(crew: Crew, serial: int) -> Procurement:
    """Evaluation: the steering group approved the recommendation, a revised ranking voided
    that signature, the steering group approved again; the committee has not signed yet."""
    procurement = advance(_ready(crew, serial), crew, phases.EVALUATION)
    fill(procurement, crew)
    sign(procurement, crew, "award", leave=1)
    fill_again(procurement, crew, "evaluation-ranking")
    sign(procurement, crew, "award", leave=1)
    return procurement


def fill_again(procurement: Procurement, crew: Crew, code: str) -> None:
    definition = DeliverableDefinition.objects.get(version_id=procurement.process_version_id, code=code)
    deliverable_version_add(
        user=crew.coordinator, procurement=procurement, definition=definition, text=f"Revidert {definition.name} for «{procurement.title}»."
    )


def dpa_half_signed(crew: Crew, serial: int) -> Procurement:
    """Contract: award notice sent, the data processing agreement signed by some chief
    executives, not all."""
    procurement = advance(_ready(crew, serial), crew, phases.CONTRACT)
    fill(procurement, crew)
    award_notice(procurement, crew)
    sign(procurement, crew, "dpa", leave=2)
    return procurement


def reopened(crew: Crew, serial: int) -> Procurement:
    """Back from the contract phase to evaluation (an upheld complaint): the award's
    signatures are void and wait to be given again."""
    procurement = advance(_ready(crew, serial), crew, phases.CONTRACT)
    procurement_transition(
        user=crew.coordinator,
        procurement_id=procurement.pk,
        transition="reopen",
        phase=phases.EVALUATION,
        reason="Klagenemnda ga klageren medhold; evalueringen gjøres på nytt.",
    )
    procurement.refresh_from_db()
    return procurement


def cancelled(crew: Crew, serial: int) -> Procurement:
    procurement = advance(_ready(crew, serial), crew, phases.NEEDS)
    procurement_transition(
        user=crew.coordinator, procurement_id=procurement.pk, transition="cancel", reason="Behovet er dekket av en nasjonal løsning."
    )
    procurement.refresh_from_db()
    return procurement


# One cycle (50): most procurements early in the process, as in a real portfolio, and every
# kind of state the screens show at least once per cycle. The first ten give every page and
# both benchmark users something of each kind already (an invitation and a signature for the
# chief executive of the last municipality, signatures, missing deliverables and a tender
# specification to write for the coordinator), so the ten and the thousand ask the same questions.
SCENARIOS = (
    intake_waiting,
    dpa_half_signed,
    at(phases.STRATEGY, versions=2),  # go/no-go waits for the coordinator
    at(phases.TENDER_DOCUMENTS, versions=2),  # the requirements wait for their owners
    at(phases.EVALUATION),  # the award waits for the steering group
    award_revised,
    reopened,
    at(phases.ACCEPTANCE_TEST),
    at(phases.CLOSED, versions=0),
    cancelled,
    *(intake_waiting, intake_ready, at(phases.NEEDS, deadline=True), at(phases.NEEDS, versions=2)) * 4,
    *(at(phases.TARGET_PICTURE, versions=0, deadline=True), at(phases.TARGET_PICTURE), at(phases.MARKET_DIALOGUE, versions=0)) * 3,
    at(phases.MARKET_DIALOGUE, deadline=True),
    at(phases.STRATEGY, versions=0),
    at(phases.STRATEGY, deadline=True),
    at(phases.PROCEDURE, versions=0),
    at(phases.PROCEDURE, deadline=True),
    at(phases.NEEDS, versions=0),
    at(phases.TENDER_DOCUMENTS, versions=0),
    at(phases.CONTRACT_MANAGEMENT, deadline=True),
    intake_waiting,
    at(phases.NEEDS, versions=0, deadline=True),
    at(phases.TARGET_PICTURE, deadline=True),
    at(phases.MARKET_DIALOGUE),
    # The newest rows of a collaboration come from the end of a cycle: one in the contract
    # phase there, so the first page at any size has a case whose gates count records.
    dpa_half_signed,
    intake_ready,
    cancelled,
)


def procurement_build(crews: list[Crew], serial: int) -> Procurement:
    """Procurement number SERIAL: whole cycles of SCENARIOS go to one collaboration after
    the other, so the first cycle (and the first ten) all belong to the first."""
    crew = crews[(serial // len(SCENARIOS)) % len(crews)]
    return SCENARIOS[serial % len(SCENARIOS)](crew, serial)
