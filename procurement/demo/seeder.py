"""The mechanics every demo collaboration shares: its municipalities, bodies and logins, its
own process template made once from the national one, and procurements driven through the
services to the phase each is left in.

Everything after the reference rows (collaboration, municipalities, memberships, bodies,
logins) is made through the services, as the people in the demo would have done it in the
browser, so permissions, readiness and the audit log are exactly what real use produces.
Running the seed again changes nothing: rows are matched by natural keys, a procurement whose
title already exists in the collaboration is skipped, and a collaboration that has a process
template keeps it as it is (an administrator may have edited it). Each procurement is built in
one transaction, so a failure halfway leaves no half-made case behind for the next run to skip."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.db import transaction
from stdnum.dk import cvr
from stdnum.no import orgnr

from municipalities.models import Body, Collaboration, Country, Membership, Municipality, Person, RoleAssignment
from municipalities.roles import Role
from municipalities.services import role_assign

from .. import phases
from ..models import (
    ChecklistItemDefinition,
    CostSharingMethod,
    Decision,
    DeliverableDefinition,
    DeliverableKind,
    GateDefinition,
    GateStep,
    InformationInitiative,
    ParticipationStatus,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
    Procurement,
    StepScope,
)
from ..readiness import readiness_for
from ..services.deadlines import deadline_add, phases_open_for_deadlines
from ..services.deliverables import checklist_item_set, deliverable_version_add
from ..services.intake import cost_shares_set, initiative_report, invitation_answer, invitations_send, procurement_report
from ..services.lifecycle import procurement_transition
from ..services.process import catalogue_row_delete, catalogue_row_save, process_version_draft_from, process_version_publish
from ..services.signoffs import signoff_record
from . import agreements as agreements_demo

NUMBER_CHECKS = {Country.NORWAY: orgnr.is_valid, Country.DENMARK: cvr.is_valid}


@dataclass(frozen=True)
class DemoMunicipality:
    slug: str
    name: str
    number: str  # organisation number (NO) or CVR number (DK), as registered
    population: int
    joined_on: date
    agreement: str  # what the membership rests on (a KOMBIT network: the joining agreement)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    role: str
    municipality: str | None = None  # slug
    body: str | None = None  # body kind


@dataclass
class TemplateWording:
    """What a collaboration changes in its copy of the national template, applied once to
    the draft through the administrator's services and then published. Rows are found by
    code (a checklist item by its national name), so an item the national template gained
    later simply stays as it is."""

    note: str
    phases: dict[str, dict[str, str]] = field(default_factory=dict)  # phase code -> field -> text
    deliverables: dict[str, dict[str, str]] = field(default_factory=dict)  # deliverable code -> field -> text
    checklist: dict[str, str] = field(default_factory=dict)  # national name -> own name
    gates: dict[str, dict[str, str]] = field(default_factory=dict)  # gate code -> field -> text
    steps: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)  # (gate code, order) -> field -> text
    removed_steps: list[tuple[str, int]] = field(default_factory=list)
    # New signature gates: {"code", "phase", "document", "name", "name_en", "description",
    # "document_roles", "steps": [{"order", "role", "scope", "body_kind", "name", "name_en"}]}
    added_gates: list[dict] = field(default_factory=list)


# A deadline the coordinator sets: (title, days from today or a rule of today, phase or "").
DemoDeadline = tuple[str, int | Callable[[date], date], str]


@dataclass
class DemoProcurement:
    title: str
    lead: str
    kind: str
    funding: str
    estimated_value: int
    description: str
    benefit_plan: str
    context: dict[str, str]
    # Municipality slug -> (joins, reason for declining); invited municipalities not listed
    # have not answered yet.
    answers: dict[str, tuple[bool, str]]
    # The phase the procurement is left in; intake means it never starts.
    stop: str
    cost_sharing: str = CostSharingMethod.POPULATION
    # Deliverable code -> text, or a list of (author username, section): one version per
    # section, each adding its section to the previous version.
    texts: dict[str, str | list[tuple[str, str]]] = field(default_factory=dict)
    # Called in the stop phase after its deliverables are in: leaves gates half-signed,
    # sends the award notice, goes back a phase ...
    finish: Callable[["Seeder", Procurement], None] | None = None
    # Phase -> called while the procurement passes through that phase, before its
    # deliverables are written (records that must exist before the phase is completed).
    during: dict[str, Callable[["Seeder", Procurement], None]] = field(default_factory=dict)
    deadlines: list[DemoDeadline] = field(default_factory=list)
    benefit_plan_name: str = "utkast-gevinstrealiseringsplan.txt"
    # The contract and the data processing agreement as data (procurement.demo.agreements).
    agreements: object = None


@dataclass(frozen=True)
class DemoInitiative:
    municipality: str
    title: str
    description: str


@dataclass
class DemoCollaboration:
    name: str
    country: str
    time_zone: str
    municipalities: list[DemoMunicipality]
    bodies: dict[str, str]  # kind -> the collaboration's own name
    people: list[DemoPerson]
    template: TemplateWording
    coordinator: str  # username of the coordinator who runs the procurements
    representative: str  # username prefix of each municipality's representative ("suksit" -> suksit.<slug>)
    authors: list[tuple[str, str]]  # (deliverable code prefix, username; "{lead}" is the lead's slug)
    texts: dict[str, str]  # deliverable code -> text every procurement has, filled from its context
    placeholder: str  # the text of a required deliverable nobody wrote a text for
    money: Callable[[int], str]  # an estimated value in the collaboration's words
    procurements: list[DemoProcurement] = field(default_factory=list)
    initiative: DemoInitiative | None = None
    # Body kind -> username of the person named to record that body's decisions (RMU's
    # decisions are recorded, with meeting date and case number, by its secretary).
    decision_recorders: dict[str, str] = field(default_factory=dict)


class Logins:
    """Makes the demo logins, all with the shared demo password. The password is hashed once
    per run: a hash costs the better part of a second on purpose, and one per login would be
    most of the seed's time on every `make run`."""

    def __init__(self):
        self._hash: str | None = None

    def ensure(self, username: str, first: str, last: str, *, superuser: bool = False) -> Person:
        person = Person.objects.filter(username=username).first()
        if person is not None:
            # Made by an earlier run: a password or a name changed since is left alone.
            return person
        if self._hash is None:
            self._hash = make_password(settings.DEMO_PASSWORD)
        person = Person(
            username=username,
            password=self._hash,
            email=f"{ascii_name(first)}.{ascii_name(last)}@example.org",
            first_name=first,
            last_name=last,
            is_staff=superuser,
            is_superuser=superuser,
        )
        person.save()
        return person


