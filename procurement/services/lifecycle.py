"""Moves a procurement through its phases. The state machine decides what is possible;
this service locks the row, checks the user, saves, audits and notifies."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django_fsm import can_proceed

from audit.services import audit_record, record_language

from .. import phases
from ..exceptions import TransitionRefused
from ..models import DeadlineKind, Procurement, ProcurementState
from ..readiness import readiness_for
from .guards import procurement_locked
from .notifications import notify_on_commit

TRANSITIONS = ("start", "complete_phase", "close", "cancel")


def available_transitions(*, procurement: Procurement, user) -> list:
    """The transitions this user may fire now: the buttons the page shows."""
    return list(procurement.get_available_user_state_transitions(user))


def _deadlines_close(procurement: Procurement, *, left: str) -> None:
    """The deadlines that end with the phase just LEFT: its own phase deadlines (those of
    later phases stay open), the invitation round when leaving intake (nobody can answer
    any more), and every open deadline when the procurement is closed or cancelled."""
    if procurement.state in phases.FINAL_STATES:
        ending = Q()
    elif left == phases.INTAKE:
        ending = Q(kind=DeadlineKind.INVITATION_ANSWER)
    else:
        ending = Q(kind=DeadlineKind.PHASE, phase=left)
    procurement.deadlines.filter(ending, done_at__isnull=True).update(done_at=timezone.now())


def _fire(procurement: Procurement, name: str, *, actor, reason: str = "", automatic: bool = False) -> None:
    before = procurement.state
    method = getattr(procurement, name)
    if name == "cancel":
        method(reason=reason)
    else:
        method()
    procurement.save()
    if before != procurement.state:
        _deadlines_close(procurement, left=before)
    with record_language():
        label_before = str(ProcurementState(before).label)
        label_after = str(ProcurementState(procurement.state).label)
    message = f"Fase endret fra «{label_before}» til «{label_after}»"
    if automatic:
        message += " automatisk da godkjenningen var komplett"
    if reason:
        message += f". Begrunnelse: {reason}"
    audit_record(
        actor=actor,
        action=f"procurement.{name}",
        procurement=procurement,
        message=message + ".",
        data={"from": before, "to": procurement.state, "automatic": automatic},
    )
    notify_on_commit("phase_changed", procurement_id=procurement.pk)


@transaction.atomic
def procurement_transition(*, user, procurement_id: int, transition: str, reason: str = "") -> Procurement:
    if transition not in TRANSITIONS:
        raise TransitionRefused(gettext("Ukjent handling."))
    procurement = procurement_locked(procurement_id)
    method = getattr(procurement, transition)
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    if not can_proceed(method, check_conditions=False):
        raise TransitionRefused(gettext("Handlingen passer ikke for fasen anskaffelsen står i."))
    # django-fsm's has_transition_perm() also requires the conditions, which would turn an
    # unmet guard into "permission denied" for the coordinator; ask for the permission alone.
    if not method._django_fsm.has_transition_perm(procurement, procurement.state, user):
        raise PermissionDenied(gettext("Du kan ikke endre fasen for denne anskaffelsen."))
    if not can_proceed(method):
        raise TransitionRefused(
            gettext("Fasen kan ikke fullføres ennå."), reasons=readiness_for(procurement).blockers
        )
    reason = reason.strip()
    if transition == "cancel" and not reason:
        raise TransitionRefused(gettext("Skriv en begrunnelse for avlysningen."))
    _fire(procurement, transition, actor=user, reason=reason)
    return procurement


def procurement_advance_if_ready(*, procurement: Procurement, actor) -> bool:
    """Called by the sign-off service inside its transaction when a gate completes: the
    gate's approval is the decision, so the phase moves on without a second click when
    nothing else is missing."""
    if procurement.state == "contract_management":
        return False
    if can_proceed(procurement.complete_phase):
        _fire(procurement, "complete_phase", actor=actor, automatic=True)
        return True
    return False
