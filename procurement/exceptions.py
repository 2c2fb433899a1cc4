"""Domain errors the views turn into messages. Each carries a sentence for the user."""


class ProcurementError(Exception):
    """A request the domain refuses; the message is shown to the user as it is."""


class TransitionRefused(ProcurementError):
    def __init__(self, message: str, reasons: list[str] | None = None):
        super().__init__(message)
        self.reasons = reasons or []


class CompletionNotConfirmed(TransitionRefused):
    """The phase has unticked checklist items or deliverables shorter than a sensible
    minimum, and the coordinator has not confirmed completing it anyway. WARNINGS are
    readiness.CompletionWarning."""

    def __init__(self, message: str, warnings: list):
        super().__init__(message, reasons=[f"{w.label}: {w.detail}" if w.detail else w.label for w in warnings])
        self.warnings = warnings


class SignOffRefused(ProcurementError):
    pass


class DeadlineDerived(ProcurementError):
    """A deadline computed from its rule (or from the invitations) changed by hand."""


class StaleDocument(SignOffRefused):
    """The document changed after the signer opened the page: they must read the new one."""
