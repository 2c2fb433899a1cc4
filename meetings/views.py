"""The meeting screens of a procurement: the list, planning a meeting, one meeting with its
minutes and corrections, its calendar file. Each view finds the procurement among those the
person may see (404 otherwise), checks what they may do before reading a form (403), calls
one service and redirects; a form with errors comes back with status 400."""
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_error
from procurement.views.detail import visible_procurement_or_404

from . import services
from .calendar import meeting_ics
from .forms import CorrectionForm, MeetingForm, MinutesForm
from .models import Meeting
from .selectors import meeting_detail as meeting_detail_select
from .selectors import procurement_meetings


def _meeting_or_404(procurement, meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("collaboration", "procurement", "secretary"), pk=meeting_id, procurement=procurement
    )


def _to_meeting(meeting: Meeting, anchor: str = ""):
    return redirect(f"{meeting_url(meeting)}{anchor}")


def meeting_url(meeting: Meeting) -> str:
    return reverse("meeting_detail", args=[meeting.procurement_id, meeting.pk])


@login_required
@require_GET
def meeting_list(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    rows = procurement_meetings(procurement=procurement)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "procurement": procurement,
            "rows": rows,
            "can_plan": services.can_manage(request.user, procurement) and procurement.is_open,
            "warnings": [row for row in rows if row.previous_too_close and not row.past],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if not services.can_manage(request.user, procurement):
        raise PermissionDenied(_("Bare de som styrer anskaffelsen, kan planlegge møter."))
    if not procurement.is_open:
        messages.error(request, _("Anskaffelsen er avsluttet."))
        return redirect("meeting_list", procurement_id=procurement.pk)
    people = services.meeting_people(procurement)
    zone = procurement.collaboration.tzinfo
    form = MeetingForm(request.POST or None, people=people, time_zone=zone, initial={"secretary": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting, too_close = services.meeting_plan(
                user=request.user,
                procurement=procurement,
                group=data["group"],
                title=data["title"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                link=data["link"],
                agenda=data["agenda"],
                participants=list(data["participants"]),
                secretary=data["secretary"],
            )
        except ValidationError as error:
            add_service_error(form, error, default_field="title")
        else:
            messages.success(request, _("Møtet «%(title)s» er planlagt, og deltakerne får beskjed.") % {"title": meeting.title})
            if too_close:
                messages.warning(
                    request,
                    _("Møtene i serien bør ligge minst 14 dager fra hverandre. Dette møtet er nærmere enn det: %(dates)s.")
                    % {"dates": ", ".join(f"{a:%d.%m.%Y}–{b:%d.%m.%Y}" for a, b in too_close)},
                )
            return _to_meeting(meeting)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"procurement": procurement, "form": form}, status=status)


def _render_detail(request, procurement, meeting_id: int, *, status=200, minutes_form=None, correction_form=None):
    detail = meeting_detail_select(procurement=procurement, meeting_id=meeting_id)
    meeting = detail.row.meeting
    user = request.user
    may_write = services.can_write_minutes(user, meeting)
    is_participant = any(p.pk == user.pk for p in detail.participants) and user.pk != meeting.secretary_id
    dates = detail.row.dates
    writable = may_write and not dates.approved and not detail.row.dates.status == "upcoming"
    context = {
        "procurement": procurement,
        "detail": detail,
        "meeting": meeting,
        "dates": dates,
        "minutes_form": minutes_form or (MinutesForm(initial={"minutes": meeting.minutes}) if writable else None),
        "can_approve": may_write and meeting.minutes_sent_at and not dates.approved,
        "correction_form": correction_form or (CorrectionForm() if is_participant and dates.open_for_corrections else None),
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request, procurement_id: int, meeting_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    return _render_detail(request, procurement, meeting_id)


@login_required
@require_POST
def minutes_send(request, procurement_id: int, meeting_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    meeting = _meeting_or_404(procurement, meeting_id)
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
    return _render_detail(request, procurement, meeting_id, status=400, minutes_form=form)


@login_required
@require_POST
def correction_submit(request, procurement_id: int, meeting_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    meeting = _meeting_or_404(procurement, meeting_id)
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
    return _render_detail(request, procurement, meeting_id, status=400, correction_form=form)


@login_required
@require_POST
def minutes_approve(request, procurement_id: int, meeting_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    meeting = _meeting_or_404(procurement, meeting_id)
    if not services.can_write_minutes(request.user, meeting):
        raise PermissionDenied(_("Bare referenten eller de som styrer anskaffelsen, kan godkjenne referatet."))
    try:
        services.minutes_approve(user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Referatet er godkjent."))
    return _to_meeting(meeting, "#referat")


@login_required
@require_GET
def meeting_calendar(request, procurement_id: int, meeting_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    meeting = _meeting_or_404(procurement, meeting_id)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response


@login_required
@require_GET
def minutes_file(request, procurement_id: int, meeting_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    meeting = _meeting_or_404(procurement, meeting_id)
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
