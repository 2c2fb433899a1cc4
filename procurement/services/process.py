"""Process templates and their versions: which version a new procurement runs under, new
drafts made from a version, publishing, and the administrator's edits of a draft.

A published version never changes (procurements pinned to it keep the process they ran
under); an edit is made on a draft, which is published as the next version."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record
from municipalities.models import Body, Collaboration

from ..exceptions import ProcurementError
from ..models import (
    ChecklistItemDefinition,
    DeliverableDefinition,
    GateDefinition,
    GateStep,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
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


def process_version_current(*, collaboration: Collaboration) -> ProcessVersion:
    """The newest published version of the collaboration's own template, or of the national
    template when it has none (or only a draft of one). Refused when that version names
    bodies it lacks."""
    # A template whose first version is still a draft does not count yet: drafting the
    # collaboration's own process must not stop it from reporting needs meanwhile.
    template = ProcessTemplate.objects.filter(collaboration=collaboration, versions__published_at__isnull=False).first()
    if template is None:
        template = ProcessTemplate.objects.filter(collaboration__isnull=True).order_by("pk").first()
    version = (
        ProcessVersion.objects.filter(template=template, published_at__isnull=False).order_by("-number").first()
        if template is not None
        else None
    )
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


@transaction.atomic
def process_version_publish(*, actor, version: ProcessVersion) -> ProcessVersion:
    version = ProcessVersion.objects.select_for_update(of=("self",)).select_related("template__collaboration").get(pk=version.pk)
    if version.is_published:
        raise ValidationError(gettext("Versjonen er allerede publisert."))
    if not PhaseDefinition.objects.filter(version=version).exists():
        raise ValidationError(gettext("Versjonen har ingen faser."))
    collaboration = version.template.collaboration
    if collaboration is not None:
        problems = process_version_problems(version, collaboration)
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


@transaction.atomic
def catalogue_row_save(*, actor, obj, changed: list[str] | None = None, created: bool = False) -> None:
    """An administrator's edit of a draft's phase, deliverable, checklist item, gate or step."""
    require_draft(obj)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=Action.PROCESS_ROW_ADDED if created else Action.PROCESS_ROW_CHANGED,
        message=f"{obj._meta.verbose_name.capitalize()} «{obj}» i «{catalogue_version_of(obj)}» "
        + ("lagt til." if created else f"endret ({', '.join(changed or []) or 'ingen felt'})."),
        data={"model": obj._meta.label_lower, "pk": obj.pk, "fields": changed or []},
    )


@transaction.atomic
def catalogue_row_delete(*, actor, obj) -> None:
    require_draft(obj)
    description = f"{obj._meta.verbose_name.capitalize()} «{obj}» i «{catalogue_version_of(obj)}»"
    data = {"model": obj._meta.label_lower, "pk": obj.pk}
    obj.delete()
    audit_record(actor=actor, action=Action.PROCESS_ROW_DELETED, message=f"{description} slettet.", data=data)
