"""Everything the evaluators judge, loaded for any number of procurements in a fixed
number of queries and then read from memory.

A snapshot is taken once per request or service call and passed down; a service that
changes something the judgement depends on (a signature it just recorded) updates the
snapshot in memory instead of loading it again."""
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from municipalities.models import Body, Collaboration

from ..models import (
    NAMED_DEADLINE_KINDS,
    ChecklistCheck,
    Deadline,
    Deliverable,
    GateDefinition,
    GateKind,
    Participation,
    ParticipationStatus,
    PhaseDefinition,
    ProcessVersion,
    Procurement,
    SignOff,
)
from .records import record_counts


@dataclass
class Catalogue:
    """One process version: its phases by code, each with its deliverables, checklist and
    gates (with steps) prefetched. Every phase, or only the phases the loader was asked for
    (a judgement needs only the procurement's current phase)."""

    version: ProcessVersion
    phases: dict[str, PhaseDefinition]

    def phase(self, code: str) -> PhaseDefinition | None:
        return self.phases.get(code)

    def ordered_phases(self) -> list[PhaseDefinition]:
        return sorted(self.phases.values(), key=lambda p: p.order)

    def record_kinds(self, codes: Iterable[str]) -> set[str]:
        kinds = set()
        for code in codes:
            phase = self.phases.get(code)
            if phase is not None:
                kinds |= {g.record_kind for g in phase.gates.all() if g.kind in (GateKind.NONE_OPEN, GateKind.RECORD_STATE)}
        return kinds


def _phases_load(version_ids: list[int], phase_codes: set[str] | None) -> dict[int, dict[str, PhaseDefinition]]:
    """Five queries: the versions' phases with deliverables, checklists and gates (with steps)."""
    phase_rows = PhaseDefinition.objects.filter(version_id__in=version_ids)
    if phase_codes is not None:
        phase_rows = phase_rows.filter(code__in=sorted(phase_codes))
    phase_rows = phase_rows.prefetch_related(
        "deliverables",
        "checklist_items",
        Prefetch(
            "gates",
            queryset=GateDefinition.objects.select_related("document").prefetch_related("steps").order_by("order", "id"),
        ),
    )
    phases: dict[int, dict[str, PhaseDefinition]] = defaultdict(dict)
    for phase in phase_rows:
        phases[phase.version_id][phase.code] = phase
    for phase_map in phases.values():
        for phase in phase_map.values():
            for gate in phase.gates.all():
                gate.phase = phase  # the evaluators read gate.phase without a query
    return phases


class PublishedPhases:
    """The phases of published versions, kept in the process after their first load.

    A published version never changes (the services and the admin only edit drafts), so
    every request after the first reads its catalogue from memory. The key carries the
    publishing moment as well as the id, so a version that was deleted and whose id came
    back (a rolled-back test, a restored database) is never mistaken for the old one, and
    any save or delete of a catalogue row empties the cache (catalogue_changed) in case
    something writes a published version after all. The objects are shared between
    requests: whoever reads them must not change them."""

    LIMIT = 64

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[int, datetime], dict[str, PhaseDefinition]] = OrderedDict()
        self._lock = threading.Lock()
        # Counts the clears: what was judged from a catalogue read before one (the cached
        # verdicts, procurement.verdicts) names an older generation and is not used.
        self.generation = 0

    def get(self, version: ProcessVersion) -> dict[str, PhaseDefinition] | None:
        key = (version.pk, version.published_at)
        with self._lock:
            phases = self._kept.get(key)
            if phases is not None:
                self._kept.move_to_end(key)
            return phases

    def put(self, version: ProcessVersion, phases: dict[str, PhaseDefinition]) -> None:
        with self._lock:
            self._kept[(version.pk, version.published_at)] = phases
            while len(self._kept) > self.LIMIT:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.generation += 1


published_phases = PublishedPhases()


def catalogue_changed(**_kwargs) -> None:
    """Receiver for saves and deletes of catalogue rows (connected in the app config)."""
    published_phases.clear()