def in_millions(unit: str) -> Callable[[int], str]:
    """An estimated value in words: in_millions("mill. kroner")(6_500_000) is "6,5 mill. kroner"."""

    def words(value: int) -> str:
        return f"{value / 1_000_000:.1f}".replace(".", ",").removesuffix(",0") + f" {unit}"

    return words


def ascii_name(text: str) -> str:
    return text.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "-"}))


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


class Seeder:
    """Seeds one collaboration from its DemoCollaboration."""

    def __init__(self, spec: DemoCollaboration, *, admin: Person, logins: Logins):
        self.spec = spec
        self.admin = admin
        self.logins = logins
        self.collaboration: Collaboration | None = None
        self.municipalities: dict[str, Municipality] = {}
        self.bodies: dict[str, Body] = {}
        self.people: dict[str, Person] = {}

    # Collaboration, people and roles -----------------------------------------------------

    def collaboration_ensure(self) -> None:
        spec = self.spec
        valid = NUMBER_CHECKS[spec.country]
        invalid = [f"{m.name} ({m.number})" for m in spec.municipalities if not valid(m.number)]
        if invalid:
            raise CommandError(f"Ugyldige organisasjonsnummer: {', '.join(invalid)}")
        self.collaboration, _ = Collaboration.objects.get_or_create(
            name=spec.name, defaults={"country": spec.country, "time_zone": spec.time_zone}
        )
        for member in spec.municipalities:
            municipality = Municipality.objects.filter(country=spec.country, name=member.name).first()
            if municipality is None:
                municipality = Municipality(
                    country=spec.country, name=member.name, organisation_number=member.number, population=member.population
                )
                municipality.full_clean()
                municipality.save()
            if not Membership.objects.filter(collaboration=self.collaboration, municipality=municipality).exists():
                membership = Membership(
                    collaboration=self.collaboration,
                    municipality=municipality,
                    joined_on=member.joined_on,
                    agreement=member.agreement,
                )
                membership.full_clean()
                membership.save()
            self.municipalities[member.slug] = municipality
        for kind, name in spec.bodies.items():
            self.bodies[kind], _ = Body.objects.get_or_create(
                collaboration=self.collaboration, kind=kind, defaults={"name": name}
            )

    def people_ensure(self) -> None:
        for demo in self.spec.people:
            person = self.logins.ensure(demo.username, demo.first_name, demo.last_name)
            self.people[demo.username] = person
            municipality = self.municipalities[demo.municipality] if demo.municipality else None
            body = self.bodies[demo.body] if demo.body else None
            # role_assign refuses an assignment that already exists (its full_clean checks
            # the unique constraint), so the second run asks first.
            if not RoleAssignment.objects.filter(person=person, role=demo.role, municipality=municipality, body=body).exists():
                role_assign(actor=self.admin, person=person, role=demo.role, municipality=municipality, body=body)
        for kind, username in self.spec.decision_recorders.items():
            body = self.bodies[kind]
            if body.decision_recorder_id is None:
                from municipalities.services import body_save

                body.decision_recorder = self.people[username]
                body_save(actor=self.admin, body=body)

    def person(self, username: str) -> Person:
        return self.people[username]

    def representative(self, slug: str) -> Person:
        return self.people[f"{self.spec.representative}.{slug}"]

    @property
    def coordinator(self) -> Person:
        return self.people[self.spec.coordinator]

    # The collaboration's own process template ---------------------------------------------

    def template_ensure(self) -> bool:
        """The collaboration's own template, made once from the newest published national
        version with the collaboration's own wording. An existing template is never touched:
        what an administrator changed there stays."""
        if ProcessTemplate.objects.filter(collaboration=self.collaboration).exists():
            return False
        # Not process_version_current(): it refuses the national version for a collaboration
        # without the bodies that version names, which is exactly what the draft fixes.
        national = (
            ProcessVersion.objects.filter(template__collaboration__isnull=True, published_at__isnull=False)
            .order_by("template_id", "-number")
            .first()
        )
        if national is None:
            raise CommandError("Den nasjonale prosessmalen mangler. Kjør «manage.py migrate».")
        wording = self.spec.template
        draft = process_version_draft_from(
            actor=self.admin, version=national, collaboration=self.collaboration, note=wording.note
        )
        self._reword(PhaseDefinition.objects.filter(version=draft), wording.phases, key=lambda row: row.code)
        self._reword(DeliverableDefinition.objects.filter(version=draft), wording.deliverables, key=lambda row: row.code)
        self._reword(GateDefinition.objects.filter(version=draft), wording.gates, key=lambda row: row.code)
        self._reword(
            GateStep.objects.filter(gate__version=draft).select_related("gate"),
            wording.steps,
            key=lambda row: (row.gate.code, row.order),
        )
        items = {name: {"name": own} for name, own in wording.checklist.items()}
        self._reword(ChecklistItemDefinition.objects.filter(phase__version=draft), items, key=lambda row: row.name)
        for gate_code, order in wording.removed_steps:
            step = GateStep.objects.filter(gate__version=draft, gate__code=gate_code, order=order).first()
            if step is not None:
                catalogue_row_delete(actor=self.admin, obj=step)
        for order, added in enumerate(wording.added_gates, start=100):
            self._gate_add(draft, added, order)
        process_version_publish(actor=self.admin, version=draft)
        return True

    def _reword(self, rows, wording: dict, *, key) -> None:
        for row in rows:
            fields = wording.get(key(row))
            if not fields:
                continue
            for name, value in fields.items():
                setattr(row, name, value)
            catalogue_row_save(actor=self.admin, obj=row)

    def _gate_add(self, draft: ProcessVersion, added: dict, order: int) -> None:
        gate = GateDefinition(
            version=draft,
            code=added["code"],
            phase=PhaseDefinition.objects.get(version=draft, code=added["phase"]),
            kind="signatures",
            order=order,
            document=DeliverableDefinition.objects.get(version=draft, code=added["document"]),
            document_roles=list(added.get("document_roles", [])),
            name=added["name"],
            name_en=added["name_en"],
            description=added["description"],
        )
        catalogue_row_save(actor=self.admin, obj=gate)
        for step in added["steps"]:
            catalogue_row_save(actor=self.admin, obj=GateStep(gate=gate, **step))

    # Procurements ------------------------------------------------------------------------

    def procurement_ensure(self, spec: DemoProcurement) -> bool:
        if Procurement.objects.filter(collaboration=self.collaboration, title=spec.title).exists():
            return False
        with transaction.atomic():
            self._build(spec)
        return True

    def deadlines_ensure(self, spec: DemoProcurement) -> int:
        """The coordinator's deadlines, through the service; one whose title the procurement
        already has is skipped, and so is one whose phase the procurement has left (in a
        database the demo has been used in). Runs for procurements made by an earlier run too."""
        procurement = (
            Procurement.objects.select_related("collaboration").filter(collaboration=self.collaboration, title=spec.title).first()
        )
        if procurement is None or not procurement.is_open or not spec.deadlines:
            return 0
        today = self.collaboration.today()
        open_phases = phases_open_for_deadlines(procurement)
        added = 0
        for title, due, phase in spec.deadlines:
            if procurement.deadlines.filter(title=title).exists() or (phase and phase not in open_phases):
                continue
            deadline_add(
                user=self.coordinator,
                procurement=procurement,
                title=title,
                due_date=due(today) if callable(due) else today + timedelta(days=due),
                phase=phase,
            )
            added += 1
        return added

    def benefit_plan_ensure(self, spec: DemoProcurement) -> int:
        """The procurement's benefit plan (benefit_plans.PLANS), through the benefit services;
        a plan that has benefits is left as it is."""
        from .benefit_plans import PLANS, plan_ensure

        procurement = (
            Procurement.objects.select_related("collaboration").filter(collaboration=self.collaboration, title=spec.title).first()
        )
        if procurement is None:
            return 0
        return plan_ensure(self, procurement, PLANS.get(spec.title))

    def initiative_ensure(self) -> bool | None:
        initiative = self.spec.initiative
        if initiative is None:
            return None
        if InformationInitiative.objects.filter(collaboration=self.collaboration, title=initiative.title).exists():
            return False
        initiative_report(
            user=self.representative(initiative.municipality),
            municipality=self.municipalities[initiative.municipality],
            title=initiative.title,
            description=initiative.description,
            collaboration=self.collaboration,
        )
        return True

    def _build(self, spec: DemoProcurement) -> None:
        lead = self.municipalities[spec.lead]
        coordinator = self.coordinator
        procurement = procurement_report(
            user=self.representative(spec.lead),
            municipality=lead,
            title=spec.title,
            kind=spec.kind,
            description=spec.description,
            funding=spec.funding,
            estimated_value=Decimal(spec.estimated_value),
            draft_benefit_plan=ContentFile(spec.benefit_plan.encode("utf-8"), name=spec.benefit_plan_name),
            collaboration=self.collaboration,
        )
        today = self.collaboration.today()
        current = set(
            Membership.objects.current(today).filter(collaboration=self.collaboration).values_list("municipality_id", flat=True)
        )
        others = [m for slug, m in self.municipalities.items() if slug != spec.lead and m.pk in current]
        invitations_send(
            user=coordinator, procurement=procurement, municipalities=others, answer_deadline=today + timedelta(days=14)
        )
        for slug, (join, reason) in spec.answers.items():
            invitation_answer(
                user=self.representative(slug),
                procurement=procurement,
                municipality=self.municipalities[slug],
                join=join,
                reason=reason,
            )
        if spec.stop == phases.INTAKE:
            return
        cost_shares_set(user=coordinator, procurement=procurement, method=spec.cost_sharing)
        procurement_transition(user=coordinator, procurement_id=procurement.pk, transition="start")
        procurement = self.reload(procurement)
        while procurement.state != spec.stop:
            if (during := spec.during.get(procurement.state)) is not None:
                during(self, procurement)
            written = agreements_demo.before_fill(self, spec, procurement)
            self._fill_phase(spec, procurement, all_checks=True, skip=written)
            self.sign_all(procurement)
            self._records_ensure(procurement, stop=spec.stop)
            agreements_demo.before_complete(self, spec, procurement)
            procurement = self.complete_phase(procurement)
        self._fill_phase(spec, procurement, all_checks=False, skip=agreements_demo.before_fill(self, spec, procurement))
        if spec.finish is not None:
            spec.finish(self, procurement)

    def _records_ensure(self, procurement: Procurement, *, stop: str) -> None:
        """A case driven past the contract phase needs the award notice sent long enough ago
        that the standstill period is over (a case that stops in the contract phase sends
        its own in its finish step; the last signature may just have moved it there)."""
        procurement = self.reload(procurement)
        if procurement.state != phases.CONTRACT or stop == phases.CONTRACT:
            return
        kinds = set(
            GateDefinition.objects.filter(version_id=procurement.process_version_id, phase__code=procurement.state).values_list(
                "record_kind", flat=True
            )
        )
        if "award_notice" in kinds and not procurement.award_notices.filter(state="sent").exists():
            from contracts.services import award_notice_send

            award_notice_send(
                user=self.coordinator,
                procurement=procurement,
                sent_on=self.collaboration.today() - timedelta(days=30),
                note="Sendt samtidig til alle tilbyderne.",
            )

    @staticmethod
    def reload(procurement: Procurement) -> Procurement:
        # A fresh instance: the FSM field is protected, so refresh_from_db() would refuse it.
        return Procurement.objects.select_related("collaboration").get(pk=procurement.pk)

    def complete_phase(self, procurement: Procurement) -> Procurement:
        """Completes the current phase unless the last signature already moved it on."""
        phase = procurement.state
        procurement = self.reload(procurement)
        if procurement.state == phase:
            procurement_transition(user=self.coordinator, procurement_id=procurement.pk, transition="complete_phase")
            procurement = self.reload(procurement)
        return procurement

    def reopen(self, procurement: Procurement, phase: str, reason: str) -> Procurement:
        procurement_transition(
            user=self.coordinator, procurement_id=procurement.pk, transition="reopen", phase=phase, reason=reason
        )
        return self.reload(procurement)

    def _context(self, spec: DemoProcurement, procurement: Procurement) -> dict[str, str]:
        joined = procurement.participations.filter(status=ParticipationStatus.JOINED).select_related("municipality")
        return {
            **spec.context,
            "lead": str(procurement.lead_municipality),
            "kommuner": join_names(sorted(str(p.municipality) for p in joined)),
            "verdi": self.spec.money(spec.estimated_value),
        }

    def _versions(self, spec: DemoProcurement, procurement: Procurement, definition) -> list[tuple[str, str]]:
        author = next((user for prefix, user in self.spec.authors if definition.code.startswith(prefix)), self.spec.coordinator)
        author = author.format(lead=spec.lead)
        text = spec.texts.get(definition.code)
        if isinstance(text, list):
            # Each contributor adds a section to the same document: version N holds the
            # first N sections.
            return [(user, "\n\n".join(part for _, part in text[: number + 1])) for number, (user, _) in enumerate(text)]
        if text is None:
            template = self.spec.texts.get(definition.code)
            if template is None:
                if not definition.required:
                    return []
                # A deliverable an administrator added to the catalogue: a placeholder keeps
                # the demo moving through the phase.
                template = self.spec.placeholder
            text = template.format(**self._context(spec, procurement), navn=definition.name, tittel=spec.title)
        return [(author, text)]

    def _fill_phase(self, spec: DemoProcurement, procurement: Procurement, *, all_checks: bool, skip=frozenset()) -> None:
        phase = PhaseDefinition.objects.prefetch_related("deliverables__gates", "checklist_items").get(
            version_id=procurement.process_version_id, code=procurement.state
        )
        for definition in phase.deliverables.all():
            if definition.kind == DeliverableKind.DOCUMENT or definition.code in skip:
                continue  # the demo writes text; file-only deliverables are optional uploads
            for author, text in self._versions(spec, procurement, definition):
                deliverable_version_add(user=self.people[author], procurement=procurement, definition=definition, text=text)
        items = list(phase.checklist_items.all())
        for item in items if all_checks else items[: len(items) // 2]:
            checklist_item_set(user=self.coordinator, procurement=procurement, item=item, done=True)

    def add_version(self, procurement: Procurement, code: str, author: str, text: str) -> None:
        definition = DeliverableDefinition.objects.get(version_id=procurement.process_version_id, code=code)
        deliverable_version_add(user=self.people[author], procurement=procurement, definition=definition, text=text)

    # Sign-offs ---------------------------------------------------------------------------

    def _signer(self, procurement: Procurement, role: str, *, municipality_id=None, body_id=None) -> Person:
        assignments = RoleAssignment.objects.filter(role=role, person__is_active=True).select_related("person")
        if municipality_id is not None:
            assignments = assignments.filter(municipality_id=municipality_id)
        else:
            assignments = assignments.filter(body_id=body_id)
        # In a body, the lead municipality's member speaks (the RMU chair in the demo).
        assignment = assignments.filter(municipality=procurement.lead_municipality).first() or assignments.first()
        if assignment is None:
            raise CommandError(f"Ingen i demoen kan signere som {Role(role).label} her.")
        return assignment.person

    def sign(
        self,
        procurement: Procurement,
        gate_code: str,
        *,
        only: list[str] | None = None,
        steps: int | None = None,
        decision: str = Decision.APPROVE,
        comment: str = "",
    ) -> None:
        """Decide the open steps of GATE_CODE: for ONLY these municipalities when given, and
        at most STEPS steps. Stops when the gate completes (the phase may then move on) or a
        step is rejected."""
        allowed = {self.municipalities[slug].pk for slug in only} if only is not None else None
        signed_steps = 0
        while steps is None or signed_steps < steps:
            readiness = readiness_for(self.reload(procurement))
            gate = next((g for g in readiness.signature_gates if g.gate.code == gate_code), None)
            if gate is None or gate.document is None or (step := gate.open_step) is None or step.rejected:
                return
            waiting = [
                slot
                for slot in step.waiting_for
                if allowed is None or step.step.scope != StepScope.EACH_PARTICIPANT or slot.municipality_id in allowed
            ]
            if not waiting:
                return
            for slot in waiting:
                recorded = {}
                if slot.recorder_id is not None:
                    # A body whose decisions its recorder enters: the meeting and its case number.
                    today = procurement.collaboration.today()
                    recorded = {"meeting_on": today, "case_number": f"{10 + procurement.pk}/{today:%y}"}
                signoff_record(
                    user=(
                        Person.objects.get(pk=slot.recorder_id)
                        if slot.recorder_id is not None
                        else self._signer(procurement, step.step.role, municipality_id=slot.municipality_id, body_id=slot.body_id)
                    ),
                    procurement_id=procurement.pk,
                    step_id=step.step.pk,
                    slot=slot.slot,
                    decision=decision,
                    comment=comment,
                    document_sha256=gate.document.current_version.sha256,
                    **recorded,
                )
            signed_steps += 1
            if len(waiting) < len(step.waiting_for) or decision != Decision.APPROVE:
                return  # the step stays open for the others, or it was rejected

    def sign_all(self, procurement: Procurement) -> None:
        for gate in readiness_for(procurement).signature_gates:
            self.sign(procurement, gate.gate.code)


def seed_collaboration(spec: DemoCollaboration, *, admin: Person, logins: Logins, write: Callable[[str], None]) -> Seeder:
    """Seed SPEC and say what was done, one line at a time."""
    seeder = Seeder(spec, admin=admin, logins=logins)
    with transaction.atomic():
        seeder.collaboration_ensure()
        seeder.people_ensure()
        made = seeder.template_ensure()
    write(
        f"{spec.name}: {len(seeder.municipalities)} kommuner, {len(seeder.bodies)} organer, "
        f"{len(seeder.people)} brukere; egen prosessmal {'laget' if made else 'finnes fra før'}."
    )
    for procurement in spec.procurements:
        created = seeder.procurement_ensure(procurement)
        write(f"  {'Opprettet' if created else 'Finnes fra før'}: {procurement.title}")
        with transaction.atomic():
            benefits = seeder.benefit_plan_ensure(procurement)
        if benefits:
            write(f"    gevinstplan med {benefits} gevinst(er)")
        with transaction.atomic():
            added = seeder.deadlines_ensure(procurement)
        if added:
            write(f"    {added} frist(er) lagt til")
    with transaction.atomic():
        created = seeder.initiative_ensure()
    if created is not None:
        write(f"  {'Opprettet' if created else 'Finnes fra før'}: {spec.initiative.title} (til orientering)")
    return seeder
