"""Mail backends for the outbox tests. FlakyBackend is the in-memory backend of the test
settings (sent mail lands in django.core.mail.outbox) that first fails for the addresses
in FAIL, as many times as FAIL says, like an SMTP server refusing a connection."""
import threading
import time

from django.core.mail.backends.locmem import EmailBackend

FAIL: dict[str, int] = {}  # address -> how many more sends fail
DELAY = {"seconds": 0.0}  # each send takes this long (two workers overlap)
_lock = threading.Lock()


def reset():
    FAIL.clear()
    DELAY["seconds"] = 0.0


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            with _lock:
                for address in message.to:
                    if FAIL.get(address, 0) > 0:
                        FAIL[address] -= 1
                        raise ConnectionRefusedError(111, f"Connection refused (test) for {address}")
            if DELAY["seconds"]:
                time.sleep(DELAY["seconds"])
        return super().send_messages(messages)


class HangingBackend(EmailBackend):
    """For a worker process the test kills: writes one line per message to the file named by
    HANG_LOG ("connected <Message-ID>" when it starts, "accepted <Message-ID>" when the
    server took it, if HANG_AFTER_ACCEPT is set), then hangs until killed. Before the accept
    it is a mail server that never answered; after it, one that answered and then the worker
    died before it could mark the row."""

    def send_messages(self, messages):
        import os
        from pathlib import Path

        log = Path(os.environ["HANG_LOG"])
        for message in messages:
            message_id = message.extra_headers.get("Message-ID", "")
            with log.open("a") as handle:
                handle.write(f"connected {message_id}\n")
                if os.environ.get("HANG_AFTER_ACCEPT"):
                    handle.write(f"accepted {message_id}\n")
            time.sleep(600)
        return len(messages)