def catalogues_load(version_ids: Iterable[int], *, phase_codes: Iterable[str] | None = None) -> dict[int, Catalogue]:
    """One query for versions already in memory, six for any number of others. PHASE_CODES:
    only these phases (None: all); a published version is loaded whole once and then kept."""
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    wanted = None if phase_codes is None else set(phase_codes)
    versions = {v.pk: v for v in ProcessVersion.objects.filter(pk__in=ids).select_related("template")}
    phases: dict[int, dict[str, PhaseDefinition]] = {}
    missing_published, drafts = [], []
    for pk, version in versions.items():
        kept = published_phases.get(version) if version.is_published else None
        if kept is not None:
            phases[pk] = kept
        elif version.is_published:
            missing_published.append(pk)
        else:
            drafts.append(pk)
    if missing_published:
        for pk, phase_map in _phases_load(missing_published, None).items():
            published_phases.put(versions[pk], phase_map)
            phases[pk] = phase_map
    if drafts:
        phases.update(_phases_load(drafts, wanted))
    catalogues = {}
    for pk, version in versions.items():
        phase_map = phases.get(pk, {})
        if wanted is not None:
            phase_map = {code: phase for code, phase in phase_map.items() if code in wanted}
        catalogues[pk] = Catalogue(version=version, phases=phase_map)
    return catalogues


@dataclass
class CaseSnapshot:
    procurement: Procurement
    catalogue: Catalogue
    now: datetime
    time_zone: str
    country: str
    deliverables: dict[int, Deliverable] = field(default_factory=dict)  # definition id ->
    signoffs: dict[int, dict[str, SignOff]] = field(default_factory=dict)  # step id -> slot -> live signature
    participations: list[Participation] = field(default_factory=list)
    bodies: dict[str, Body] = field(default_factory=dict)  # body kind ->
    deadlines: dict[str, Deadline] = field(default_factory=dict)  # named deadline kind -> the live one
    checked_items: set[int] = field(default_factory=set)
    records: dict[str, Counter] = field(default_factory=dict)  # record kind -> states

    @property
    def phase(self) -> PhaseDefinition | None:
        return self.catalogue.phase(self.procurement.state)

    @property
    def joined(self) -> list[Participation]:
        return [p for p in self.participations if p.status == ParticipationStatus.JOINED]

    @property
    def unanswered(self) -> list[Participation]:
        return [p for p in self.participations if p.status == ParticipationStatus.INVITED]

    def signoff_add(self, signoff: SignOff) -> None:
        """A signature the caller just recorded counts from now on, without a reload."""
        self.signoffs.setdefault(signoff.step_id, {})[signoff.slot] = signoff


