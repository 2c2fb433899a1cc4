"""The meeting screens: the list, planning or changing a meeting, one meeting with its minutes
and corrections, its calendar file. The same views serve a procurement's meetings
(anskaffelser/<id>/moter/) and a collaboration's own (samarbeid/<id>/moter/), told apart by
the scope (meetings/scope.py). Each view finds the scope among those the person may see (404
otherwise), checks what they may do before reading a form (403), calls one service and
redirects; a form with errors comes back with status 400."""
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_error
from municipalities.models import Collaboration
from procurement.views.detail import visible_procurement_or_404
from procurement.views.paging import pagination

from . import services
from .calendar import meeting_ics
from .forms import CorrectionForm, MeetingForm, MinutesForm
from .models import Meeting
from .scope import MeetingScope, meeting_path
from .selectors import meeting_detail as meeting_detail_select
from .selectors import scope_meetings


def _scope(request, procurement_id: int | None, collaboration_id: int | None) -> MeetingScope:
    """The procurement's meetings if the person may see the procurement; the collaboration's
    own if they run it or hold a role in one of its bodies. 404 otherwise, so neither's
    existence is revealed."""
    if procurement_id is not None:
        procurement = visible_procurement_or_404(request.user, procurement_id)
        return MeetingScope(procurement.collaboration, procurement)
    collaboration = get_object_or_404(Collaboration, pk=collaboration_id)
    if not services.can_view_collaboration_meetings(request.user, collaboration):
        raise Http404
    return MeetingScope(collaboration)


def _meeting_or_404(scope: MeetingScope, meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("collaboration", "procurement", "secretary"),
        pk=meeting_id,
        collaboration=scope.collaboration,
        procurement=scope.procurement,
    )


def _to_meeting(meeting: Meeting, anchor: str = ""):
    return redirect(f"{meeting_url(meeting)}{anchor}")


def meeting_url(meeting: Meeting) -> str:
    return meeting_path(meeting)


@login_required
@require_GET
def collaboration_meetings(request):
    """The navigation's "Møter": the collaborations whose own meetings the person sees."""
    collaborations = list(services.collaborations_with_meetings_for(request.user))
    if len(collaborations) == 1:
        return redirect("collaboration_meeting_list", collaboration_id=collaborations[0].pk)
    return render(request, "meetings/collaboration_meetings.html", {"collaborations": collaborations})


@login_required
@require_GET
def meeting_list(request, procurement_id: int | None = None, collaboration_id: int | None = None):
    scope = _scope(request, procurement_id, collaboration_id)
    rows = scope_meetings(scope)
    paginator = Paginator(rows, settings.MEETINGS_PAGE_SIZE)
    # Without a page asked for: the page with the next meeting, so a long series opens on what is coming.
    now = timezone.now()
    upcoming = next((index for index, row in enumerate(rows) if row.meeting.starts_at >= now), max(len(rows) - 1, 0))
    page = paginator.get_page(request.GET.get("side") or upcoming // settings.MEETINGS_PAGE_SIZE + 1)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "scope": scope,
            "procurement": scope.procurement,
            "rows": page.object_list,
            "page": page,
            "pagination": pagination(request, page),
            "can_plan": services.can_manage(request.user, scope.owner) and scope.is_open,
            "warnings": [row for row in rows if row.previous_too_close and not row.past],
        },
    )


def _meeting_form_initial(meeting: Meeting) -> dict:
    start = meeting.local_start
    return {
        "group": meeting.group,
        "title": meeting.title,
        "date": start.date(),
        "start": start.time().replace(second=0, microsecond=0),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "link": meeting.link,
        "agenda": meeting.agenda,
        "participants": list(meeting.participants.values_list("pk", flat=True)),
        "secretary": meeting.secretary_id,
    }


