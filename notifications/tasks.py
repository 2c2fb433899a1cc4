"""Celery tasks of the outbox. Thin: each takes ids and calls a service; none needs Celery's
own retries, because what is still to be sent is in the database and the dispatcher (beat,
every minute) takes it up again: after a failed send once its back-off is over, after a
worker died once its lease has run out, after the broker lost a message at once."""
from celery import shared_task
from django.conf import settings

from . import services
from .reminders import reminders_sweep


@shared_task(name="notifications.deliver")
def outbox_deliver_task(outbox_id: int, token: str) -> str:
    return services.outbox_deliver(outbox_id=outbox_id, token=token)


@shared_task(name="notifications.dispatch")
def outbox_dispatch() -> int:
    """Claims a batch of due rows and queues one delivery task per row; queues itself again
    while there is more. Expands events whose own task was lost first."""
    services.events_expand_stale()
    batch = settings.OUTBOX_DISPATCH_BATCH
    token, ids = services.outbox_claim(limit=batch)
    for outbox_id in ids:
        outbox_deliver_task.delay(outbox_id, str(token))
    if len(ids) == batch:
        outbox_dispatch.delay()
    return len(ids)


@shared_task(name="notifications.expand_event")
def event_expand_task(event_id: int) -> int:
    created = services.event_expand(event_id=event_id)
    if created:
        services.after_commit(outbox_dispatch)
    return len(created)


@shared_task(name="notifications.sweep_reminders")
def reminders_sweep_task() -> int:
    created = reminders_sweep()
    if created:
        services.after_commit(outbox_dispatch)
    return len(created)
