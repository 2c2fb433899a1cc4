"""Sign-offs that wait too long are escalated to the coordinators (issue: "sign-offs waiting
longer than N days"). A step of a signature gate waits from the moment it opened: when its
document's current version was added, or when the step before it was completed, whichever
is later. After settings.SIGNOFF_ESCALATION_DAYS days the coordinators of the collaboration
are told who has not signed, once per step and document version: a new version starts the
wait again, and so does a reopened phase.

Set-based like the other reminder sources: one query finds the procurements whose current
phase has a gate document older than the limit, and their judgement is loaded for
ESCALATION_BATCH of them at a time in the loader's fixed number of queries."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext

from notifications.inbox import InTheirLanguage
from notifications.reminders import Sweep
from notifications.services import Message

from . import phases
from .models import Deliverable, Procurement
from .readiness import ReadinessLoader
from .recipients import coordinators_by_collaboration

ESCALATION_BATCH = 200


def _waiting_since(gate, index: int):
    """When step INDEX of GATE opened: the document's version, or the last signature of the
    steps before it."""
    opened = gate.document.current_version.created_at
    for step in gate.steps[:index]:
        for slot in step.slots:
            if slot.signoff is not None and slot.signoff.signed_at > opened:
                opened = slot.signoff.signed_at
    return opened


def signoff_escalations(sweep: Sweep) -> list[Message]:
    days = settings.SIGNOFF_ESCALATION_DAYS
    cutoff = sweep.now - timedelta(days=days)
    candidates = list(
        Deliverable.objects.filter(
            procurement__state__in=list(phases.PHASES),
            definition__phase__code=F("procurement__state"),
            definition__gates__isnull=False,
            current_version__created_at__lte=cutoff,
        )
        .values_list("procurement_id", flat=True)
        .distinct()
    )
    if not candidates:
        return []
    waiting = []  # (procurement, gate, step, version, waiting for)
    for start in range(0, len(candidates), ESCALATION_BATCH):
        procurements = list(
            Procurement.objects.filter(pk__in=candidates[start : start + ESCALATION_BATCH]).select_related("collaboration")
        )
        loader = ReadinessLoader(procurements, now=sweep.now, whole_process=False)
        for procurement in procurements:
            for gate in loader.for_procurement(procurement).signature_gates:
                if gate.document is None or gate.document.current_version is None:
                    continue
                for index, step in enumerate(gate.steps):
                    if step.is_open and step.waiting_for and _waiting_since(gate, index) <= cutoff:
                        waiting.append((procurement, gate, step, gate.document.current_version, step.waiting_for))
    if not waiting:
        return []
    coordinators = coordinators_by_collaboration({procurement.collaboration_id for procurement, *_ in waiting})
    texts = InTheirLanguage({person for people in coordinators.values() for person in people})
    from .notifications import procurement_link

    messages = []
    for procurement, gate, step, version, slots in waiting:
        names = ", ".join(slot.label for slot in slots)

        def render(procurement=procurement, gate=gate, step=step, names=names):
            words = {"gate": gate.gate.name, "step": step.step.name, "procurement": procurement.title, "days": days, "names": names}
            subject = gettext("Signaturer har ventet over %(days)d dager: %(gate)s – %(procurement)s") % words
            body = (
                gettext("«%(gate)s» (%(step)s) i anskaffelsen «%(procurement)s» har ventet på signatur i over %(days)d dager.")
                % words
                + "\n"
                + gettext("Ikke signert ennå: %(names)s.") % words
                + "\n"
                + gettext("Åpne anskaffelsen: %(link)s") % {"link": procurement_link(procurement.pk)}
                + "\n"
            )
            return subject, body

        for person_id in sorted(coordinators.get(procurement.collaboration_id, ())):
            messages.append(
                Message(
                    f"escalation:{step.step.pk}:{version.pk}:{person_id}",
                    "reminder:signoff_waiting",
                    person_id,
                    *texts.text(person_id, (step.step.pk, version.pk), render),
                    procurement_id=procurement.pk,
                )
            )
    return messages
