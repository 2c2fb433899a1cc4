"""The demo's choices for messages and calendars, so a newcomer sees after `make run`:

- the coordinator (koordinator) wants the decisions of the procurements only in the app, not
  by e-mail, and has a calendar address for all procurements and one for the archive
  procurement (Varsler → Valg);
- Kongsberg's chief executive (kommunedirektor.kongsberg) reads e-mails in English.

Through the services, so each choice is in the audit log; a person who has chosen already is
left as they are."""
from django.db import transaction

from notifications.calendar_feed import calendar_feed_create
from notifications.inbox import notification_settings_save
from notifications.models import CalendarFeed, NotificationSettings

from ..models import Procurement
from .meetings import PROCUREMENT


def notification_choices_ensure(seeder, *, write) -> None:
    coordinator = seeder.coordinator
    english = seeder.person("kommunedirektor.kongsberg")
    archive = Procurement.objects.filter(collaboration=seeder.collaboration, title=PROCUREMENT).first()
    with transaction.atomic():
        if not NotificationSettings.objects.filter(person=coordinator).exists():
            notification_settings_save(user=coordinator, language="nb", in_app_only=["notification"])
        if not NotificationSettings.objects.filter(person=english).exists():
            notification_settings_save(user=english, language="en", in_app_only=[])
        for procurement in (None, archive):
            if not CalendarFeed.objects.filter(person=coordinator, procurement=procurement, revoked_at__isnull=True).exists():
                calendar_feed_create(user=coordinator, procurement=procurement)
    write("Varsler: koordinatoren får beslutningene bare i løsningen og har to kalenderadresser; "
          "Kongsbergs kommunedirektør får e-post på engelsk.")
