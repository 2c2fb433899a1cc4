"""Named conditions of the procurement state machine. Each takes the procurement and asks
readiness, the one place that knows what a phase still lacks."""


READINESS_SNAPSHOT = "_readiness_snapshot"


def _readiness(procurement):
    """A read-only screen that has already loaded readiness leaves it on the instance (see
    selectors.procurement_detail) so listing the buttons does not load it once per
    condition. Writers never set it: a service always judges the state it has locked."""
    snapshot = getattr(procurement, READINESS_SNAPSHOT, None)
    if snapshot is not None:
        return snapshot
    from .readiness import readiness_for  # the models module imports this one

    return readiness_for(procurement)


def invitations_settled(procurement) -> bool:
    return _readiness(procurement).invitations_settled


def cost_shares_complete(procurement) -> bool:
    return _readiness(procurement).cost_shares_complete


def all_deliverables_present(procurement) -> bool:
    return _readiness(procurement).deliverables_present


def all_gates_passed(procurement) -> bool:
    return _readiness(procurement).gates_passed
