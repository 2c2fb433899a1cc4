"""The procurement page."""
from dataclasses import dataclass

from django.db.models import Prefetch

from audit.selectors import audit_entries_for_procurement

from .. import phases
from ..conditions import READINESS_SNAPSHOT
from ..models import ChecklistCheck, Deliverable, DeliverableVersion, PhaseDefinition, Procurement, SignOff
from ..readiness import Readiness, readiness_for
from .access import procurements_visible, user_signing_rights


@dataclass
class PhaseView:
    definition: PhaseDefinition
    number: int
    status: str  # "done", "current", "upcoming"
    deliverables: list


def procurement_detail(*, user, procurement_id: int) -> dict:
    """Everything the procurement page shows. Raises Procurement.DoesNotExist when the user
    may not see it, so the view answers 404 without revealing that it exists."""
    procurement = (
        procurements_visible(user=user).select_related("region", "lead_municipality", "reported_by").get(pk=procurement_id)
    )
    readiness = readiness_for(procurement)
    definitions = PhaseDefinition.objects.prefetch_related("deliverables", "checklist_items").order_by("order")
    deliverables = {
        d.definition_id: d
        for d in Deliverable.objects.filter(procurement=procurement).prefetch_related(
            Prefetch("versions", queryset=DeliverableVersion.objects.select_related("created_by"))
        )
    }
    current_index = phases.PHASES.index(procurement.state) if procurement.state in phases.PHASES else None
    timeline: list[PhaseView] = []
    for index, definition in enumerate(d for d in definitions if d.code in phases.PHASES):
        position = phases.PHASES.index(definition.code)
        if procurement.state == phases.CLOSED or (current_index is not None and position < current_index):
            status = "done"
        elif current_index is not None and position == current_index:
            status = "current"
        else:
            status = "upcoming"
        items = [(dd, deliverables.get(dd.pk)) for dd in definition.deliverables.all()]
        timeline.append(PhaseView(definition=definition, number=index + 1, status=status, deliverables=items))
    rights = user_signing_rights(user=user)
    checked = set(ChecklistCheck.objects.filter(procurement=procurement).values_list("item_id", flat=True))
    voided = (
        SignOff.objects.filter(procurement=procurement, voided_at__isnull=False)
        .select_related("person", "municipality", "body", "step__gate", "document_version")
        .order_by("-voided_at")
    )
    return {
        "procurement": procurement,
        "readiness": readiness,
        "timeline": timeline,
        "current_phase": readiness.phase,
        "participations": list(procurement.participations.select_related("municipality", "answered_by")),
        "checked_items": checked,
        "signing_rights": rights,
        "voided_signoffs": list(voided),
        "history": list(audit_entries_for_procurement(procurement=procurement, limit=200)),
        "deadlines": list(procurement.deadlines.all()),
        "can_manage": user.has_perm("procurement.manage_procurement", procurement),
        "can_contribute": user.has_perm("procurement.contribute_procurement", procurement),
        "transitions": _transitions_for(procurement, readiness, user),
    }


def _transitions_for(procurement: Procurement, readiness: Readiness, user) -> list:
    setattr(procurement, READINESS_SNAPSHOT, readiness)
    try:
        return list(procurement.get_available_user_state_transitions(user))
    finally:
        delattr(procurement, READINESS_SNAPSHOT)


def checklist_item_checked(*, procurement: Procurement, item) -> bool:
    """Whether ITEM is ticked for PROCUREMENT (the caller has already checked visibility)."""
    return ChecklistCheck.objects.filter(procurement=procurement, item=item).exists()
