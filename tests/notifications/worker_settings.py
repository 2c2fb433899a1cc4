"""Settings for the real worker process that tests/notifications/test_worker_killed.py starts
and kills: the test settings, the test's own database and queue (from the environment), a
mail backend that hangs, and a short lease so the test need not wait five minutes."""
import os

from config.settings.test import *  # noqa: F401,F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["TEST_WORKER_DATABASE"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_WORKER_QUEUE"]
EMAIL_BACKEND = "tests.notifications.backends.HangingBackend"
OUTBOX_LEASE_SECONDS = int(os.environ.get("TEST_WORKER_LEASE", "3"))
