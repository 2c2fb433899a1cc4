"""The person's own messages and choices: the list of messages in the app, what goes by e-mail
and in which language, and the calendar addresses. Each acts only on the logged-in person's
own rows; an id of someone else's row is 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_error
from core.ids import id_from
from procurement.selectors.paging import page_of
from procurement.views.detail import visible_procurement_or_404
from procurement.views.paging import pagination

from . import calendar_feed, inbox
from .forms import NotificationSettingsForm
from .models import CalendarFeed


def _feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))


def _id_list(values) -> list[int]:
    ids = []
    for value in values:
        if (pk := id_from(value)) is None:
            raise Http404
        ids.append(pk)
    return ids


@login_required
@require_GET
def inbox_list(request):
    page = page_of(inbox.inbox_rows(request.user), request.GET.get("side"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "pagination": pagination(request, page), "unread": inbox.unread_count(request.user)},
    )


@login_required
@require_POST
def inbox_read(request):
    """Marks the messages named in the form read (or every one, with all=1)."""
    ids = None if request.POST.get("all") == "1" else _id_list(request.POST.getlist("message"))
    count = inbox.inbox_mark_read(user=request.user, ids=ids)
    if count:
        messages.success(request, _("Merket som lest."))
    return redirect(reverse("inbox") + (f"?side={request.POST['side']}" if request.POST.get("side", "").isdigit() else ""))


@login_required
@require_GET
def inbox_open(request, message_id: int):
    """Opens a message's procurement and marks the message read."""
    row = inbox.inbox_rows(request.user).filter(pk=message_id).first()
    if row is None:
        raise Http404
    inbox.inbox_mark_read(user=request.user, ids=[row.pk])
    if row.procurement_id:
        return redirect("procurement_detail", procurement_id=row.procurement_id)
    return redirect("inbox")


def _feeds(request) -> list[tuple[CalendarFeed, str]]:
    live = CalendarFeed.objects.filter(person=request.user, revoked_at__isnull=True).select_related("procurement")
    return [(feed, _feed_url(request, feed)) for feed in live]


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    current = inbox.notification_settings_of(request.user)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, initial={"language": current.language, "in_app_only": current.in_app_only}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                inbox.notification_settings_save(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error, default_field="in_app_only")
            else:
                messages.success(request, _("Valgene dine er lagret."))
                return redirect("notification_settings")
        status = 400
    return render(request, "notifications/settings.html", {"form": form, "feeds": _feeds(request)}, status=status)


@login_required
@require_POST
def calendar_feed_create(request):
    """A new calendar address: of one procurement (procurement=<id>) or of all of them."""
    raw = request.POST.get("procurement", "")
    procurement = None
    if raw:
        if (pk := id_from(raw)) is None:
            raise Http404
        procurement = visible_procurement_or_404(request.user, pk)
    calendar_feed.calendar_feed_create(user=request.user, procurement=procurement)
    messages.success(request, _("Kalenderadressen er klar. Kopier den inn i kalenderen din som et abonnement."))
    return redirect(reverse("notification_settings") + "#kalender")


@login_required
@require_POST
def calendar_feed_revoke(request, feed_id: int):
    try:
        calendar_feed.calendar_feed_revoke(user=request.user, feed_id=feed_id)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Kalenderadressen virker ikke lenger."))
    return redirect(reverse("notification_settings") + "#kalender")


@require_GET
def calendar_feed_ics(request, token: str):
    """What a calendar program polls: no login, the secret address is the key."""
    feed = calendar_feed.live_feed(token)
    if feed is None:
        raise Http404
    response = HttpResponse(calendar_feed.feed_ics(feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