class SnapshotLoader:
    """Loads the snapshots of a batch of procurements: the catalogue of their versions (1
    query, 6 the first time a version is read), then deliverables, live signatures, participations, bodies, named deadlines,
    checklist ticks and one query per record kind their current gates ask about.

    WHOLE_PROCESS=False loads only the procurements' current phases of the catalogue: all
    a judgement reads, and a fraction of the rows for the services and the lists, which
    judge and never draw the whole process."""

    def __init__(self, procurements: Iterable[Procurement], *, now: datetime | None = None, whole_process: bool = True):
        self.procurements = list(procurements)
        self.now = now or timezone.now()
        ids = [p.pk for p in self.procurements]
        self.catalogues = catalogues_load(
            (p.process_version_id for p in self.procurements),
            phase_codes=None if whole_process else {p.state for p in self.procurements},
        )
        uncached = {p.collaboration_id for p in self.procurements if not Procurement.collaboration.is_cached(p)}
        if uncached:
            collaborations = Collaboration.objects.in_bulk(uncached)
            for p in self.procurements:
                if p.collaboration_id in collaborations:
                    p.collaboration = collaborations[p.collaboration_id]
        self.deliverables: dict[int, dict[int, Deliverable]] = defaultdict(dict)
        self.signoffs: dict[int, dict[int, dict[str, SignOff]]] = defaultdict(dict)
        self.participations: dict[int, list[Participation]] = defaultdict(list)
        self.deadlines: dict[int, dict[str, Deadline]] = defaultdict(dict)
        self.checked: dict[int, set[int]] = defaultdict(set)
        self.bodies: dict[int, dict[str, Body]] = defaultdict(dict)
        self.records: dict[int, dict[str, Counter]] = defaultdict(dict)
        if not ids:
            return
        deliverables = Deliverable.objects.filter(procurement_id__in=ids)
        signoffs = SignOff.objects.filter(procurement_id__in=ids, voided_at__isnull=True)
        if whole_process:
            signoffs = signoffs.select_related("person", "municipality", "body")  # the page names the signers
        else:
            # Only what each case's current phase is judged by: a closed case has dozens of
            # deliverables and signatures from phases long done.
            in_deliverables, in_steps = self._current_rows()
            deliverables = deliverables.filter(in_deliverables)
            signoffs = signoffs.filter(in_steps)
        for d in deliverables.select_related("current_version"):
            self.deliverables[d.procurement_id][d.definition_id] = d
        for s in signoffs:
            self.signoffs[s.procurement_id].setdefault(s.step_id, {})[s.slot] = s
        for p in Participation.objects.filter(procurement_id__in=ids).select_related("municipality"):
            self.participations[p.procurement_id].append(p)
        named = [kind for kind, _label in NAMED_DEADLINE_KINDS]
        # The newest deadline of each named kind is the live one (an older one was replaced).
        for d in Deadline.objects.filter(procurement_id__in=ids, kind__in=named).order_by("id"):
            self.deadlines[d.procurement_id][d.kind] = d
        for procurement_id, item_id in ChecklistCheck.objects.filter(procurement_id__in=ids).values_list(
            "procurement_id", "item_id"
        ):
            self.checked[procurement_id].add(item_id)
        collaboration_ids = {p.collaboration_id for p in self.procurements}
        for body in Body.objects.filter(collaboration_id__in=collaboration_ids):
            self.bodies[body.collaboration_id][body.kind] = body
        kinds: set[str] = set()
        for p in self.procurements:
            catalogue = self.catalogues.get(p.process_version_id)
            if catalogue is not None:
                kinds |= catalogue.record_kinds([p.state])
        for (procurement_id, code), counts in record_counts(kinds, ids).items():
            self.records[procurement_id][code] = counts

    def _current_rows(self) -> tuple[Q, Q]:
        """Conditions for the deliverables and the signatures of each procurement's current
        phase: its deliverables (and its gates' documents, which may be defined in another
        phase) and its gates' steps. One term per phase in use, not per procurement."""
        by_phase: dict[tuple[int, str], list[int]] = defaultdict(list)
        for p in self.procurements:
            by_phase[(p.process_version_id, p.state)].append(p.pk)
        in_deliverables, in_steps = Q(pk__in=[]), Q(pk__in=[])
        for (version_id, code), procurement_ids in by_phase.items():
            catalogue = self.catalogues.get(version_id)
            phase = catalogue.phase(code) if catalogue is not None else None
            if phase is None:
                continue  # closed or cancelled: nothing is judged
            definition_ids = {d.pk for d in phase.deliverables.all()}
            definition_ids |= {gate.document_id for gate in phase.gates.all() if gate.document_id is not None}
            step_ids = {step.pk for gate in phase.gates.all() for step in gate.steps.all()}
            in_deliverables |= Q(procurement_id__in=procurement_ids, definition_id__in=definition_ids)
            in_steps |= Q(procurement_id__in=procurement_ids, step_id__in=step_ids)
        return in_deliverables, in_steps

    def snapshot(self, procurement: Procurement) -> CaseSnapshot:
        collaboration = procurement.collaboration
        pk = procurement.pk
        return CaseSnapshot(
            procurement=procurement,
            catalogue=self.catalogues[procurement.process_version_id],
            now=self.now,
            time_zone=collaboration.time_zone,
            country=collaboration.country,
            deliverables=self.deliverables[pk],
            signoffs=self.signoffs[pk],
            participations=self.participations[pk],
            bodies=self.bodies[procurement.collaboration_id],
            deadlines=self.deadlines[pk],
            checked_items=self.checked[pk],
            records=self.records[pk],
        )
