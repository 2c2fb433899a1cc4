"""Side effects leave through here: after the transaction commits, a Celery task sends
the mail, so a rolled-back change never notifies anyone."""
from django.db import transaction


def notify_on_commit(event: str, *, procurement_id: int, municipality_ids: list[int] | None = None) -> None:
    from ..tasks import notification_send

    transaction.on_commit(
        lambda: notification_send.delay(event=event, procurement_id=procurement_id, municipality_ids=municipality_ids or [])
    )
