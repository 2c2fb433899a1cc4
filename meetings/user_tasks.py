"""The meetings' part of "Mine oppgaver" (registered in MeetingsConfig.ready): minutes the
secretary is to write, corrections to go through before approving, and minutes a
participant is to read and may correct. Three queries whatever the number of meetings."""
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement import phases
from procurement.extensions import Task

from .models import Meeting, MinutesCorrection
from .rules import MinutesStatus
from .scope import meeting_path
from .selectors import _rows


def tasks_for(*, user) -> list[Task]:
    now = timezone.now()
    mine = (
        # A collaboration's own meetings (no procurement) are never closed with a case.
        Meeting.objects.filter(Q(procurement__isnull=True) | Q(procurement__state__in=phases.OPEN_STATES), minutes_approved_at__isnull=True)
        .filter(Q(secretary=user) | Q(participants=user))
        .annotate(my_correction=Exists(MinutesCorrection.objects.filter(meeting_id=OuterRef("pk"), author=user)))
        .distinct()
    )
    wanted = {m.pk: m for m in mine.filter(starts_at__lt=now).select_related("procurement", "collaboration")}
    if not wanted:
        return []
    # The whole series of each, so the dates (due, last day for corrections) count from the
    # next meeting as on the meeting page.
    series = list(
        Meeting.objects.filter(series__in={m.series for m in wanted.values()})
        .select_related("collaboration", "procurement")
        .annotate(correction_count=Count("corrections"))
    )
    tasks = []
    for row in _rows(series, now=now):
        meeting = wanted.get(row.meeting.pk)
        if meeting is None:
            continue
        url = meeting_path(meeting)
        # Without a procurement to name, the task says whose meeting it is.
        detail = "" if meeting.procurement_id else meeting.collaboration.name
        status = row.dates.status
        if meeting.secretary_id == user.pk:
            if status in (MinutesStatus.DUE, MinutesStatus.OVERDUE):
                tasks.append(
                    Task("minutes", _("Skriv og send referatet fra «%(title)s»") % {"title": meeting.title}, url, meeting.procurement, due=row.dates.due, detail=detail)
                )
            elif status in (MinutesStatus.CORRECTED, MinutesStatus.LATE):
                tasks.append(
                    Task(
                        "minutes_approve",
                        _("Gå gjennom rettelsene og godkjenn referatet fra «%(title)s»") % {"title": meeting.title},
                        url,
                        meeting.procurement,
                        due=row.dates.corrections_until,
                        detail=detail,
                    )
                )
        elif row.dates.open_for_corrections and not meeting.my_correction:
            tasks.append(
                Task(
                    "correction",
                    _("Les referatet fra «%(title)s» og meld rettelser") % {"title": meeting.title},
                    url + "#rettelser",
                    meeting.procurement,
                    due=row.dates.corrections_until,
                    detail=detail,
                )
            )
    return tasks
