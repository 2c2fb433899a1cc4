"""Celery tasks: thin, idempotent, take ids and call into the domain."""
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from . import phases
from .extensions import deadline_rule_recipients
from .models import Deadline, DeadlineKind, ParticipationStatus, Procurement, Reminder
from .recipients import answerers, coordinators, recipients_for

# Notification and reminder e-mails stay bokmål on purpose: people have no stored language preference yet.
SUBJECTS = {
    "procurement_reported": "Nytt behov meldt inn: {title}",
    "invitations_sent": "Invitasjon til felles anskaffelse: {title}",
    "invitation_answered": "Svar på invitasjon: {title}",
    "phase_changed": "Ny fase i anskaffelsen: {title}",
    "signoff_recorded": "Ny signatur: {title}",
    "signatures_voided": "Signaturer må gis på nytt: {title}",
    "award_notice_sent": "Meddelelse om tildeling er sendt: {title}",
    "complaint_registered": "Ny klage i anskaffelsen: {title}",
    "complaint_resolved": "Klage avgjort: {title}",
}
# What the event means for the case, for events whose subject alone does not say it; the
# link goes to the section of the page the event belongs to.
DETAILS = {
    "award_notice_sent": (
        "Karensperioden har begynt. Kontrakten kan ikke signeres før den er ute; siste dag står på siden.",
        "#tildeling",
    ),
    "complaint_registered": (
        "En tilbyder har klaget. Kontrakten kan ikke signeres før klagen er avgjort.",
        "#klager",
    ),
    "complaint_resolved": (
        ("Klagen er avgjort; avgjørelsen står på siden. Er den tatt til følge, kan anskaffelsen "
         "gå tilbake til evalueringen."),
        "#klager",
    ),
}


def _link(procurement: Procurement) -> str:
    """Absolute address for e-mail; the worker has no request to build it from."""
    return settings.SITE_URL.rstrip("/") + reverse("procurement_detail", kwargs={"procurement_id": procurement.pk})


def _mail(recipients, subject: str, body: str) -> int:
    addresses = sorted({person.email for person in recipients if person.email})
    if not addresses:
        return 0
    # One message per person: municipalities must not see each other's addresses.
    for address in addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return len(addresses)


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notification_send(self, *, event: str, procurement_id: int, municipality_ids: list[int]) -> int:
    procurement = Procurement.objects.select_related("collaboration").filter(pk=procurement_id).first()
    if procurement is None or event not in SUBJECTS:
        return 0
    subject = SUBJECTS[event].format(title=procurement.title)
    detail, anchor = DETAILS.get(event, ("", ""))
    lines = [subject, "", *([detail, ""] if detail else [])]
    lines += [
        f"Anskaffelsen står nå i fasen «{procurement.get_state_display()}».",
        f"Åpne anskaffelsen: {_link(procurement)}{anchor}",
        "",
    ]
    body = "\n".join(lines)
    return _mail(recipients_for(event, procurement, municipality_ids), subject, body)


@shared_task
def reminders_send_due() -> int:
    """Reminds each responsible person once per deadline that falls within the next
    REMINDER_DAYS_BEFORE days. The unique (deadline, recipient) row is the guard, so
    beat may run this as often as it likes."""
    sent = 0
    # One day of slack on the coarse filter; each deadline is then judged by its region's date.
    horizon = timezone.localdate() + timedelta(days=settings.REMINDER_DAYS_BEFORE + 1)
    due = Deadline.objects.filter(done_at__isnull=True, due_date__lte=horizon).select_related("procurement__collaboration")
    for deadline in due:
        procurement = deadline.procurement
        collaboration_today = timezone.localdate(timezone=procurement.collaboration.tzinfo)
        if deadline.due_date > collaboration_today + timedelta(days=settings.REMINDER_DAYS_BEFORE):
            continue
        # A deadline of another app's rule (a benefit measurement) names its own people and
        # may outlive the case; the case's own deadlines end with it.
        people = deadline_rule_recipients(deadline)
        if people is not None:
            if procurement.state == phases.CANCELLED:
                continue
        elif not procurement.is_open:
            continue
        elif deadline.kind == DeadlineKind.INVITATION_ANSWER:
            waiting = list(
                procurement.participations.filter(status=ParticipationStatus.INVITED).values_list("municipality_id", flat=True)
            )
            people = answerers(waiting)
        else:
            people = coordinators(procurement)
        for person in people:
            try:
                with transaction.atomic():
                    Reminder.objects.create(deadline=deadline, recipient=person)
            except IntegrityError:
                continue
            sent += _mail(
                [person],
                f"Påminnelse: {deadline.title} – {procurement.title}",
                f"Fristen «{deadline.title}» for anskaffelsen «{procurement.title}» er {deadline.due_date:%d.%m.%Y}.\n"
                f"Åpne anskaffelsen: {_link(procurement)}\n",
            )
    return sent
