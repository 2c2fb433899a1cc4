"""The outbox: how every e-mail leaves, once.

1. Record. A service (in its own transaction) or a sweep writes one row per person and
   message with ``outbox_add``: a single INSERT ... ON CONFLICT (key) DO NOTHING of the whole
   set, so a message recorded twice (a retried task, two sweeps at once, beat running again)
   exists once, and recording costs the same few queries for ten messages or ten thousand.
2. Claim. ``outbox_claim`` takes a batch of available rows for one worker: on PostgreSQL with
   SELECT ... FOR UPDATE SKIP LOCKED, so two workers never take the same row, and writes a
   lease (``claimed_until``, ``claim_token``). A worker that dies with a claim leaves the rows
   to the next one once the lease has run out; nothing is lost.
3. Deliver. ``outbox_deliver`` takes the row over from the claim with a fresh token (a second
   copy of the same task then finds nothing), hands the mail to the mail server, and only
   THEN marks ``sent_at``. A failure leaves the row unsent with ``attempts`` and
   ``last_error`` and a back-off (``next_attempt_at``); after OUTBOX_MAX_ATTEMPTS it waits in
   the admin (Utgående meldinger, «Feilet»), where it can be sent again.

What "exactly once" means here. Every message is recorded once and marked sent once, and a
retry never repeats a message that was marked sent: a notification to seven people whose
fourth mail fails sends the fourth again, never the other six. The one gap no outbox can
close from this side is a worker killed after the mail server accepted a message and before
the row was marked: the row's lease runs out and the message is sent again, so delivery to
the mail server is at-least-once in that window (milliseconds, between SMTP's final reply and
one UPDATE). Each message carries a Message-ID derived from its key, the same on every
attempt, so a mail server or client that de-duplicates by Message-ID shows it once. The lease
(OUTBOX_LEASE_SECONDS) must be longer than a send can take (EMAIL_TIMEOUT), or a slow send
could be taken over by a second worker while the first is still talking to the server.
"""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .channels import channel_for
from .models import Channel, Event, NotificationSettings, Outbox

logger = logging.getLogger(__name__)

# Rows per INSERT statement: one statement for any ordinary sweep, a handful for 100 000
# deadlines, each parameter well below what PostgreSQL and SQLite accept.
INSERT_CHUNK = 10_000
COLUMNS = ("key", "kind", "recipient_id", "procurement_id", "subject", "body", "address", "attachments")
_ERROR_MAX = 2000


class Message(NamedTuple):
    """One message to one person, as recorded. KEY names the message, so the same message
    recorded again is the same row. A NamedTuple: a sweep makes 100 000 of them."""

    key: str
    kind: str
    recipient_id: int | None
    subject: str
    body: str
    procurement_id: int | None = None
    address: str = ""  # instead of the recipient's own address (someone who is not a user)
    # Stored files (names in the default storage) to attach, as (stored name, file name in
    # the mail) pairs, in order.
    attachments: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- record


def _insert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table = quote(Outbox._meta.db_table)
    columns = ", ".join(quote(c) for c in (*COLUMNS, "created_at", "next_attempt_at", "attempts", "last_error"))
    if vendor == "postgresql":
        types = ("text", "text", "bigint", "bigint", "text", "text", "text", "jsonb")
        record = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, types, strict=True))
        values = ", ".join(f"r.{quote(c)}" for c in COLUMNS)
        source = f"jsonb_to_recordset(%s::jsonb) AS r({record})"
        where = ""
    else:  # SQLite: json_each; the WHERE tells its parser the ON CONFLICT belongs to the INSERT
        # (json_extract gives an array as its JSON text, which is how a JSONField is stored there)
        values = ", ".join(f"json_extract(value, '$.{c}')" for c in COLUMNS)
        source = "json_each(%s)"
        where = " WHERE true"
    return (
        f"INSERT INTO {table} ({columns}) SELECT {values}, %s, %s, 0, '' FROM {source}{where} "
        f"ON CONFLICT ({quote('key')}) DO NOTHING RETURNING {quote('id')}"
    )


