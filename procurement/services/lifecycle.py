"""Moves a procurement through its phases, forwards and back. The state machine decides what
is possible; this service locks the row, judges the case once, checks the user, fires the
transition, records the phase change, audits and notifies."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django_fsm import can_proceed

from audit.actions import Action
from audit.services import audit_record, audit_refusal, record_language

from .. import phases
from ..conditions import READINESS_SNAPSHOT
from ..engine.records import records_phase_left, records_reopened
from ..exceptions import CompletionNotConfirmed, TransitionRefused
from ..extensions import deadline_rules_outliving_the_case, phase_ended
from ..models import (
    DeadlineKind,
    PhaseChange,
    PhaseDefinition,
    Procurement,
    ProcurementState,
    SignOff,
    VoidReason,
)
from ..readiness import Readiness, completion_warnings, readiness_for
from ..refusals import manage_refused
from .guards import procurement_locked, refusals_audited
from .notifications import notify_on_commit

TRANSITIONS = ("start", "complete_phase", "close", "reopen", "cancel")
REASON_MAX_LENGTH = 2000


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
    elif procurement.state in phases.PHASES and phases.PHASES.index(procurement.state) < phases.PHASES.index(left):
        return  # going back: the deadlines of the phase left are still ahead
    else:
        ending = Q(kind=DeadlineKind.PHASE, phase=left)
    ended = procurement.deadlines.filter(ending, done_at__isnull=True)
    if procurement.state == phases.CLOSED:
        ended = ended.exclude(rule__in=deadline_rules_outliving_the_case())  # benefits are measured on
    ended.update(done_at=timezone.now())


def _state_label(state: str) -> str:
    with record_language():
        return str(ProcurementState(state).label)


PHASE_ENDINGS = ("start", "complete_phase", "close")


def _fire(
    procurement: Procurement,
    name: str,
    *,
    actor,
    reason: str = "",
    automatic: bool = False,
    phase: str = "",
    plan_reviewed: bool | None = None,
    warnings: list | None = None,
) -> PhaseChange:
    before = procurement.state
    method = getattr(procurement, name)
    if name == "cancel":
        method(reason=reason)
    elif name == "reopen":
        method(phase=phase)
    else:
        method()
    procurement.save()
    if hasattr(procurement, READINESS_SNAPSHOT):
        delattr(procurement, READINESS_SNAPSHOT)  # judged the state just left
    _deadlines_close(procurement, left=before)
    if name in ("complete_phase", "close"):
        records_phase_left(procurement=procurement, phase=before, actor=actor)
    change = PhaseChange.objects.create(
        procurement=procurement,
        kind=name,
        from_state=before,
        to_state=procurement.state,
        reason=reason,
        automatic=automatic,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    data = {"from": before, "to": procurement.state, "automatic": automatic}
    if name in PHASE_ENDINGS:
        # The benefit plan is frozen as it stood at the end of the phase (benefits subscribes).
        phase_ended(procurement=procurement, change=change, actor=actor, plan_reviewed=plan_reviewed)
        if plan_reviewed is not None:  # asked on the complete-phase form; not when a signature moved it on
            data["plan_reviewed"] = plan_reviewed
        if warnings:
            data["confirmed_warnings"] = [{"kind": w.kind, "name": w.name} for w in warnings]
    verb = "Gikk tilbake" if name == "reopen" else "Fase endret"
    message = f"{verb} fra «{_state_label(before)}» til «{_state_label(procurement.state)}»"
    if automatic:
        message += " automatisk da godkjenningen var komplett"
    if reason:
        message += f". Begrunnelse: {reason}"
    message += "."
    if plan_reviewed is not None and name in PHASE_ENDINGS:
        message += " Gevinstrealiseringsplanen er gjennomgått." if plan_reviewed else " Gevinstrealiseringsplanen er ikke gjennomgått."
    if warnings:
        unticked = [w.name for w in warnings if w.kind == "checklist"]
        short = [w.name for w in warnings if w.kind == "short"]
        parts = []
        if unticked:
            parts.append("sjekkpunkter ikke krysset av: " + ", ".join(f"«{label}»" for label in unticked))
        if short:
            parts.append("korte leveranser: " + ", ".join(f"«{label}»" for label in short))
        message += " Fullført etter bekreftelse (" + "; ".join(parts) + ")."
    audit_record(
        actor=actor,
        action=Action(f"procurement.{name}"),
        procurement=procurement,
        message=message,
        data=data,
    )
    notify_on_commit("phase_changed", procurement_id=procurement.pk)
    return change


def _judge(procurement: Procurement) -> Readiness:
    readiness = readiness_for(procurement, whole_process=False)
    setattr(procurement, READINESS_SNAPSHOT, readiness)
    return readiness


@refusals_audited(Action.TRANSITION_REFUSED, lambda kw: f"ba om faseendringen «{kw.get('transition')}»")
@transaction.atomic
def procurement_transition(
    *,
    user,
    procurement_id: int,
    transition: str,
    reason: str = "",
    phase: str = "",
    plan_reviewed: bool | None = None,
    confirmed: bool | None = None,
) -> Procurement:
    """PLAN_REVIEWED: the answer to "was the benefit-realisation plan reviewed?" asked when a
    phase is completed (None: not asked); recorded in the audit entry and the plan version.

    CONFIRMED: whether the person confirmed completing the phase despite its warnings
    (readiness.completion_warnings: unticked checklist items, deliverables shorter than a
    sensible minimum). False refuses with CompletionNotConfirmed while there are warnings;
    None (a caller that asks nobody) does not check. The warnings confirmed go into the
    audit entry."""
    if transition not in TRANSITIONS:
        raise TransitionRefused(gettext("Ukjent handling."))
    procurement = procurement_locked(procurement_id)
    method = getattr(procurement, transition)
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    if not can_proceed(method, check_conditions=False):
        raise TransitionRefused(
            gettext("Handlingen passer ikke for fasen «%(phase)s» anskaffelsen står i.") % {"phase": procurement.get_state_display()}
        )
    # django-fsm's has_transition_perm() also requires the conditions, which would turn an
    # unmet guard into "permission denied" for the coordinator; ask for the permission alone.
    if not method._django_fsm.has_transition_perm(procurement, procurement.state, user):
        raise PermissionDenied(manage_refused(user, procurement, gettext("endre fasen")))
    reason = (reason or "").strip()
    if transition in ("cancel", "reopen"):
        if not reason:
            raise TransitionRefused(
                gettext("Skriv en begrunnelse for avlysningen.")
                if transition == "cancel"
                else gettext("Skriv hvorfor anskaffelsen går tilbake til en tidligere fase.")
            )
        if len(reason) > REASON_MAX_LENGTH:
            raise TransitionRefused(
                gettext("Skriv høyst %(max)d tegn (nå %(count)d).") % {"max": REASON_MAX_LENGTH, "count": len(reason)}
            )
    if transition == "reopen":
        return _reopen(procurement, user=user, phase=phase, reason=reason)
    readiness = _judge(procurement)
    if not can_proceed(method):
        raise TransitionRefused(gettext("Fasen kan ikke fullføres ennå."), reasons=readiness.blockers)
    warnings = completion_warnings(readiness) if transition in ("complete_phase", "close") and confirmed is not None else []
    if warnings and not confirmed:
        raise CompletionNotConfirmed(
            gettext("Bekreft at fasen skal fullføres selv om noe ser uferdig ut."), warnings=warnings
        )
    _fire(procurement, transition, actor=user, reason=reason, plan_reviewed=plan_reviewed, warnings=warnings)
    return procurement


def _reopen(procurement: Procurement, *, user, phase: str, reason: str) -> Procurement:
    """Back to PHASE, an earlier phase: an upheld complaint sends the case back to
    evaluation, a rejected recommendation back to the tender documents. The signatures given
    at the gates of every phase from PHASE up to the one left no longer count (they stay on
    record, void), so each gate is signed again on the way forward."""
    if phase not in phases.earlier_phases(procurement.state):
        raise TransitionRefused(gettext("Velg en fase anskaffelsen allerede har vært gjennom."))
    reopened = phases.phases_between(phase, procurement.state)
    change = _fire(procurement, "reopen", actor=user, reason=reason, phase=phase)
    records_reopened(procurement=procurement, phase=phase, reason=reason, actor=user)
    voided = SignOff.objects.filter(
        procurement=procurement,
        voided_at__isnull=True,
        step__gate__phase__in=PhaseDefinition.objects.filter(version_id=procurement.process_version_id, code__in=reopened),
    ).update(voided_at=timezone.now(), void_reason=VoidReason.REOPENED, voided_by_change=change)
    if voided:
        audit_record(
            actor=user,
            action=Action.SIGNATURES_VOIDED,
            procurement=procurement,
            message=f"{voided} signatur(er) i fasene som ble åpnet igjen er ugyldige og må gis på nytt.",
            data={"voided_signoffs": voided, "change": change.pk, "phases": list(reopened)},
        )
        notify_on_commit("signatures_voided", procurement_id=procurement.pk)
    return procurement


def transition_not_allowed(*, user, procurement_id: int, transition: str) -> PermissionDenied:
    """The refusal the transition view gives before reading the reason form of cancel or
    reopen, written to the audit log like a refusal from procurement_transition. Returns the
    error to raise."""
    procurement = Procurement.objects.select_related("collaboration").get(pk=procurement_id)
    error = PermissionDenied(manage_refused(user, procurement, gettext("endre fasen")))
    audit_refusal(
        actor=user,
        action=Action.TRANSITION_REFUSED,
        procurement_id=procurement_id,
        message=f"Avvist: {user} ba om faseendringen «{transition}». {error}",
        data={"refusal": "PermissionDenied", "reasons": [], "procurement_id": procurement_id, "transition": transition},
    )
    return error


def procurement_advance_if_ready(*, procurement: Procurement, readiness: Readiness, actor) -> bool:
    """Called by the sign-off service inside its transaction with its judgement after the
    signature: the gate's approval is the decision, so the phase moves on without a second
    click when nothing else is missing."""
    if procurement.state == phases.CONTRACT_MANAGEMENT or not readiness.ready:
        return False
    setattr(procurement, READINESS_SNAPSHOT, readiness)
    if can_proceed(procurement.complete_phase):
        _fire(procurement, "complete_phase", actor=actor, automatic=True)
        return True
    return False
