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
