"""The procurement page."""
from dataclasses import dataclass, field

from django.db.models import Prefetch

from audit.selectors import audit_entries_for_procurement

from .. import phases
from ..conditions import READINESS_SNAPSHOT
from ..extensions import timeline_entries
from ..models import (
    ChecklistCheck,
    Deliverable,
    DeliverableVersion,
    PhaseChange,
    PhaseChangeKind,
    PhaseDefinition,
    Procurement,
    SignOff,
)
from ..readiness import Readiness, ReadinessLoader
from .access import procurements_visible, roles_in_procurement, user_signing_rights

HISTORY_ON_PAGE = 20  # entries of the history on the procurement page


@dataclass
class PhaseView:
    definition: PhaseDefinition
    number: int
    status: str  # "done", "current", "upcoming" (and "cancelled", set by the view)
    deliverables: list
    reopened: list[PhaseChange] = field(default_factory=list)  # times the case went back to this phase
    entries: list = field(default_factory=list)  # lines other apps add (procurement.extensions)


def phase_status(procurement: Procurement, code: str) -> str:
    if procurement.state == phases.CLOSED:
        return "done"
    if procurement.state not in phases.PHASES:
        return "upcoming"
    position, current = phases.PHASES.index(code), phases.PHASES.index(procurement.state)
    return "done" if position < current else "current" if position == current else "upcoming"


def procurement_detail(*, user, procurement_id: int) -> dict:
    """Everything the procurement page shows, in a fixed number of queries. Raises
    Procurement.DoesNotExist when the user may not see it, so the view answers 404 without
    revealing that it exists. The phases are those of the process version the procurement
    is pinned to."""
    procurement = (
        procurements_visible(user=user)
        .select_related("collaboration", "lead_municipality", "reported_by", "process_version__template")
        .get(pk=procurement_id)
    )
    loader = ReadinessLoader([procurement])
    readiness = loader.for_procurement(procurement)
    catalogue = readiness.snapshot.catalogue
    deliverables = {
        d.definition_id: d
        for d in Deliverable.objects.filter(procurement=procurement).prefetch_related(
            Prefetch("versions", queryset=DeliverableVersion.objects.select_related("created_by"))
        )
    }
    changes = list(PhaseChange.objects.filter(procurement=procurement).select_related("actor"))
    entries = timeline_entries(procurement)
    timeline: list[PhaseView] = []
    for definition in catalogue.ordered_phases():
        if definition.code not in phases.PHASES:
            continue
        items = [(dd, deliverables.get(dd.pk)) for dd in definition.deliverables.all()]
        timeline.append(
            PhaseView(
                definition=definition,
                number=phases.PHASES.index(definition.code) + 1,
                status=phase_status(procurement, definition.code),
                deliverables=items,
                reopened=[c for c in changes if c.kind == PhaseChangeKind.REOPEN and c.to_state == definition.code],
                entries=entries.get(definition.code, []),
            )
        )
    rights = user_signing_rights(user=user)
    voided = (
        SignOff.objects.filter(procurement=procurement, voided_at__isnull=False)
        .select_related("person", "municipality", "body", "step__gate", "document_version", "voided_by_change")
        .order_by("-voided_at")
    )
    return {
        "procurement": procurement,
        "readiness": readiness,
        "timeline": timeline,
        "intake_entries": entries.get(phases.INTAKE, []),
        "phase_changes": changes,
        "current_phase": readiness.phase,
        "participations": list(procurement.participations.select_related("municipality", "answered_by")),
        "checked_items": readiness.snapshot.checked_items,
        "signing_rights": rights,
        "roles": roles_in_procurement(user=user, procurement=procurement),
        "voided_signoffs": list(voided),
        # The page shows the newest HISTORY_ON_PAGE and links to the rest when there is more.
        "history": list(audit_entries_for_procurement(procurement=procurement, limit=HISTORY_ON_PAGE + 1)),
        "deadlines": list(procurement.deadlines.all()),
        "can_manage": user.has_perm("procurement.manage_procurement", procurement),
        "can_contribute": user.has_perm("procurement.contribute_procurement", procurement),
        "transitions": _transitions_for(procurement, readiness, user),
    }


def _transition_rank(transition) -> int:
    """The step forward first, going back next, what cannot be undone (cancelling) last."""
    if transition.custom.get("needs_reason"):
        return 2
    if transition.custom.get("needs_phase"):
        return 1
    return 0


def _transitions_for(procurement: Procurement, readiness: Readiness, user) -> list:
    setattr(procurement, READINESS_SNAPSHOT, readiness)
    try:
        return sorted(procurement.get_available_user_state_transitions(user), key=_transition_rank)
    finally:
        delattr(procurement, READINESS_SNAPSHOT)


def checklist_item_checked(*, procurement: Procurement, item) -> bool:
    """Whether ITEM is ticked for PROCUREMENT (the caller has already checked visibility)."""
    return ChecklistCheck.objects.filter(procurement=procurement, item=item).exists()


def phase_labels(*, procurement: Procurement) -> dict[str, str]:
    """Phase code -> the phase's name in the procurement's own process version (a Danish
    network's template names its phases in Danish). One query."""
    return {
        phase.code: phase.label
        for phase in PhaseDefinition.objects.filter(version_id=procurement.process_version_id).only(
            "code", "name", "name_en"
        )
    }
