"""Deadlines the coordinator sets for a procurement: a date in one of the phases still to
come (done by itself when the procurement leaves that phase) or an ordinary deadline. The
invitation answer deadline is not made here; it follows the invitations (intake.py)."""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, record_language

from .. import phases
from ..exceptions import DeadlineDerived
from ..models import Deadline, DeadlineKind, Procurement, ProcurementState
from .guards import procurement_locked, refusals_audited, require_manage

TITLE_MAX_LENGTH = Deadline._meta.get_field("title").max_length


def _require_manage(user, procurement: Procurement) -> None:
    if not user.has_perm("procurement.manage_procurement", procurement):
        from ..refusals import manage_refused

        require_manage(user, procurement, manage_refused(user, procurement, gettext("endre fristene")))


def _require_open(procurement: Procurement) -> None:
    if not procurement.is_open:
        raise ValidationError(gettext("Anskaffelsen er avsluttet."))


def _locked_deadline(deadline: Deadline) -> tuple[Deadline, Procurement]:
    """The procurement first, then the deadline: the order _fire and deadline_add lock in."""
    procurement = procurement_locked(deadline.procurement_id)
    return Deadline.objects.select_for_update().get(pk=deadline.pk), procurement


def phases_open_for_deadlines(procurement: Procurement) -> list[str]:
    """The phases a new deadline may belong to: the current one and those after it (every
    phase while the need is in intake, none once the procurement has ended)."""
    if procurement.state == phases.INTAKE:
        return list(phases.PHASES)
    if procurement.state not in phases.PHASES:
        return []
    return list(phases.PHASES[phases.PHASES.index(procurement.state) :])


def _describe(deadline: Deadline) -> str:
    """The deadline as the audit record names it: always in bokmål, whatever language the
    person who made the change reads the application in."""
    text = f"«{deadline.title}» ({deadline.due_date:%d.%m.%Y}"
    if deadline.phase:
        with record_language():
            text += f", fasen «{ProcurementState(deadline.phase).label}»"
    return text + ")"


@transaction.atomic
def deadline_add(*, user, procurement: Procurement, title: str, due_date: date, phase: str = "") -> Deadline:
    procurement = procurement_locked(procurement.pk)
    _require_manage(user, procurement)
    _require_open(procurement)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = gettext("Skriv hva fristen gjelder.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = gettext("Skriv høyst %(max)d tegn (nå %(count)d).") % {
            "max": TITLE_MAX_LENGTH,
            "count": len(title),
        }
    today = timezone.localdate(timezone=procurement.collaboration.tzinfo)
    if due_date is None:
        errors["due_date"] = gettext("Velg en dato for fristen.")
    elif due_date < today:
        errors["due_date"] = gettext("Fristen kan ikke være tilbake i tid.")
    phase = phase or ""
    if phase and phase not in phases.PHASES:
        errors["phase"] = gettext("Ukjent fase.")
    elif phase and phase not in phases_open_for_deadlines(procurement):
        errors["phase"] = gettext("Fasen «%(phase)s» er fullført. Velg fasen anskaffelsen står i eller en senere fase.") % {
            "phase": ProcurementState(phase).label
        }
    if errors:
        raise ValidationError(errors)
    deadline = Deadline.objects.create(
        procurement=procurement,
        kind=DeadlineKind.PHASE if phase else DeadlineKind.OTHER,
        phase=phase,
        title=title,
        due_date=due_date,
    )
    audit_record(
        actor=user,
        action=Action.DEADLINE_ADDED,
        procurement=procurement,
        message=f"Ny frist {_describe(deadline)}.",
        data={"deadline": deadline.pk, "title": title, "due_date": due_date, "phase": phase},
    )
    return deadline


def _require_typed_in(deadline: Deadline) -> None:
    if deadline.kind == DeadlineKind.INVITATION_ANSWER:
        raise DeadlineDerived(gettext("Svarfristen for invitasjonen kan ikke fjernes. Den følger invitasjonene."))
    if deadline.derived:
        raise DeadlineDerived(
            gettext("Fristen «%(title)s» regnes ut av systemet og følger det den bygger på; den kan ikke endres for hånd.")
            % {"title": deadline.title}
        )


@refusals_audited(Action.DEADLINE_REFUSED, lambda kw: "forsøkte å markere en frist som ferdig")
@transaction.atomic
def deadline_complete(*, user, deadline: Deadline) -> Deadline:
    """Marks the deadline as done. Done already: nothing changes and nothing is logged. A
    derived deadline ends when its rule says so (the notice withdrawn, the package
    delivered), not by hand."""
    deadline, procurement = _locked_deadline(deadline)
    _require_manage(user, procurement)
    if deadline.done_at is not None:
        return deadline
    _require_open(procurement)
    _require_typed_in(deadline)
    deadline.done_at = timezone.now()
    deadline.save(update_fields=["done_at"])
    audit_record(
        actor=user,
        action=Action.DEADLINE_COMPLETED,
        procurement=procurement,
        message=f"Fristen {_describe(deadline)} er markert som ferdig.",
        data={"deadline": deadline.pk, "title": deadline.title, "due_date": deadline.due_date},
    )
    return deadline


@refusals_audited(Action.DEADLINE_REFUSED, lambda kw: "forsøkte å fjerne en frist")
@transaction.atomic
def deadline_remove(*, user, deadline: Deadline) -> None:
    """Removes a deadline set by mistake. A derived deadline (the invitation answer, the
    standstill end ...) follows its inputs and stays; a deadline that is done is part of the
    procurement's record."""
    deadline, procurement = _locked_deadline(deadline)
    _require_manage(user, procurement)
    _require_open(procurement)
    _require_typed_in(deadline)
    if deadline.done_at is not None:
        raise ValidationError(gettext("Fristen er ferdig og kan ikke fjernes."))
    description = _describe(deadline)
    data = {"deadline": deadline.pk, "title": deadline.title, "due_date": deadline.due_date, "phase": deadline.phase}
    deadline.delete()
    audit_record(
        actor=user,
        action=Action.DEADLINE_REMOVED,
        procurement=procurement,
        message=f"Fristen {description} er fjernet.",
        data=data,
    )


def rule_deadline_set(
    *, procurement: Procurement, kind: str, rule: str, key: str = "", title: str = "", due_date: date | None, inputs: dict | None = None
) -> Deadline | None:
    """The case's live deadline of KIND that RULE derives (KEY tells several apart, such as
    one per contract option), set to DUE_DATE, or removed when DUE_DATE is None. For the
    services that own a rule (a tender period, a contract's terms), inside their transaction:
    their own audit entry records the decision the date follows from. The reminders follow a
    moved date, since their outbox keys carry it."""
    found = Deadline.objects.filter(procurement=procurement, kind=kind, rule=rule, rule_inputs__key=key, done_at__isnull=True)
    if due_date is None:
        found.delete()
        return None
    values = {"title": title[:TITLE_MAX_LENGTH], "due_date": due_date, "rule_inputs": {**(inputs or {}), "key": key}}
    deadline = found.first()
    if deadline is None:
        return Deadline.objects.create(procurement=procurement, kind=kind, rule=rule, **values)
    for name, value in values.items():
        setattr(deadline, name, value)
    deadline.save(update_fields=list(values))
    return deadline
