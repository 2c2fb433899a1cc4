"""The only writers of meetings and minutes. Each service is atomic, checks who may do it,
writes the audit entry, and records its mail in the outbox in the same transaction (sent
after the commit, once per person)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.models import AuditEntry
from audit.services import audit_record, record_language
from core.uploads import validate_upload
from municipalities.models import Collaboration, Person
from notifications.inbox import InTheirLanguage
from notifications.services import Message, after_commit, outbox_add
from procurement.deadlines import end_of_day, has_passed, meetings_too_close
from procurement.models import ParticipationStatus, Procurement
from procurement.notifications import absolute_url

from .models import Meeting, MeetingGroup, MinutesCorrection, series_key
from .rules import MinutesStatus, deemed_approved_now, minutes_dates
from .scope import meeting_path

TEXT_LIMITS = {"title": 200, "place": 200, "link": 500, "agenda": 20_000, "minutes": 200_000, "correction": 10_000}
PLAN_DAYS_BACK = 365
PLAN_DAYS_AHEAD = 3 * 365
MINIMUM_GAP_DAYS = 14


def meeting_people(owner: Procurement | Collaboration):
    """Who can take part in the meetings of OWNER: for a procurement, the people of the
    collaboration's bodies and of the municipalities that joined; for a collaboration's own
    meetings, the people of its bodies."""
    if isinstance(owner, Procurement):
        joined = owner.participations.filter(status=ParticipationStatus.JOINED).values("municipality_id")
        where = Q(role_assignments__body__collaboration_id=owner.collaboration_id) | Q(role_assignments__municipality_id__in=joined)
    else:
        where = Q(role_assignments__body__collaboration_id=owner.pk)
    return Person.objects.filter(where, is_active=True).distinct().order_by("first_name", "last_name", "username")


def can_manage(user, target) -> bool:
    """Whether USER plans and runs the meetings of TARGET (a meeting, a procurement or a
    collaboration): those who run the procurement, or for a collaboration's own meetings its
    coordinator and regional buyer."""
    if isinstance(target, Meeting):
        target = target.procurement or target.collaboration
    if isinstance(target, Procurement):
        return user.has_perm("procurement.manage_procurement", target)
    return user.has_perm("municipalities.coordinate_collaboration", target)


def can_view_collaboration_meetings(user, collaboration: Collaboration) -> bool:
    """The collaboration's own meetings are seen by those who run them and by the people of
    its bodies (a network, the steering group ...), not by everyone of its municipalities."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_manage(user, collaboration) or user.role_assignments.filter(body__collaboration_id=collaboration.pk).exists()


def collaborations_with_meetings_for(user):
    """The collaborations whose own meetings USER sees (a role in one of their bodies), for
    the navigation's meeting page. One query."""
    if user.is_superuser:
        return Collaboration.objects.order_by("name")
    return Collaboration.objects.filter(bodies__role_assignments__person=user).distinct().order_by("name")


def can_write_minutes(user, meeting: Meeting) -> bool:
    return user.pk == meeting.secretary_id or can_manage(user, meeting)


def meeting_link(meeting: Meeting) -> str:
    return absolute_url(meeting_path(meeting))


def _check_text(errors: dict, field: str, value: str, *, required: bool = False, limit: str | None = None) -> str:
    value = (value or "").strip()
    maximum = TEXT_LIMITS[limit or field]
    if required and not value:
        errors[field] = gettext("Fyll ut feltet.")
    elif "\x00" in value:
        errors[field] = gettext("Teksten inneholder ugyldige tegn.")
    elif len(value) > maximum:
        errors[field] = gettext("Skriv høyst %(max)d tegn (nå %(count)d).") % {"max": maximum, "count": len(value)}
    return value


def _series_dates(meeting: Meeting) -> list[date]:
    zone = meeting.collaboration.tzinfo
    return [timezone.localtime(at, zone).date() for at in Meeting.objects.filter(series=meeting.series).values_list("starts_at", flat=True)]


def series_too_close(meeting: Meeting) -> list[tuple[date, date]]:
    """Pairs of meetings in MEETING's series less than 14 days apart that involve it."""
    return [pair for pair in meetings_too_close(_series_dates(meeting), minimum_days=MINIMUM_GAP_DAYS) if meeting.meeting_on in pair]


