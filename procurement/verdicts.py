"""What the lists say of a case's judgement (a Verdict), and a cache of verdicts keyed by
what they were judged from.

The dashboard, its spreadsheet, "Mine oppgaver" and the next action of the procurement
page read a few things of a case's readiness: the phase's name, whether it may be
completed, why not, whose signatures it waits for, which invitations are unanswered and
which gates were refused. A Verdict is those, as plain values, made from the engine's
Readiness (procurement.readiness), which stays the one that judges.

A verdict is cached under a key made of everything it was judged from:
  - the procurement's revision, which database triggers bump whenever a row the judgement
    reads changes (procurement.revisions), and a digest of the procurement row itself;
  - the generation of the process catalogue in memory (a saved catalogue row starts a new
    one, procurement.engine.snapshot.published_phases);
  - today's date in the collaboration's time zone (deadlines pass at the end of the day);
  - the language the sentences are in.
So a cached verdict is never stale: any change makes a new key, and the old entry is
simply never asked for again. A verdict is put in the cache only once the transaction that
read it has committed (at once outside a transaction), so one judged from rows that are
later rolled back is never kept. Like the catalogue, the cache is each process's own."""
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.utils.translation import get_language

from .engine.snapshot import published_phases
from .models import Procurement
from .readiness import Readiness, ReadinessLoader
from .revisions import row_digest

CACHE = "judgements"
KEY_VERSION = 1  # bump when Verdict's fields change, so no process reads an older shape


@dataclass(frozen=True)
class StepRef:
    pk: int
    role: str


@dataclass(frozen=True)
class WaitingStep:
    """The open step of a signatures gate (duck-typed like the engine's StepStatus for
    procurement.selectors.access.slot_signable: step.step.role)."""

    step: StepRef
    role_label: str
    gate_code: str
    gate_label: str


@dataclass(frozen=True)
class WaitingSlot:
    slot: str
    label: str
    municipality_id: int | None
    body_id: int | None
    recorder_id: int | None


@dataclass(frozen=True)
class Unanswered:
    municipality_id: int
    municipality: str


@dataclass(frozen=True)
class MissingDeliverable:
    code: str
    label: str


@dataclass(frozen=True)
class RefusedGate:
    code: str
    label: str
    role_label: str  # of the first step that said no


@dataclass(frozen=True)
class Verdict:
    procurement_id: int
    state: str
    phase_label: str
    ready: bool
    blockers: tuple[str, ...]
    missing: tuple[MissingDeliverable, ...]
    missing_signatures: tuple[tuple[WaitingStep, WaitingSlot], ...]
    unanswered: tuple[Unanswered, ...]
    participant_count: int
    refused_gates: tuple[RefusedGate, ...]


def verdict_of(readiness: Readiness) -> Verdict:
    gates = {id(step): gate for gate in readiness.signature_gates for step in gate.steps}
    waiting = []
    for step, slot in readiness.missing_signatures:
        gate = gates[id(step)].gate
        waiting.append(
            (
                WaitingStep(StepRef(step.step.pk, step.step.role), str(step.role_label), gate.code, str(gate.label)),
                WaitingSlot(slot.slot, str(slot.label), slot.municipality_id, slot.body_id, slot.recorder_id),
            )
        )
    refused = []
    for gate in readiness.signature_gates:
        rejected = [step for step in gate.steps if step.rejected]
        if rejected:
            refused.append(RefusedGate(gate.gate.code, str(gate.gate.label), str(rejected[0].role_label)))
    return Verdict(
        procurement_id=readiness.procurement.pk,
        state=readiness.state,
        phase_label=str(readiness.phase_label),
        ready=readiness.ready,
        blockers=tuple(str(reason) for reason in readiness.blockers),
        missing=tuple(MissingDeliverable(d.code, str(d.label)) for d in readiness.missing),
        missing_signatures=tuple(waiting),
        unanswered=tuple(Unanswered(p.municipality_id, str(p.municipality)) for p in readiness.unanswered),
        participant_count=len(readiness.snapshot.participations),
        refused_gates=tuple(refused),
    )


def verdict_key(procurement: Procurement) -> str:
    return (
        f"verdict:{KEY_VERSION}:{procurement.pk}:{procurement.revision}:{row_digest(procurement)}:"
        f"{published_phases.generation}:{procurement.collaboration.today().isoformat()}:{get_language()}"
    )


def verdicts_for(procurements: Iterable[Procurement]) -> dict[int, Verdict]:
    """{procurement id: verdict} for PROCUREMENTS (loaded with their collaboration): from
    the cache where it has them, the others judged with one snapshot load. One cache round
    trip, and no query when every verdict is cached."""
    procurements = list(procurements)
    if not procurements:
        return {}
    cache = caches[CACHE]
    keys = {p.pk: verdict_key(p) for p in procurements}
    found = cache.get_many(list(keys.values()))
    verdicts = {pk: found[key] for pk, key in keys.items() if key in found}
    unjudged = [p for p in procurements if p.pk not in verdicts]
    if unjudged:
        loader = ReadinessLoader(unjudged, whole_process=False)
        fresh = {p.pk: verdict_of(loader.for_procurement(p)) for p in unjudged}
        verdicts.update(fresh)
        entries = {keys[pk]: verdict for pk, verdict in fresh.items()}
        transaction.on_commit(lambda: cache.set_many(entries))
    return verdicts
