"""The one condition of the procurement state machine: the current phase is ready.

A service (or a screen listing the buttons) judges the case once and leaves the Readiness
on the instance before asking django-fsm; the condition reads it. Without one it judges
the case itself, so a transition can never be fired unjudged."""

READINESS_SNAPSHOT = "_readiness_snapshot"


def judged(procurement):
    readiness = getattr(procurement, READINESS_SNAPSHOT, None)
    if readiness is not None and readiness.state == procurement.state:
        return readiness
    from .readiness import readiness_for  # the models module imports this one

    return readiness_for(procurement, whole_process=False)


def phase_ready(procurement) -> bool:
    return judged(procurement).ready