def outbox_add(messages: Iterable[Message]) -> list[int]:
    """Records MESSAGES; those whose key is already in the outbox are left as they are.
    Returns the ids of the rows this call created. One INSERT per INSERT_CHUNK messages."""
    unique: dict[str, dict] = {}
    for message in messages:
        if message.key not in unique:
            unique[message.key] = message._asdict()
    if not unique:
        return []
    rows = list(unique.values())
    if connection.vendor not in {"postgresql", "sqlite"}:  # pragma: no cover - the project runs on these two
        made = Outbox.objects.bulk_create([Outbox(**row) for row in rows], ignore_conflicts=True)
        return [row.pk for row in made if row.pk]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = _insert_sql(connection.vendor)
    created: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            cursor.execute(sql, [now, now, json.dumps(rows[start : start + INSERT_CHUNK])])
            created.extend(pk for (pk,) in cursor.fetchall())
    return created


# --------------------------------------------------------------------------- claim


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def outbox_claim(*, limit: int) -> tuple[uuid.UUID, list[int]]:
    """Up to LIMIT available rows for one worker, oldest due first, leased to it under one
    token. Returns (token, ids); the rows are the caller's until the lease runs out."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Outbox.objects.available(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return token, []
        # Conditional, so on a database without row locks (SQLite) a row another worker
        # claimed in between is not taken from it; the read-back says which ones are ours.
        Outbox.objects.filter(pk__in=ids).available(now).update(claimed_until=now + _lease(), claim_token=token)
        if not connection.features.has_select_for_update_skip_locked:
            ids = list(Outbox.objects.filter(claim_token=token).values_list("id", flat=True))
    return token, ids


# --------------------------------------------------------------------------- deliver


def _message_id(key: str) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}.outbox@{domain}>"


def _send(row: Outbox, address: str) -> None:
    message = EmailMessage(
        row.subject,
        row.body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"Message-ID": _message_id(row.key)},
    )
    if row.attachments:
        from django.core.files.storage import default_storage

        # Every file is read before the mail server is called: one that is missing fails the
        # attempt (left for a retry, with the error), never sends a mail without it.
        for stored, name in row.attachments:
            with default_storage.open(stored, "rb") as handle:
                message.attach(name or "vedlegg.pdf", handle.read(), "application/pdf")
    message.send()


def _in_app_only(person) -> list[str]:
    try:
        return person.notification_settings.in_app_only
    except NotificationSettings.DoesNotExist:
        return []


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the ATTEMPTS-th failed attempt: the base, doubled each time, capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def outbox_deliver(*, outbox_id: int, token: uuid.UUID | str) -> str:
    """Delivers one claimed row. Returns "sent", "failed" (left for a retry), or "skipped"
    (no longer claimed under TOKEN: sent already, or taken over after the lease ran out)."""
    mine = uuid.uuid4()
    now = timezone.now()
    taken = Outbox.objects.filter(pk=outbox_id, sent_at__isnull=True, claim_token=token).update(
        claim_token=mine, claimed_until=now + _lease(), attempts=F("attempts") + 1
    )
    if not taken:
        return "skipped"
    row = Outbox.objects.select_related("recipient__notification_settings").get(pk=outbox_id)
    ours = Outbox.objects.filter(pk=outbox_id, claim_token=mine)
    if row.address:
        # A message to someone who is not a user (a supplier's contact): e-mail only.
        address = row.address
    else:
        if channel_for(row.kind, _in_app_only(row.recipient)) == Channel.IN_APP:
            # Chosen to be only in the person's list in the app, where every row is shown.
            ours.update(sent_at=timezone.now(), channel=Channel.IN_APP, claim_token=None, claimed_until=None, last_error="")
            return "sent"
        address = row.recipient.email if row.recipient is not None and row.recipient.is_active else ""
    if not address:
        # Nothing a retry can mend: shown as failed in the admin straight away.
        ours.update(
            claim_token=None,
            claimed_until=None,
            attempts=max(row.attempts, settings.OUTBOX_MAX_ATTEMPTS),
            last_error="Mottakeren har ingen e-postadresse eller er deaktivert.",
        )
        return "failed"
    try:
        _send(row, address)
    except Exception as error:  # noqa: BLE001 - any failure of the mail server leaves the row for a retry
        logger.warning("outbox: sending %s failed (attempt %s): %s", row.key, row.attempts, error)
        ours.update(
            claim_token=None,
            claimed_until=None,
            last_error=f"{type(error).__name__}: {error}"[:_ERROR_MAX],
            next_attempt_at=timezone.now() + retry_delay(row.attempts),
        )
        return "failed"
    # Only now, after the mail server took it. A worker killed right here leaves the row
    # claimed; once the lease runs out it is sent again (see the module docstring).
    ours.update(sent_at=timezone.now(), channel=Channel.EMAIL, claim_token=None, claimed_until=None, last_error="")
    return "sent"


def outbox_deliver_pending(*, limit: int | None = None, batch: int = 100) -> int:
    """Claims and delivers available rows in this process until none is left (or LIMIT
    rows were tried): what `manage.py sweep_reminders` and the tests use instead of a worker.
    Returns how many were sent."""
    sent = tried = 0
    while limit is None or tried < limit:
        token, ids = outbox_claim(limit=batch if limit is None else min(batch, limit - tried))
        if not ids:
            break
        for outbox_id in ids:
            sent += outbox_deliver(outbox_id=outbox_id, token=token) == "sent"
        tried += len(ids)
    return sent


def outbox_retry(*, ids: Iterable[int]) -> int:
    """Gives rows that failed too often (or were stuck) a fresh start: the admin's action."""
    return Outbox.objects.filter(pk__in=list(ids), sent_at__isnull=True).update(
        attempts=0, next_attempt_at=timezone.now(), claimed_until=None, claim_token=None
    )


