"""The outbox in the admin: what was sent, what waits, and what failed with its error. A row
that failed too often is sent again only when someone asks (the action below)."""
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin

from .models import CalendarFeed, Event, NotificationSettings, Outbox
from .services import outbox_retry

STATES = {
    "pending": _("Venter"),
    "sending": _("Sendes nå"),
    "retrying": _("Prøves igjen"),
    "failed": _("Feilet"),
    "sent": _("Sendt"),
}


class StateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATES.items())

    def queryset(self, request, queryset):
        now = timezone.now()
        live_claim = Q(claimed_until__gt=now)
        given_up = Q(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS)
        match self.value():
            case "sent":
                return queryset.filter(sent_at__isnull=False)
            case "failed":
                return queryset.failed()
            case "sending":
                return queryset.pending().filter(live_claim).exclude(given_up)
            case "retrying":
                return queryset.pending().filter(attempts__gt=0).exclude(live_claim).exclude(given_up)
            case "pending":
                return queryset.pending().filter(attempts=0).exclude(live_claim)
        return queryset


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "recipient", "subject", "state_label", "attempts", "next_attempt_at", "sent_at")
    list_filter = (StateFilter, "kind")
    search_fields = ("key", "subject", "recipient__username", "recipient__email")
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in Outbox._meta.fields]
    actions = ["send_again"]
    date_hierarchy = "created_at"

    @admin.display(description=_("status"))
    def state_label(self, obj):
        return STATES[obj.state]

    @admin.action(description=_("Send de valgte meldingene på nytt (de som ikke er sendt)"))
    def send_again(self, request, queryset):
        count = outbox_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d melding sendes på nytt.", "%(count)d meldinger sendes på nytt.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "name", "procurement", "expanded_at")
    list_filter = ("name",)
    readonly_fields = [field.name for field in Event._meta.fields]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ReadOnlyAdmin):
    """Each person sets their own on the settings page (audited there)."""

    list_display = ("person", "language", "in_app_only", "updated_at")
    readonly_fields = [field.name for field in NotificationSettings._meta.fields]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """The addresses themselves are secrets and are not shown here."""

    list_display = ("person", "procurement", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ["person", "procurement", "created_at", "revoked_at"]
    exclude = ["token"]
