"""What a procurement tells people, as outbox messages (notifications/services.py sends
them): the notification of each event a service records, and the reminders of its
deadlines. One message per person, so nobody sees another municipality's address and a
retry never repeats a mail someone already had."""
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.inbox import InTheirLanguage
from notifications.reminders import Sweep, days_left_words
from notifications.services import Message

from . import phases
from .extensions import deadline_rule_recipients, deadline_rules_outliving_the_case
from .models import Deadline, DeadlineKind, Participation, ParticipationStatus, Procurement
from .recipients import answerers_by_municipality, coordinators_by_collaboration, recipients_for

# Written in each recipient's language (notifications.inbox.InTheirLanguage): bokmål unless
# they chose English.
SUBJECTS = {
    "procurement_reported": _("Nytt behov meldt inn: {title}"),
    "invitations_sent": _("Invitasjon til felles anskaffelse: {title}"),
    "invitation_answered": _("Svar på invitasjon: {title}"),
    "phase_changed": _("Ny fase i anskaffelsen: {title}"),
    "signoff_recorded": _("Ny signatur: {title}"),
    "signatures_voided": _("Signaturer må gis på nytt: {title}"),
    "award_notice_sent": _("Meddelelse om tildeling er sendt: {title}"),
    "complaint_registered": _("Ny klage i anskaffelsen: {title}"),
    "complaint_resolved": _("Klage avgjort: {title}"),
}
# What the event means for the case, for events whose subject alone does not say it; the
# link goes to the section of the page the event belongs to.
DETAILS = {
    "award_notice_sent": (
        _("Karensperioden har begynt. Kontrakten kan ikke signeres før den er ute; siste dag står på siden."),
        "#tildeling",
    ),
    "complaint_registered": (
        _("En tilbyder har klaget. Kontrakten kan ikke signeres før klagen er avgjort."),
        "#klager",
    ),
    "complaint_resolved": (
        _("Klagen er avgjort; avgjørelsen står på siden. Er den tatt til følge, kan anskaffelsen gå tilbake til evalueringen."),
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
    detail, anchor = DETAILS.get(event.name, ("", ""))
    link = f"{procurement_link(procurement.pk)}{anchor}"

    def render():
        subject = str(SUBJECTS[event.name]).format(title=procurement.title)
        lines = [subject, "", *([str(detail), ""] if detail else [])]
        lines += [
            gettext("Anskaffelsen står nå i fasen «%(phase)s».") % {"phase": procurement.get_state_display()},
            gettext("Åpne anskaffelsen: %(link)s") % {"link": link},
            "",
        ]
        return subject, "\n".join(lines)

    people = sorted(set(recipients_for(event.name, procurement, event.municipality_ids).exclude(email="").values_list("pk", flat=True)))
    texts = InTheirLanguage(people)
    return [
        Message(
            f"event:{event.pk}:{person_id}",
            f"notification:{event.name}",
            person_id,
            *texts.text(person_id, event.name, render),
            procurement_id=procurement.pk,
        )
        for person_id in people
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

    recipients = []
    for pk, kind, _title, _due_date, procurement_id, _procurement_title, collaboration_id, _offset, _left in due:
        if pk in ruled_ids:
            people = rule_people.get(pk, set())
        elif kind == DeadlineKind.INVITATION_ANSWER:
            people = set().union(*(answering.get(m, set()) for m in waiting.get(procurement_id, ())))
        else:
            people = coordinators.get(collaboration_id, set())
        recipients.append(sorted(people))
    texts = InTheirLanguage({person_id for people in recipients for person_id in people})

    messages = []
    links: dict[int, str] = {}
    dates: dict = {}  # a sweep sees a few dozen distinct dates; strftime is slow
    for row, people in zip(due, recipients, strict=True):
        pk, kind, title, due_date, procurement_id, procurement_title, _collaboration_id, offset, left = row
        if not people:
            continue
        if procurement_id not in links:
            links[procurement_id] = procurement_link(procurement_id)
        if due_date not in dates:
            dates[due_date] = (due_date.isoformat(), due_date.strftime("%d.%m.%Y"))
        iso, shown = dates[due_date]

        def render(title=title, procurement_title=procurement_title, offset=offset, left=left, shown=shown, link=links[procurement_id]):
            words = {"title": title, "procurement": procurement_title, "when": days_left_words(left), "date": shown}
            if offset < 0:
                subject = gettext("Fristen er passert: %(title)s – %(procurement)s") % words
            else:
                subject = gettext("Påminnelse: %(title)s – %(procurement)s") % words
            body = gettext("Fristen «%(title)s» for anskaffelsen «%(procurement)s» %(when)s: %(date)s.") % words
            return subject, body + "\n" + gettext("Åpne anskaffelsen: %(link)s") % {"link": link} + "\n"

        prefix, kind = f"deadline:{pk}:{offset}:{iso}:", f"reminder:{kind}"
        messages.extend(
            Message(f"{prefix}{person_id}", kind, person_id, *texts.text(person_id, (pk, offset), render), procurement_id)
            for person_id in people
        )
    return messages
