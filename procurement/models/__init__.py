from .catalogue import (
    AccessClass,
    ChecklistItemDefinition,
    DeliverableDefinition,
    DeliverableKind,
    GateDefinition,
    GateKind,
    GateStep,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
    StepScope,
)
from .deadlines import NAMED_DEADLINE_KINDS, Deadline, DeadlineKind, DeclaredHoliday
from .deliverables import ChecklistCheck, Deliverable, DeliverableVersion
from .history import PhaseChange, PhaseChangeKind
from .network import Joining, JoiningRound, WorkPackage, WorkPackageState
from .participation import InformationInitiative, Participation, ParticipationStatus
from .procurement import CostSharingMethod, Funding, NeedKind, Procurement, ProcurementState
from .signoffs import Decision, SignOff, VoidReason

__all__ = [
    "Joining",
    "JoiningRound",
    "WorkPackage",
    "WorkPackageState",
    "DeclaredHoliday",
    "AccessClass",
    "GateKind",
    "NAMED_DEADLINE_KINDS",
    "PhaseChange",
    "PhaseChangeKind",
    "ProcessTemplate",
    "ProcessVersion",
    "VoidReason",
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
    "SignOff",
    "StepScope",
]
