"""The ten phases of the design card, in order, and the states around them. Pure Python:
the state machine and the screens both read this one list."""

INTAKE = "intake"
NEEDS = "needs"
TARGET_PICTURE = "target_picture"
MARKET_DIALOGUE = "market_dialogue"
STRATEGY = "strategy"
PROCEDURE = "procedure"
TENDER_DOCUMENTS = "tender_documents"
EVALUATION = "evaluation"
CONTRACT = "contract"
ACCEPTANCE_TEST = "acceptance_test"
CONTRACT_MANAGEMENT = "contract_management"
CLOSED = "closed"
CANCELLED = "cancelled"

PHASES: tuple[str, ...] = (
    NEEDS,
    TARGET_PICTURE,
    MARKET_DIALOGUE,
    STRATEGY,
    PROCEDURE,
    TENDER_DOCUMENTS,
    EVALUATION,
    CONTRACT,
    ACCEPTANCE_TEST,
    CONTRACT_MANAGEMENT,
)
OPEN_STATES: tuple[str, ...] = (INTAKE, *PHASES)
FINAL_STATES: tuple[str, ...] = (CLOSED, CANCELLED)


def next_phase(phase: str) -> str:
    """The phase after PHASE; the last phase is followed by CLOSED."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else CLOSED


def phase_number(state: str) -> int | None:
    """1-based position of a phase, None for intake and the final states."""
    return PHASES.index(state) + 1 if state in PHASES else None


def earlier_phases(state: str) -> tuple[str, ...]:
    """The phases a procurement in STATE can go back to: those before it."""
    return PHASES[: PHASES.index(state)] if state in PHASES else ()


def phases_between(first: str, last: str) -> tuple[str, ...]:
    """FIRST to LAST inclusive, in order (empty when FIRST comes after LAST)."""
    return PHASES[PHASES.index(first) : PHASES.index(last) + 1]