def _meeting_form_page(request, scope: MeetingScope, meeting: Meeting | None):
    """Planning a meeting (MEETING None) or changing one: the same form, the same rules."""
    if not services.can_manage(request.user, scope.owner):
        raise PermissionDenied(services.planning_refused_message(scope.owner))
    if not scope.is_open:
        messages.error(request, _("Anskaffelsen er avsluttet."))
        return redirect(scope.url("meeting_list"))
    if meeting is not None and meeting.minutes_sent_at is not None:
        messages.error(request, _("Referatet er sendt, så møtet kan ikke endres lenger."))
        return _to_meeting(meeting)
    initial = _meeting_form_initial(meeting) if meeting is not None else {"secretary": request.user.pk}
    form = MeetingForm(
        request.POST or None, people=services.meeting_people(scope.owner), time_zone=scope.collaboration.tzinfo, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "group": data["group"],
            "title": data["title"],
            "starts_at": form.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "link": data["link"],
            "agenda": data["agenda"],
            "participants": list(data["participants"]),
            "secretary": data["secretary"],
        }
        try:
            if meeting is None:
                saved, too_close = services.meeting_plan(
                    user=request.user, procurement=scope.procurement, collaboration=scope.collaboration, **fields
                )
            else:
                saved, too_close = services.meeting_change(user=request.user, meeting=meeting, **fields)
        except ValidationError as error:
            add_service_error(form, error, default_field="title")
        else:
            if meeting is None:
                messages.success(request, _("Møtet «%(title)s» er planlagt, og deltakerne får beskjed.") % {"title": saved.title})
            else:
                messages.success(request, _("Møtet «%(title)s» er endret, og deltakerne får beskjed.") % {"title": saved.title})
            if too_close:
                messages.warning(
                    request,
                    _("Møtene i serien bør ligge minst 14 dager fra hverandre. Dette møtet er nærmere enn det: %(dates)s.")
                    % {"dates": ", ".join(f"{a:%d.%m.%Y}–{b:%d.%m.%Y}" for a, b in too_close)},
                )
            return _to_meeting(saved)
    status = 400 if request.method == "POST" else 200
    context = {"scope": scope, "procurement": scope.procurement, "form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, procurement_id: int | None = None, collaboration_id: int | None = None):
    return _meeting_form_page(request, _scope(request, procurement_id, collaboration_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, meeting_id: int, procurement_id: int | None = None, collaboration_id: int | None = None):
    scope = _scope(request, procurement_id, collaboration_id)
    return _meeting_form_page(request, scope, _meeting_or_404(scope, meeting_id))


def _render_detail(request, scope: MeetingScope, meeting_id: int, *, status=200, minutes_form=None, correction_form=None):
    detail = meeting_detail_select(scope=scope, meeting_id=meeting_id)
    meeting = detail.row.meeting
    user = request.user
    may_write = services.can_write_minutes(user, meeting)
    is_participant = any(p.pk == user.pk for p in detail.participants) and user.pk != meeting.secretary_id
    dates = detail.row.dates
    writable = may_write and not dates.approved and not detail.row.dates.status == "upcoming"
    context = {
        "scope": scope,
        "procurement": scope.procurement,
        "detail": detail,
        "meeting": meeting,
        "dates": dates,
        "minutes_form": minutes_form or (MinutesForm(initial={"minutes": meeting.minutes}) if writable else None),
        "can_approve": may_write and meeting.minutes_sent_at and not dates.approved,
        "can_edit": services.can_manage(user, scope.owner) and scope.is_open and meeting.minutes_sent_at is None,
        "correction_form": correction_form or (CorrectionForm() if is_participant and dates.open_for_corrections else None),
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request, meeting_id: int, procurement_id: int | None = None, collaboration_id: int | None = None):
    return _render_detail(request, _scope(request, procurement_id, collaboration_id), meeting_id)


@login_required
@require_POST
def minutes_send(request, meeting_id: int, procurement_id: int | None = None, collaboration_id: int | None = None):
    scope = _scope(request, procurement_id, collaboration_id)
    meeting = _meeting_or_404(scope, meeting_id)
    if not services.can_write_minutes(request.user, meeting):
        raise PermissionDenied(_("Bare referenten kan sende referatet."))
    form = MinutesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.minutes_send(
                user=request.user, meeting=meeting, text=form.cleaned_data["minutes"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_error(form, error, default_field="minutes")
        else:
            messages.success(request, _("Referatet er sendt til deltakerne."))
            return _to_meeting(meeting, "#referat")
    return _render_detail(request, scope, meeting_id, status=400, minutes_form=form)


@login_required
@require_POST
def correction_submit(request, meeting_id: int, procurement_id: int | None = None, collaboration_id: int | None = None):
    scope = _scope(request, procurement_id, collaboration_id)
    meeting = _meeting_or_404(scope, meeting_id)
    if not meeting.participants.filter(pk=request.user.pk).exists() or request.user.pk == meeting.secretary_id:
        raise PermissionDenied(_("Bare deltakerne i møtet kan sende rettelser til referatet."))
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correction_submit(user=request.user, meeting=meeting, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_error(form, error, default_field="text")
        else:
            messages.success(request, _("Rettelsen er sendt til referenten."))
            return _to_meeting(meeting, "#rettelser")
    return _render_detail(request, scope, meeting_id, status=400, correction_form=form)


@login_required
@require_POST
def minutes_approve(request, meeting_id: int, procurement_id: int | None = None, collaboration_id: int | None = None):
    scope = _scope(request, procurement_id, collaboration_id)
    meeting = _meeting_or_404(scope, meeting_id)
    if not services.can_write_minutes(request.user, meeting):
        raise PermissionDenied(services.approval_refused_message(meeting))
    try:
        services.minutes_approve(user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Referatet er godkjent."))
    return _to_meeting(meeting, "#referat")


@login_required
@require_GET
def meeting_calendar(request, meeting_id: int, procurement_id: int | None = None, collaboration_id: int | None = None):
    scope = _scope(request, procurement_id, collaboration_id)
    meeting = _meeting_or_404(scope, meeting_id)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response


@login_required
@require_GET
def minutes_file(request, meeting_id: int, procurement_id: int | None = None, collaboration_id: int | None = None):
    scope = _scope(request, procurement_id, collaboration_id)
    meeting = _meeting_or_404(scope, meeting_id)
    if not meeting.minutes_file:
        raise Http404
    try:
        handle = meeting.minutes_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"referat-{meeting.pk}{PurePath(meeting.minutes_file.name).suffix}"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=meeting.minutes_file_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
