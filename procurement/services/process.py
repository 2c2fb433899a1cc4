"""Process templates and their versions: which version a new procurement runs under, new
drafts made from a version, publishing, and the administrator's edits of a draft.

A published version never changes (procurements pinned to it keep the process they ran
under); an edit is made on a draft, which is published as the next version."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.changes import changes_data, changes_sentence, editable_fields, field_changes
from audit.services import audit_record
from municipalities.models import Body, Collaboration

from .. import phases
from ..exceptions import ProcurementError
from ..models import (
    ChecklistItemDefinition,
    DeliverableDefinition,
    GateDefinition,
    GateKind,
    GateStep,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
    Procurement,
    StepScope,
)


class ProcessUnavailable(ProcurementError):
    """No published process version fits the collaboration."""


def process_version_problems(version: ProcessVersion, collaboration: Collaboration) -> list[str]:
    """Why VERSION cannot run in COLLABORATION: a gate step names a kind of body the
    collaboration does not have, so the gate could never pass."""
    kinds = set(Body.objects.filter(collaboration=collaboration).values_list("kind", flat=True))
    steps = GateStep.objects.filter(gate__version=version, scope=StepScope.BODY).select_related("gate")
    missing = sorted({(step.body_kind, step.gate.label) for step in steps if step.body_kind not in kinds})
    return [
        gettext("Porten «%(gate)s» skal besluttes av et organ av typen «%(kind)s», som %(collaboration)s ikke har.")
        % {"gate": gate, "kind": kind, "collaboration": collaboration}
        for kind, gate in missing
    ]


def _newest_published(template: ProcessTemplate | None) -> ProcessVersion | None:
    if template is None:
        return None
    return ProcessVersion.objects.filter(template=template, published_at__isnull=False).order_by("-number").first()


def process_version_current(*, collaboration: Collaboration) -> ProcessVersion:
    """The newest published version of the collaboration's own template, or of the national
    template when it has none yet (an own template whose first version is still a draft
    leaves the collaboration on the national one until it is published). Refused when that
    version names bodies the collaboration lacks."""
    version = _newest_published(ProcessTemplate.objects.filter(collaboration=collaboration).first())
    if version is None:
        version = _newest_published(ProcessTemplate.objects.filter(collaboration__isnull=True).order_by("pk").first())
    if version is None:
        raise ProcessUnavailable(gettext("Samarbeidet har ingen publisert prosess. Be administratoren publisere en prosessversjon."))
    problems = process_version_problems(version, collaboration)
    if problems:
        raise ProcessUnavailable(" ".join(problems))
    return version


def _copy_rows(source: ProcessVersion, target: ProcessVersion) -> None:
    phases = list(PhaseDefinition.objects.filter(version=source).order_by("order"))
    phase_map: dict[int, PhaseDefinition] = {}
    for phase in phases:
        old = phase.pk
        phase.pk = None
        phase.version = target
        phase_map[old] = phase
    PhaseDefinition.objects.bulk_create(phase_map.values())
    deliverables = list(DeliverableDefinition.objects.filter(version=source))
    deliverable_map: dict[int, DeliverableDefinition] = {}
    for definition in deliverables:
        old = definition.pk
        definition.pk = None
        definition.version = target
        definition.phase = phase_map[definition.phase_id]
        deliverable_map[old] = definition
    DeliverableDefinition.objects.bulk_create(deliverable_map.values())
    items = list(ChecklistItemDefinition.objects.filter(phase__version=source))
    for item in items:
        item.pk = None
        item.phase = phase_map[item.phase_id]
    ChecklistItemDefinition.objects.bulk_create(items)
    gates = list(GateDefinition.objects.filter(version=source).prefetch_related("steps"))
    steps_of: dict[int, list[GateStep]] = {gate.pk: list(gate.steps.all()) for gate in gates}
    gate_map: dict[int, GateDefinition] = {}
    for gate in gates:
        old = gate.pk
        gate.pk = None
        gate.version = target
        gate.phase = phase_map[gate.phase_id]
        gate.document = deliverable_map[gate.document_id] if gate.document_id else None
        gate_map[old] = gate
    GateDefinition.objects.bulk_create(gate_map.values())
    new_steps = []
    for old, steps in steps_of.items():
        for step in steps:
            step.pk = None
            step.gate = gate_map[old]
            new_steps.append(step)
    GateStep.objects.bulk_create(new_steps)


@transaction.atomic
def process_version_draft_from(
    *, actor, version: ProcessVersion, collaboration: Collaboration | None = None, note: str = ""
) -> ProcessVersion:
    """A new draft with the content of VERSION: the next version of the same template, or,
    when COLLABORATION is given and differs, version 1 of a template of its own (made from
    VERSION; refused when the collaboration has one already)."""
    template = version.template
    if collaboration is not None and collaboration.pk != template.collaboration_id:
        if ProcessTemplate.objects.filter(collaboration=collaboration).exists():
            raise ValidationError(gettext("%(name)s har allerede en egen prosessmal.") % {"name": collaboration})
        template = ProcessTemplate.objects.create(collaboration=collaboration, name=f"{template.name} – {collaboration}")
    template = ProcessTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    number = (template.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = ProcessVersion.objects.create(
        template=template, number=number, based_on=version, note=note.strip(), created_by=actor if actor and actor.pk else None
    )
    _copy_rows(version, draft)
    audit_record(
        actor=actor,
        action=Action.PROCESS_DRAFT_CREATED,
        message=f"Nytt utkast «{draft}» laget fra «{version}».",
        data={"version": draft.pk, "based_on": version.pk, "template": template.pk},
    )
    return draft


def process_version_publish_problems(version: ProcessVersion) -> list[str]:
    """Why VERSION cannot be published (empty: it can): already published, no phases, a
    signature gate nobody signs (it would pass unseen), a gate whose record kind is gone, or
    bodies its collaboration lacks."""
    if version.is_published:
        return [gettext("Versjonen er allerede publisert.")]
    if not PhaseDefinition.objects.filter(version=version).exists():
        return [gettext("Versjonen har ingen faser.")]
    problems = []
    for gate in GateDefinition.objects.filter(version=version).select_related("phase", "document").prefetch_related("steps"):
        if gate.kind == GateKind.SIGNATURES and not gate.steps.all():
            problems.append(gettext("Signaturporten «%(gate)s» har ingen godkjenningssteg.") % {"gate": gate.label})
        try:
            gate.clean()
        except ValidationError as error:
            problems.extend(f"{gate.label}: {message}" for message in error.messages)
    collaboration = version.template.collaboration
    if collaboration is not None:
        problems += process_version_problems(version, collaboration)
    return problems


@transaction.atomic
def process_version_publish(*, actor, version: ProcessVersion) -> ProcessVersion:
    # Only the version row is locked: the national template has no collaboration (an outer
    # join PostgreSQL will not lock).
    version = ProcessVersion.objects.select_for_update(of=("self",)).select_related("template__collaboration").get(pk=version.pk)
    problems = process_version_publish_problems(version)
    if problems:
        raise ValidationError(problems)
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    audit_record(
        actor=actor,
        action=Action.PROCESS_PUBLISHED,
        message=f"Publiserte «{version}». Nye anskaffelser følger denne versjonen; de som er i gang beholder sin.",
        data={"version": version.pk, "template": version.template_id},
    )
    return version


def catalogue_version_of(obj) -> ProcessVersion:
    """The process version a catalogue row belongs to."""
    if isinstance(obj, ProcessVersion):
        return obj
    if isinstance(obj, (PhaseDefinition, DeliverableDefinition, GateDefinition)):
        return obj.version
    if isinstance(obj, ChecklistItemDefinition):
        return obj.phase.version
    if isinstance(obj, GateStep):
        return obj.gate.version
    raise TypeError(type(obj))


def require_draft(obj) -> None:
    versions = [catalogue_version_of(obj)]
    if obj.pk is not None:
        # The row as stored, too: an edit that re-points a published row at a draft (or
        # clears published_at in memory) would otherwise pass and change the published version.
        stored = type(obj).objects.filter(pk=obj.pk).first()
        if stored is not None:
            versions.append(catalogue_version_of(stored))
    published = next((version for version in versions if version.is_published), None)
    if published is not None:
        raise ValidationError(
            gettext("«%(version)s» er publisert og kan ikke endres. Lag et nytt utkast fra den og publiser det.")
            % {"version": published}
        )


def _row_described(obj) -> str:
    version = catalogue_version_of(obj)
    if obj is version:
        return f"«{version}»"
    return f"{obj._meta.verbose_name.capitalize()} «{obj}» i «{version}»"


@transaction.atomic
def catalogue_row_save(*, actor, obj) -> None:
    """An administrator's edit of a draft: its note, or one of its phases, deliverables,
    checklist items, gates or steps (a new one when OBJ has no primary key). A row is never
    moved into or out of a published version."""
    before = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    if before is not None:
        require_draft(before)
    require_draft(obj)
    obj.full_clean()
    if before is None:
        obj.save()
        message, data = f"{_row_described(obj)} lagt til.", {}
    else:
        changes = field_changes(before, obj, editable_fields(type(obj)))
        if not changes:
            return
        obj.save()
        message, data = f"{_row_described(obj)} endret: {changes_sentence(changes)}.", changes_data(changes)
    audit_record(
        actor=actor,
        action=Action.PROCESS_ROW_ADDED if before is None else Action.PROCESS_ROW_CHANGED,
        message=message,
        data={"model": obj._meta.label_lower, "pk": obj.pk, "version": catalogue_version_of(obj).pk, **data},
    )


@transaction.atomic
def catalogue_row_delete(*, actor, obj) -> None:
    require_draft(obj)
    description = _row_described(obj)
    data = {"model": obj._meta.label_lower, "pk": obj.pk, "version": catalogue_version_of(obj).pk}
    try:
        # A gate protects its document from deletion; a phase or a draft takes its own gates
        # with it, so they go first.
        if isinstance(obj, PhaseDefinition):
            GateDefinition.objects.filter(phase=obj).delete()
        elif isinstance(obj, ProcessVersion):
            GateDefinition.objects.filter(version=obj).delete()
        obj.delete()
    except ProtectedError as error:
        raise ValidationError(
            gettext("%(row)s brukes av %(users)s og kan ikke slettes. Endre eller slett dem først.")
            % {"row": description, "users": ", ".join(f"«{used}»" for used in error.protected_objects)}
        ) from error
    audit_record(actor=actor, action=Action.PROCESS_ROW_DELETED, message=f"{description} slettet.", data=data)


def open_procurements_needing_body_kind(*, collaboration_id: int, kind: str) -> list[str]:
    """The open procurements of the collaboration whose process has a step decided by a body
    of KIND (municipalities asks before a body is deleted or its kind changed)."""
    versions = GateStep.objects.filter(scope=StepScope.BODY, body_kind=kind).values("gate__version_id")
    titles = list(
        Procurement.objects.filter(
            collaboration_id=collaboration_id, state__in=phases.OPEN_STATES, process_version_id__in=versions
        ).values_list("title", flat=True)[:6]
    )
    if not titles:
        return []
    return [
        gettext("Åpne anskaffelser har porter som besluttes av et organ av typen «%(kind)s»: %(titles)s.")
        % {"kind": kind, "titles": ", ".join(f"«{title}»" for title in titles[:5]) + (" …" if len(titles) > 5 else "")}
    ]
