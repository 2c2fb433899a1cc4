"""What a procurement tells people, as outbox messages (notifications/services.py sends
them): the notification of each event a service records, and the reminders of its
deadlines. One message per person, so nobody sees another municipality's address and a
retry never repeats a mail someone already had."""
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from notifications.reminders import Sweep, days_left_words
from notifications.services import Message

from . import phases
from .extensions import deadline_rule_recipients, deadline_rules_outliving_the_case
from .models import Deadline, DeadlineKind, Participation, ParticipationStatus, Procurement
from .recipients import answerers_by_municipality, coordinators_by_collaboration, recipients_for

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


def absolute_url(path: str) -> str:
    """Absolute address for e-mail; the worker has no request to build it from."""
    return settings.SITE_URL.rstrip("/") + path


def procurement_link(procurement_id: int) -> str:
    return absolute_url(reverse("procurement_detail", kwargs={"procurement_id": procurement_id}))


def event_messages(event) -> list[Message]:
    """The messages of one recorded event (notifications.Event), one per person with an
    address. None for an event no subject is written for."""
    procurement = Procurement.objects.select_related("collaboration").filter(pk=event.procurement_id).first()
    if procurement is None or event.name not in SUBJECTS:
        return []
    subject = SUBJECTS[event.name].format(title=procurement.title)
    detail, anchor = DETAILS.get(event.name, ("", ""))
    lines = [subject, "", *([detail, ""] if detail else [])]
    lines += [
        f"Anskaffelsen står nå i fasen «{procurement.get_state_display()}».",
        f"Åpne anskaffelsen: {procurement_link(procurement.pk)}{anchor}",
        "",
    ]
    body = "\n".join(lines)
    people = recipients_for(event.name, procurement, event.municipality_ids).exclude(email="").values_list("pk", flat=True)
    return [
        Message(
            key=f"event:{event.pk}:{person_id}",
            kind=f"notification:{event.name}",
            recipient_id=person_id,
            subject=subject,
            body=body,
            procurement_id=procurement.pk,
        )
        for person_id in sorted(set(people))
    ]


def deadline_reminders(sweep: Sweep) -> list[Message]:
    """Reminders of the open procurements' deadlines that have come due, in four queries
    whatever their number: the deadlines, the coordinators of their collaborations, and for
    invitation answers the municipalities that have not answered and the people who answer
    for them."""
    first, last = sweep.window()
    # The case's own deadlines end with it; those of another app's rule (a benefit
    # measurement) go on after it is closed, not after it is cancelled.
    outliving = deadline_rules_outliving_the_case()
    live = Q(procurement__state__in=list(phases.OPEN_STATES)) | (
        Q(rule__in=outliving) & ~Q(procurement__state=phases.CANCELLED)
    )
    rows = Deadline.objects.filter(live, done_at__isnull=True, due_date__range=(first, last)).values_list(
        "pk",
        "kind",
        "title",
        "due_date",
        "procurement_id",
        "procurement__title",
        "procurement__collaboration_id",
        "procurement__collaboration__time_zone",
        "rule",
        "rule_inputs",
    )
    due = []
    ruled = []
    for pk, kind, title, due_date, procurement_id, procurement_title, collaboration_id, time_zone, rule, inputs in rows:
        offset = sweep.offset_for(due_date, time_zone)
        if offset is not None:
            left = (due_date - sweep.today(time_zone)).days
            due.append((pk, kind, title, due_date, procurement_id, procurement_title, collaboration_id, offset, left))
            if rule in outliving:
                ruled.append((pk, rule, inputs))
    if not due:
        return []
    rule_people = deadline_rule_recipients(ruled) if ruled else {}
    ruled_ids = {pk for pk, _rule, _inputs in ruled}

    coordinators = coordinators_by_collaboration({row[6] for row in due})
    invited = {row[4] for row in due if row[1] == DeadlineKind.INVITATION_ANSWER}
    waiting: dict[int, set[int]] = defaultdict(set)  # procurement -> municipalities still to answer
    answering: dict[int, set[int]] = {}
    if invited:
        for procurement_id, municipality_id in Participation.objects.filter(
            procurement_id__in=invited, status=ParticipationStatus.INVITED
        ).values_list("procurement_id", "municipality_id"):
            waiting[procurement_id].add(municipality_id)
        answering = answerers_by_municipality({m for ms in waiting.values() for m in ms})

    messages = []
    links: dict[int, str] = {}
    dates: dict = {}  # a sweep sees a few dozen distinct dates; strftime is slow
    for pk, kind, title, due_date, procurement_id, procurement_title, collaboration_id, offset, left in due:
        if pk in ruled_ids:
            people = rule_people.get(pk, set())
        elif kind == DeadlineKind.INVITATION_ANSWER:
            people = set().union(*(answering.get(m, set()) for m in waiting.get(procurement_id, ())))
        else:
            people = coordinators.get(collaboration_id, set())
        if not people:
            continue
        if procurement_id not in links:
            links[procurement_id] = procurement_link(procurement_id)
        link = links[procurement_id]
        if due_date not in dates:
            dates[due_date] = (due_date.isoformat(), due_date.strftime("%d.%m.%Y"))
        iso, shown = dates[due_date]
        subject = f"{'Fristen er passert' if offset < 0 else 'Påminnelse'}: {title} – {procurement_title}"
        body = (
            f"Fristen «{title}» for anskaffelsen «{procurement_title}» {days_left_words(left)}: {shown}.\n"
            f"Åpne anskaffelsen: {link}\n"
        )
        prefix, kind = f"deadline:{pk}:{offset}:{iso}:", f"reminder:{kind}"
        messages.extend(
            Message(f"{prefix}{person_id}", kind, person_id, subject, body, procurement_id) for person_id in sorted(people)
        )
    return messages
