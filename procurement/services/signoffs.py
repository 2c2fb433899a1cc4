"""Records one signature at a gate. The procurement row is locked for the whole check and
write, so two people signing at the same moment are serialised: both count exactly once
and the one who completes the gate moves the phase on."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, audit_refusal, record_language
from municipalities.roles import Role, act_as_codename

from .. import extensions
from ..exceptions import SignOffRefused, StaleDocument
from ..models import Decision, GateStep, SignOff
from ..readiness import SlotStatus, readiness_for
from .guards import procurement_locked, refusals_audited
from .lifecycle import procurement_advance_if_ready
from .notifications import notify_on_commit


def can_sign_slot(user, step: GateStep, slot: SlotStatus, *, municipalities: dict, bodies: dict) -> bool:
    codename = f"municipalities.{act_as_codename(step.role)}"
    body = bodies.get(slot.body_id) if slot.body_id is not None else None
    if body is not None and body.decision_recorder_id is not None:
        # The body's decision is recorded by the person the collaboration named, not signed
        # by any one member.
        return user.pk == body.decision_recorder_id
    if slot.municipality_id is not None:
        return user.has_perm(codename, municipalities[slot.municipality_id])
    return user.has_perm(codename, bodies[slot.body_id])


@refusals_audited(Action.SIGNOFF_REFUSED, lambda kw: "forsøkte å signere")
@transaction.atomic
def signoff_record(
    *,
    user,
    procurement_id: int,
    step_id: int,
    slot: str,
    decision: str,
    comment: str = "",
    document_sha256: str = "",
    meeting_on=None,
    case_number: str = "",
) -> SignOff:
    procurement = procurement_locked(procurement_id)
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    if decision not in Decision.values:
        raise ValidationError({"decision": gettext("Velg godkjenn eller avvis.")})
    comment = comment.strip()
    if decision == Decision.REJECT and not comment:
        raise ValidationError({"comment": gettext("Skriv hvorfor du avviser.")})

    readiness = readiness_for(procurement, whole_process=False)
    found = [(gate, step) for gate in readiness.signature_gates for step in gate.steps if step.step.pk == step_id]
    if not found:
        raise SignOffRefused(gettext("Denne godkjenningen hører ikke til fasen anskaffelsen står i."))
    gate, step = found[0]
    if gate.document is None:
        raise SignOffRefused(gettext("Dokumentet som skal godkjennes er ikke levert ennå."))
    if not step.is_open:
        raise SignOffRefused(gettext("Et tidligere godkjenningssteg må bli ferdig først."))
    target = next((s for s in step.slots if s.slot == slot), None)
    if target is None:
        raise SignOffRefused(gettext("Du kan ikke signere for denne kommunen eller dette organet her."))
    municipalities = {p.municipality_id: p.municipality for p in readiness.joined if p.municipality_id == target.municipality_id}
    bodies = {b.pk: b for b in readiness.snapshot.bodies.values() if b.pk == target.body_id}
    if not can_sign_slot(user, step.step, target, municipalities=municipalities, bodies=bodies):
        raise PermissionDenied(
            gettext("Bare en %(role)s for %(name)s kan signere her.")
            % {"role": Role(step.step.role).label.lower(), "name": target.label}
        )
    if target.signoff is not None:
        raise SignOffRefused(gettext("%(name)s har allerede signert denne versjonen.") % {"name": target.label})
    recorded = bool(bodies.get(target.body_id) and bodies[target.body_id].decision_recorder_id)
    case_number = (case_number or "").strip()
    if recorded:
        errors = {}
        if meeting_on is None:
            errors["meeting_on"] = gettext("Skriv datoen for møtet der vedtaket ble gjort.")
        elif meeting_on > procurement.collaboration.today():
            errors["meeting_on"] = gettext("Møtet kan ikke være i fremtiden.")
        if not case_number:
            errors["case_number"] = gettext("Skriv saksnummeret for vedtaket.")
        elif len(case_number) > 50:
            errors["case_number"] = gettext("Skriv høyst %(max)d tegn.") % {"max": 50}
        if errors:
            raise ValidationError(errors)
    else:
        meeting_on, case_number = None, ""
    version = gate.document.current_version
    if document_sha256 and document_sha256 != version.sha256:
        raise StaleDocument(
            gettext("Dokumentet er endret etter at du åpnet siden. Les den nye versjonen før du signerer.")
        )

    signoff = SignOff.objects.create(
        procurement=procurement,
        step=step.step,
        slot=target.slot,
        person=user,
        role=step.step.role,
        municipality=municipalities.get(target.municipality_id),
        body=bodies.get(target.body_id),
        decision=decision,
        comment=comment,
        document_version=version,
        document_sha256=version.sha256,
        meeting_on=meeting_on,
        case_number=case_number,
    )
    verb = "godkjente" if decision == Decision.APPROVE else "avviste"
    with record_language():
        role_label = str(Role(step.step.role).label)
    audit_record(
        actor=user,
        action=Action.SIGNOFF_APPROVE if decision == Decision.APPROVE else Action.SIGNOFF_REJECT,
        procurement=procurement,
        municipality=signoff.municipality,
        message=(
            f"{user} ({role_label}, {target.label}) {verb} «{gate.gate.name}» – "
            f"{step.step.name}, versjon {version.number}"
            + (f" (vedtak i møte {meeting_on:%d.%m.%Y}, sak {case_number})" if recorded else "")
            + (f": {comment}" if comment else "")
            + "."
        ),
        data={
            "gate": gate.gate.code, "step": step.step.pk, "sha256": version.sha256, "decision": decision,
            **({"meeting_on": meeting_on.isoformat(), "case_number": case_number} if recorded else {}),
        },
    )
    if decision == Decision.APPROVE:
        # The judgement again, from memory: the signature just written is the only change.
        after = readiness.signoff_added(signoff)
        extensions.signoff_recorded(procurement=procurement, signoff=signoff, readiness=after, actor=user)
        procurement_advance_if_ready(procurement=procurement, readiness=after, actor=user)
    notify_on_commit("signoff_recorded", procurement_id=procurement.pk)
    return signoff


def signoff_not_allowed(*, user, procurement_id: int, step_id: int, slot: str) -> PermissionDenied:
    """The refusal the sign-off view gives before reading the form, written to the audit log
    like a refusal from signoff_record. Returns the error to raise."""
    from ..refusals import signoff_refused

    error = PermissionDenied(signoff_refused(user, step_id, slot))
    audit_refusal(
        actor=user,
        action=Action.SIGNOFF_REFUSED,
        procurement_id=procurement_id,
        message=f"Avvist: {user} forsøkte å signere for {slot or 'ukjent'} uten rett. {error}",
        data={"step_id": step_id, "slot": slot, "refusal": "PermissionDenied"},
    )
    return error
