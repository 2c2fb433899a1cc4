from datetime import timedelta

from django.core.management.base import BaseCommand

from notifications.reminders import reminders_sweep
from notifications.services import events_expand_stale, outbox_deliver_pending


class Command(BaseCommand):
    help = "Runs one reminder sweep and delivers what is due, here and now, without a worker."

    def handle(self, *args, **options):
        created = reminders_sweep()
        events_expand_stale(older_than=timedelta(0))
        sent = outbox_deliver_pending()
        self.stdout.write(f"reminders: created {len(created)}, sent {sent}")