# --------------------------------------------------------------------------- events


def after_commit(task, *args) -> None:
    """Queues TASK once the transaction commits. A broker that is away (Redis down) loses
    nothing: what the task would do is in the database, and the dispatcher that beat runs
    every minute does it then."""

    def enqueue():
        try:
            task.delay(*args)
        except Exception as error:  # noqa: BLE001 - kombu raises several kinds; all mean "later"
            logger.warning("outbox: could not queue %s (%s); the next dispatch does it", task.name, error)

    transaction.on_commit(enqueue)


def event_record(*, name: str, procurement_id: int, municipality_ids: Iterable[int] = ()) -> Event:
    """Records, inside the caller's transaction, that people are to be told about NAME; the
    people and the messages are worked out after the commit (event_expand)."""
    from .tasks import event_expand_task

    event = Event.objects.create(name=name, procurement_id=procurement_id, municipality_ids=sorted(set(municipality_ids)))
    after_commit(event_expand_task, event.pk)
    return event


def event_expand(*, event_id: int) -> list[int]:
    """One outbox row per person for the event, once: a second call (a retried task, the
    dispatcher finding it late) finds it expanded, or records the same keys again."""
    from procurement.notifications import event_messages

    with transaction.atomic():
        event = Event.objects.select_for_update(skip_locked=True).filter(pk=event_id, expanded_at__isnull=True).first()
        if event is None:
            return []
        created = outbox_add(event_messages(event))
        Event.objects.filter(pk=event.pk).update(expanded_at=timezone.now())
    return created


def events_expand_stale(*, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Expands events whose own task never ran (the broker was away at the commit)."""
    stale = Event.objects.filter(expanded_at__isnull=True, created_at__lte=timezone.now() - older_than)
    ids = list(stale.order_by("created_at").values_list("id", flat=True)[:500])
    return sum(1 for event_id in ids if event_expand(event_id=event_id))
