"""The only writers of meetings and minutes. Each service is atomic, checks who may do it,
writes the audit entry, and records its mail in the outbox in the same transaction (sent
after the commit, once per person)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.models import AuditEntry
from audit.services import audit_record, record_language
from core.uploads import validate_upload
from municipalities.models import Person
from notifications.inbox import InTheirLanguage
from notifications.services import Message, after_commit, outbox_add
from procurement.deadlines import end_of_day, has_passed, meetings_too_close
from procurement.models import ParticipationStatus, Procurement
from procurement.notifications import absolute_url

from .models import Meeting, MeetingGroup, MinutesCorrection, series_key
from .rules import MinutesStatus, deemed_approved_now, minutes_dates

TEXT_LIMITS = {"title": 200, "place": 200, "link": 500, "agenda": 20_000, "minutes": 200_000, "correction": 10_000}
PLAN_DAYS_BACK = 365
PLAN_DAYS_AHEAD = 3 * 365
MINIMUM_GAP_DAYS = 14


def meeting_people(procurement: Procurement):
    """Who can take part in a procurement's meetings: the people of the collaboration's
    bodies and of the municipalities that joined."""
    joined = procurement.participations.filter(status=ParticipationStatus.JOINED).values("municipality_id")
    return (
        Person.objects.filter(
            Q(role_assignments__body__collaboration_id=procurement.collaboration_id)
            | Q(role_assignments__municipality_id__in=joined),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def can_manage(user, meeting_or_procurement) -> bool:
    procurement = getattr(meeting_or_procurement, "procurement", meeting_or_procurement)
    if procurement is not None:
        return user.has_perm("procurement.manage_procurement", procurement)
    return user.has_perm("municipalities.coordinate_collaboration", meeting_or_procurement.collaboration)


def can_write_minutes(user, meeting: Meeting) -> bool:
    return user.pk == meeting.secretary_id or can_manage(user, meeting)


def meeting_link(meeting: Meeting) -> str:
    return absolute_url(reverse("meeting_detail", args=[meeting.procurement_id, meeting.pk]))


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
        return f"«{meeting.title}» ({MeetingGroup(meeting.group).label.lower()}, {meeting.local_start:%d.%m.%Y %H:%M})"


# --------------------------------------------------------------------------- planning


@transaction.atomic
def meeting_plan(
    *,
    user,
    procurement: Procurement,
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
    """Plans a meeting of one of the procurement's groups. Returns the meeting and the pairs
    of its series now less than 14 days apart (a warning, not a refusal: seed 003 says the
    interval is aimed at)."""
    procurement = Procurement.objects.select_for_update(of=("self",)).select_related("collaboration").get(pk=procurement.pk)
    if not can_manage(user, procurement):
        raise PermissionDenied(gettext("Bare de som styrer anskaffelsen, kan planlegge møter."))
    errors: dict[str, str] = {}
    title = _check_text(errors, "title", title, required=True)
    place = _check_text(errors, "place", place)
    link = _check_text(errors, "link", link)
    agenda = _check_text(errors, "agenda", agenda)
    if group not in MeetingGroup.values:
        errors["group"] = gettext("Velg et av alternativene.")
    if not place and not link:
        errors["place"] = gettext("Skriv hvor møtet holdes, eller en lenke til det.")
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = gettext("Velg dato og klokkeslett for møtet.")
    else:
        today = procurement.collaboration.today()
        day = timezone.localtime(starts_at, procurement.collaboration.tzinfo).date()
        if not today - timedelta(days=PLAN_DAYS_BACK) <= day <= today + timedelta(days=PLAN_DAYS_AHEAD):
            errors["starts_at"] = gettext("Velg en dato fra ett år tilbake til tre år frem.")
    if not isinstance(duration_minutes, int) or not 15 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = gettext("Varigheten må være mellom 15 minutter og 24 timer.")
    allowed = set(meeting_people(procurement).values_list("pk", flat=True))
    chosen = {person.pk for person in participants}
    if chosen - allowed:
        errors["participants"] = gettext("Deltakerne må høre til samarbeidet eller en kommune som er med.")
    if secretary is None or secretary.pk not in allowed:
        errors["secretary"] = gettext("Velg en referent blant dem som kan delta.")
    if errors:
        raise ValidationError(errors)

    meeting = Meeting.objects.create(
        collaboration=procurement.collaboration,
        procurement=procurement,
        group=group,
        series=series_key(collaboration_id=procurement.collaboration_id, procurement_id=procurement.pk, group=group),
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        link=link,
        agenda=agenda,
        secretary=secretary,
        created_by=user,
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
    def render():
        when = {"date": f"{meeting.local_start:%d.%m.%Y}", "time": f"{meeting.local_start:%H:%M}"}
        subject = gettext("Møte: %(title)s – %(date)s %(time)s") % {"title": title, **when}
        body = (
            gettext("Du er invitert til møtet «%(title)s» i anskaffelsen «%(procurement)s».") % {"title": title, "procurement": procurement.title}
            + "\n" + gettext("Tid: %(date)s kl. %(time)s") % when + "\n"
            + (gettext("Sted: %(place)s") % {"place": place} + "\n" if place else "")
            + (gettext("Lenke: %(link)s") % {"link": link} + "\n" if link else "")
            + gettext("Referent: %(name)s") % {"name": secretary} + "\n\n"
            + gettext("Møtet og kalenderfilen: %(link)s") % {"link": meeting_link(meeting)} + "\n"
        )
        return subject, body

    people = sorted(meeting.participants.exclude(email="").values_list("pk", flat=True))
    texts = InTheirLanguage(people)
    _outbox(
        [
            Message(
                f"meeting:{meeting.pk}:planned:{person_id}",
                "meeting:planned",
                person_id,
                *texts.text(person_id, "planned", render),
                procurement_id=procurement.pk,
            )
            for person_id in people
        ]
    )
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
        raise PermissionDenied(gettext("Bare referenten eller de som styrer anskaffelsen, kan godkjenne referatet."))
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