def _outbox(messages: list[Message]) -> None:
    if outbox_add(messages):
        from notifications.tasks import outbox_dispatch

        after_commit(outbox_dispatch)


def _describe(meeting: Meeting) -> str:
    with record_language():
        text = f"«{meeting.title}» ({MeetingGroup(meeting.group).label.lower()}, {meeting.local_start:%d.%m.%Y %H:%M})"
    # A collaboration's own meeting has no procurement in its audit entries: they say whose it is.
    return text if meeting.procurement_id else f"{text} i samarbeidet {meeting.collaboration.name}"


# --------------------------------------------------------------------------- planning


def _owner_locked(*, procurement: Procurement | None, collaboration: Collaboration | None):
    if procurement is not None:
        return Procurement.objects.select_for_update(of=("self",)).select_related("collaboration").get(pk=procurement.pk)
    return Collaboration.objects.select_for_update().get(pk=collaboration.pk)


def _collaboration_of(owner) -> Collaboration:
    return owner.collaboration if isinstance(owner, Procurement) else owner


def planning_refused_message(owner) -> str:
    """Why someone may not plan or change OWNER's meetings (a procurement or a collaboration)."""
    if isinstance(owner, Procurement):
        return gettext("Bare de som styrer anskaffelsen, kan planlegge møter.")
    return gettext("Bare koordinatoren og den regionale innkjøperen i samarbeidet kan planlegge møtene.")


def approval_refused_message(meeting: Meeting) -> str:
    if meeting.procurement_id is not None:
        return gettext("Bare referenten eller de som styrer anskaffelsen, kan godkjenne referatet.")
    return gettext("Bare referenten, koordinatoren og den regionale innkjøperen i samarbeidet kan godkjenne referatet.")


def _meeting_checked(
    owner, *, group, title, starts_at, duration_minutes, place, link, agenda, participants, secretary
) -> tuple[dict, set[int]]:
    """The fields of a meeting of OWNER as the services accept them: every error at once,
    raised as a ValidationError by field. Returns the cleaned texts and the participants."""
    collaboration = _collaboration_of(owner)
    errors: dict[str, str] = {}
    cleaned = {
        "title": _check_text(errors, "title", title, required=True),
        "place": _check_text(errors, "place", place),
        "link": _check_text(errors, "link", link),
        "agenda": _check_text(errors, "agenda", agenda),
    }
    if group not in MeetingGroup.values:
        errors["group"] = gettext("Velg et av alternativene.")
    if not cleaned["place"] and not cleaned["link"]:
        errors["place"] = gettext("Skriv hvor møtet holdes, eller en lenke til det.")
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = gettext("Velg dato og klokkeslett for møtet.")
    else:
        today = collaboration.today()
        day = timezone.localtime(starts_at, collaboration.tzinfo).date()
        if not today - timedelta(days=PLAN_DAYS_BACK) <= day <= today + timedelta(days=PLAN_DAYS_AHEAD):
            errors["starts_at"] = gettext("Velg en dato fra ett år tilbake til tre år frem.")
    if not isinstance(duration_minutes, int) or not 15 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = gettext("Varigheten må være mellom 15 minutter og 24 timer.")
    allowed = set(meeting_people(owner).values_list("pk", flat=True))
    chosen = {person.pk for person in participants}
    if chosen - allowed:
        if isinstance(owner, Procurement):
            errors["participants"] = gettext("Deltakerne må høre til samarbeidet eller en kommune som er med.")
        else:
            errors["participants"] = gettext("Deltakerne må ha en rolle i et av organene i samarbeidet.")
    if secretary is None or secretary.pk not in allowed:
        errors["secretary"] = gettext("Velg en referent blant dem som kan delta.")
    if errors:
        raise ValidationError(errors)
    return cleaned, chosen


