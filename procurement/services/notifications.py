"""Side effects leave through here: the event is recorded in the caller's transaction (the
outbox's Event), and after the commit a task writes one outbox row per person and sends
them, so a rolled-back change notifies nobody and a retry never notifies anyone twice."""


def notify_on_commit(event: str, *, procurement_id: int, municipality_ids: list[int] | None = None) -> None:
    from notifications.services import event_record

    event_record(name=event, procurement_id=procurement_id, municipality_ids=municipality_ids or [])
