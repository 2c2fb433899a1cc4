from .catalogue import (
    ChecklistItemDefinition,
    DeliverableDefinition,
    DeliverableKind,
    GateDefinition,
    GateStep,
    PhaseDefinition,
    StepScope,
)
from .deadlines import Deadline, DeadlineKind, Reminder
from .deliverables import ChecklistCheck, Deliverable, DeliverableVersion
from .participation import InformationInitiative, Participation, ParticipationStatus
from .procurement import CostSharingMethod, Funding, NeedKind, Procurement, ProcurementState
from .signoffs import Decision, SignOff

__all__ = [
    "ChecklistCheck",
    "ChecklistItemDefinition",
    "CostSharingMethod",
    "Deadline",
    "DeadlineKind",
    "Decision",
    "Deliverable",
    "DeliverableDefinition",
    "DeliverableKind",
    "DeliverableVersion",
    "Funding",
    "GateDefinition",
    "GateStep",
    "InformationInitiative",
    "NeedKind",
    "Participation",
    "ParticipationStatus",
    "PhaseDefinition",
    "Procurement",
    "ProcurementState",
    "Reminder",
    "SignOff",
    "StepScope",
]