def _invitation_messages(meeting: Meeting, *, owner, person_ids, event: str) -> list[Message]:
    """The invitation (EVENT "planned") or the notice of a change (EVENT "changed:<stamp>")
    to each participant with an address, in their language."""
    changed = event != "planned"

    def render():
        when = {"date": f"{meeting.local_start:%d.%m.%Y}", "time": f"{meeting.local_start:%H:%M}"}
        words = {"title": meeting.title, **when}
        if changed:
            subject = gettext("Endret møte: %(title)s – %(date)s %(time)s") % words
        else:
            subject = gettext("Møte: %(title)s – %(date)s %(time)s") % words
        if isinstance(owner, Procurement):
            said = (
                gettext("Møtet «%(title)s» i anskaffelsen «%(procurement)s» er endret.")
                if changed
                else gettext("Du er invitert til møtet «%(title)s» i anskaffelsen «%(procurement)s».")
            ) % {"title": meeting.title, "procurement": owner.title}
        else:
            said = (
                gettext("Møtet «%(title)s» i %(collaboration)s er endret.")
                if changed
                else gettext("Du er invitert til møtet «%(title)s» i %(collaboration)s.")
            ) % {"title": meeting.title, "collaboration": owner.name}
        body = (
            said
            + "\n" + gettext("Tid: %(date)s kl. %(time)s") % when + "\n"
            + (gettext("Sted: %(place)s") % {"place": meeting.place} + "\n" if meeting.place else "")
            + (gettext("Lenke: %(link)s") % {"link": meeting.link} + "\n" if meeting.link else "")
            + gettext("Referent: %(name)s") % {"name": meeting.secretary} + "\n\n"
            + gettext("Møtet og kalenderfilen: %(link)s") % {"link": meeting_link(meeting)} + "\n"
        )
        return subject, body

    texts = InTheirLanguage(person_ids)
    return [
        Message(
            f"meeting:{meeting.pk}:{event}:{person_id}",
            "meeting:changed" if changed else "meeting:planned",
            person_id,
            *texts.text(person_id, event, render),
            procurement_id=meeting.procurement_id,
        )
        for person_id in person_ids
    ]


@transaction.atomic
def meeting_plan(
    *,
    user,
    procurement: Procurement | None = None,
    collaboration: Collaboration | None = None,
    group: str,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str = "",
    link: str = "",
    agenda: str = "",
    participants=(),
    secretary: Person,
) -> tuple[Meeting, list[tuple[date, date]]]:
    """Plans a meeting of one of the procurement's groups, or (PROCUREMENT None) of one of
    COLLABORATION's own bodies. Returns the meeting and the pairs of its series now less
    than 14 days apart (a warning, not a refusal: seed 003 says the interval is aimed at)."""
    owner = _owner_locked(procurement=procurement, collaboration=collaboration)
    if not can_manage(user, owner):
        raise PermissionDenied(planning_refused_message(owner))
    cleaned, chosen = _meeting_checked(
        owner, group=group, title=title, starts_at=starts_at, duration_minutes=duration_minutes, place=place, link=link,
        agenda=agenda, participants=participants, secretary=secretary,
    )
    collaboration = _collaboration_of(owner)
    procurement = owner if isinstance(owner, Procurement) else None
    meeting = Meeting.objects.create(
        collaboration=collaboration,
        procurement=procurement,
        group=group,
        series=series_key(collaboration_id=collaboration.pk, procurement_id=getattr(procurement, "pk", None), group=group),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        secretary=secretary,
        created_by=user,
        **cleaned,
    )
    meeting.participants.set(chosen | {secretary.pk})
    too_close = series_too_close(meeting)
    audit_record(
        actor=user,
        action=Action.MEETING_PLANNED,
        procurement=procurement,
        message=f"Møte planlagt: {_describe(meeting)}, referent {secretary}."
        + (" Advarsel: mindre enn 14 dager til et annet møte i serien." if too_close else ""),
        data={"meeting": meeting.pk, "group": group, "starts_at": starts_at, "too_close": [list(p) for p in too_close]},
    )
    people = sorted(meeting.participants.exclude(email="").values_list("pk", flat=True))
    _outbox(_invitation_messages(meeting, owner=owner, person_ids=people, event="planned"))
    return meeting, too_close


CHANGEABLE = ("group", "title", "starts_at", "duration_minutes", "place", "link", "agenda", "secretary_id")


@transaction.atomic
def meeting_change(
    *,
    user,
    meeting: Meeting,
    group: str,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str = "",
    link: str = "",
    agenda: str = "",
    participants=(),
    secretary: Person,
) -> tuple[Meeting, list[tuple[date, date]]]:
    """Changes a planned meeting by the same rules as planning it (the series warning
    included), until its minutes are sent: after that the minutes' dates count from it.
    The participants, the new ones included, are told; nothing changed, nothing is written."""
    meeting = _locked(meeting)
    owner = meeting.procurement or meeting.collaboration
    if not can_manage(user, meeting):
        raise PermissionDenied(planning_refused_message(owner))
    if meeting.minutes_sent_at is not None:
        raise ValidationError(gettext("Referatet er sendt, så møtet kan ikke endres lenger."))
    if meeting.procurement is not None and not meeting.procurement.is_open:
        raise ValidationError(gettext("Anskaffelsen er avsluttet."))
    cleaned, chosen = _meeting_checked(
        owner, group=group, title=title, starts_at=starts_at, duration_minutes=duration_minutes, place=place, link=link,
        agenda=agenda, participants=participants, secretary=secretary,
    )
    before = {name: getattr(meeting, name) for name in CHANGEABLE}
    people_before = set(meeting.participants.values_list("pk", flat=True))
    described_before = _describe(meeting)
    for name, value in {**cleaned, "group": group, "starts_at": starts_at, "duration_minutes": duration_minutes}.items():
        setattr(meeting, name, value)
    meeting.secretary = secretary
    meeting.series = series_key(collaboration_id=meeting.collaboration_id, procurement_id=meeting.procurement_id, group=group)
    people_after = chosen | {secretary.pk}
    changed = [name.removesuffix("_id") for name in CHANGEABLE if getattr(meeting, name) != before[name]]
    if people_after != people_before:
        changed.append("participants")
    if not changed:
        return meeting, series_too_close(meeting)
    meeting.save(update_fields=[*CHANGEABLE, "series"])
    meeting.participants.set(people_after)
    too_close = series_too_close(meeting)
    audit_record(
        actor=user,
        action=Action.MEETING_CHANGED,
        procurement=meeting.procurement,
        message=f"Møtet {described_before} er endret ({', '.join(changed)}): nå {_describe(meeting)}, referent {secretary}."
        + (" Advarsel: mindre enn 14 dager til et annet møte i serien." if too_close else ""),
        data={"meeting": meeting.pk, "changed": changed, "starts_at": starts_at, "too_close": [list(p) for p in too_close]},
    )
    people = sorted(meeting.participants.exclude(email="").values_list("pk", flat=True))
    _outbox(_invitation_messages(meeting, owner=owner, person_ids=people, event=f"changed:{int(timezone.now().timestamp())}"))
    return meeting, too_close


# --------------------------------------------------------------------------- minutes


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("collaboration", "procurement").get(pk=meeting.pk)


def _next_meeting_on(meeting: Meeting) -> date | None:
    at = (
        Meeting.objects.filter(series=meeting.series, starts_at__gt=meeting.starts_at)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(at, meeting.collaboration.tzinfo).date() if at else None


def meeting_dates(meeting: Meeting, *, now: datetime | None = None, corrected: bool | None = None):
    collaboration = meeting.collaboration
    if corrected is None:
        corrected = meeting.corrections.exists()
    return minutes_dates(
        meeting_on=meeting.meeting_on,
        ends_at=meeting.ends_at,
        next_meeting_on=_next_meeting_on(meeting),
        country=collaboration.country,
        time_zone=collaboration.time_zone,
        sent_at=meeting.minutes_sent_at,
        approved_at=meeting.minutes_approved_at,
        approved_automatically=meeting.minutes_approved_automatically,
        corrected=corrected,
        now=now or timezone.now(),
    )


@transaction.atomic
def minutes_send(*, user, meeting: Meeting, text: str, upload=None) -> Meeting:
    """The secretary sends the minutes (text, a file or both) to the participants; sending
    again replaces them (after corrections, say) and tells the participants again."""
    meeting = _locked(meeting)
    if not can_write_minutes(user, meeting):
        raise PermissionDenied(gettext("Bare referenten kan sende referatet."))
    errors: dict[str, str] = {}
    text = _check_text(errors, "minutes", text)
    now = timezone.now()
    if now < meeting.starts_at:
        errors["minutes"] = gettext("Referatet kan sendes når møtet har begynt.")
    if meeting.minutes_approved_at is not None:
        errors["minutes"] = gettext("Referatet er godkjent og kan ikke endres.")
    content_type = ""
    if upload is not None:
        try:
            content_type = validate_upload(upload)
        except ValidationError as error:
            errors["file"] = " ".join(error.messages)
    if not text and upload is None and not meeting.minutes_file and "minutes" not in errors:
        errors["minutes"] = gettext("Skriv referatet eller last opp en fil.")
    if errors:
        raise ValidationError(errors)
    first = meeting.minutes_sent_at is None
    meeting.minutes = text
    if upload is not None:
        meeting.minutes_file.save(upload.name, upload, save=False)
        meeting.minutes_file_type = content_type
    if first:
        meeting.minutes_sent_at = now
    meeting.save(update_fields=["minutes", "minutes_file", "minutes_file_type", "minutes_sent_at"])
    dates = meeting_dates(meeting, now=now)
    late = "" if dates.status != MinutesStatus.LATE else " Sendt etter siste frist for rettelser: godkjennes på neste møte."
    audit_record(
        actor=user,
        action=Action.MINUTES_SENT if first else Action.MINUTES_REVISED,
        procurement=meeting.procurement,
        message=(f"Referatet fra {_describe(meeting)} er sendt" if first else f"Referatet fra {_describe(meeting)} er endret")
        + f" (frist {dates.due:%d.%m.%Y}{', for sent' if now >= end_of_day(dates.due, meeting.collaboration.time_zone) else ''}).{late}",
        data={"meeting": meeting.pk, "due": dates.due, "corrections_until": dates.corrections_until, "file": bool(meeting.minutes_file)},
    )
    def render():
        words = {"title": meeting.title, "date": f"{meeting.local_start:%d.%m.%Y}"}
        if dates.corrections_until:
            until = gettext("Rettelser sendes i løsningen innen %(date)s; uten rettelser regnes referatet da som godkjent.") % {
                "date": f"{dates.corrections_until:%d.%m.%Y}"
            }
        else:
            until = gettext("Rettelser sendes i løsningen.")
        if first:
            subject = gettext("Referat: %(title)s") % words
            said = gettext("Referatet fra møtet «%(title)s» %(date)s er sendt.") % words
        else:
            subject = gettext("Endret referat: %(title)s") % words
            said = gettext("Referatet fra møtet «%(title)s» %(date)s er endret.") % words
        return subject, f"{said}\n{until}\n\n{meeting_link(meeting)}\n"

    stamp = int(now.timestamp())
    people = sorted(meeting.participants.exclude(pk=user.pk).exclude(email="").values_list("pk", flat=True))
    texts = InTheirLanguage(people)
    _outbox(
        [
            Message(
                f"minutes:{meeting.pk}:{stamp}:{person_id}",
                "minutes:sent",
                person_id,
                *texts.text(person_id, "sent", render),
                procurement_id=meeting.procurement_id,
            )
            for person_id in people
        ]
    )
    return meeting


@transaction.atomic
def correction_submit(*, user, meeting: Meeting, text: str) -> MinutesCorrection:
    """A participant's correction, in time: before the minutes are approved and by the last
    day for corrections (the 4th working day before the next meeting)."""
    meeting = _locked(meeting)
    if not meeting.participants.filter(pk=user.pk).exists() or user.pk == meeting.secretary_id:
        raise PermissionDenied(gettext("Bare deltakerne i møtet kan sende rettelser til referatet."))
    errors: dict[str, str] = {}
    text = _check_text(errors, "text", text, required=True, limit="correction")
    now = timezone.now()
    dates = meeting_dates(meeting, now=now)
    if meeting.minutes_sent_at is None:
        errors["text"] = gettext("Referatet er ikke sendt ennå.")
    elif dates.approved:
        errors["text"] = gettext("Referatet er allerede godkjent.")
    elif dates.corrections_until and has_passed(dates.corrections_until, time_zone=meeting.collaboration.time_zone, now=now):
        errors["text"] = gettext("Fristen for rettelser gikk ut %(date)s.") % {"date": dates.corrections_until.strftime("%d.%m.%Y")}
    if errors:
        raise ValidationError(errors)
    correction = MinutesCorrection.objects.create(meeting=meeting, author=user, text=text, created_at=now)
    audit_record(
        actor=user,
        action=Action.MINUTES_CORRECTED,
        procurement=meeting.procurement,
        message=f"Rettelse til referatet fra {_describe(meeting)} fra {user}. Referatet godkjennes ikke av seg selv.",
        data={"meeting": meeting.pk, "correction": correction.pk},
    )
    if meeting.secretary.email:

        def render():
            subject = gettext("Rettelse til referatet: %(title)s") % {"title": meeting.title}
            said = gettext("%(name)s har sendt en rettelse til referatet fra møtet «%(title)s»:") % {"name": user, "title": meeting.title}
            return subject, f"{said}\n\n{text}\n\n{meeting_link(meeting)}\n"

        texts = InTheirLanguage([meeting.secretary_id])
        _outbox(
            [
                Message(
                    f"correction:{correction.pk}:{meeting.secretary_id}",
                    "minutes:corrected",
                    meeting.secretary_id,
                    *texts.text(meeting.secretary_id, "corrected", render),
                    procurement_id=meeting.procurement_id,
                )
            ]
        )
    return correction


@transaction.atomic
def minutes_approve(*, user, meeting: Meeting) -> Meeting:
    """The secretary (or whoever runs the procurement) approves the minutes, for instance at
    the next meeting after corrections were dealt with."""
    meeting = _locked(meeting)
    if not can_write_minutes(user, meeting):
        raise PermissionDenied(approval_refused_message(meeting))
    if meeting.minutes_sent_at is None:
        raise ValidationError(gettext("Referatet er ikke sendt ennå."))
    if meeting.minutes_approved_at is not None:
        return meeting
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_automatically = False
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_automatically"])
    corrections = meeting.corrections.count()
    audit_record(
        actor=user,
        action=Action.MINUTES_APPROVED,
        procurement=meeting.procurement,
        message=f"Referatet fra {_describe(meeting)} er godkjent av {user}"
        + (f" etter {corrections} rettelse(r)." if corrections else "."),
        data={"meeting": meeting.pk, "corrections": corrections},
    )
    return meeting


def minutes_approve_due(*, now: datetime | None = None) -> list[int]:
    """Approves the minutes no correction arrived for by the last day (the 4th working day
    before the next meeting of the series), and writes in the audit log that it happened by
    itself and why. A fixed number of queries for any number of meetings; running it again
    approves nothing twice. Returns the meetings approved."""
    now = now or timezone.now()
    corrected = MinutesCorrection.objects.filter(meeting=OuterRef("pk"))
    next_start = (
        Meeting.objects.filter(series=OuterRef("series"), starts_at__gt=OuterRef("starts_at"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    with transaction.atomic():
        candidates = (
            Meeting.objects.select_for_update(of=("self",))
            .filter(minutes_sent_at__isnull=False, minutes_approved_at__isnull=True)
            .annotate(corrected=Exists(corrected), next_starts_at=Subquery(next_start))
            .filter(corrected=False, next_starts_at__isnull=False)
            .select_related("collaboration", "procurement")
        )
        approve: list[tuple[Meeting, object]] = []
        for meeting in candidates:
            collaboration = meeting.collaboration
            dates = minutes_dates(
                meeting_on=meeting.meeting_on,
                ends_at=meeting.ends_at,
                next_meeting_on=timezone.localtime(meeting.next_starts_at, collaboration.tzinfo).date(),
                country=collaboration.country,
                time_zone=collaboration.time_zone,
                sent_at=meeting.minutes_sent_at,
                approved_at=None,
                approved_automatically=False,
                corrected=False,
                now=now,
            )
            if deemed_approved_now(dates, time_zone=collaboration.time_zone, now=now):
                approve.append((meeting, dates))
        if not approve:
            return []
        ids = [meeting.pk for meeting, _ in approve]
        Meeting.objects.filter(pk__in=ids, minutes_approved_at__isnull=True).update(
            minutes_approved_at=now, minutes_approved_automatically=True
        )
        AuditEntry.objects.bulk_create(
            AuditEntry(
                actor=None,
                action=Action.MINUTES_DEEMED_APPROVED,
                procurement=meeting.procurement,
                message=(
                    f"Referatet fra {_describe(meeting)} er godkjent automatisk: ingen rettelser kom innen "
                    f"{dates.corrections_until:%d.%m.%Y}, 4 virkedager før neste møte."
                ),
                data={"meeting": meeting.pk, "corrections_until": dates.corrections_until.isoformat(), "automatic": True},
            )
            for meeting, dates in approve
        )
    return ids
