"""A real Celery worker for the tests that need one (not eager), against the configured
broker: kombu's filesystem transport by default, Redis when REDIS_URL is set."""
import uuid
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def live_worker():
    """A real worker in a thread for the project's Celery app, not eager, consuming a queue
    of its own so that no other worker on the same broker (someone's `make run`) can take
    this test's messages. Yields the app."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        path = (app.conf.broker_transport_options or {}).get(folder)
        if path:
            Path(path).mkdir(parents=True, exist_ok=True)
    keys = ("task_always_eager", "task_default_queue", "worker_hijack_root_logger", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.task_always_eager = False
    # Poll the broker often so that the worker picks the task up and stops quickly.
    app.conf.broker_transport_options = {**(app.conf.broker_transport_options or {}), "polling_interval": 0.1}
    app.conf.task_default_queue = f"test-{uuid.uuid4().hex[:12]}"
    app.conf.worker_hijack_root_logger = False  # keep pytest's log capture alive
    queue = app.conf.task_default_queue
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)
        # Leave no binding behind on the broker: kombu forgets bindings it did not declare on
        # this channel, so declare, then delete; the filesystem transport keeps a file.
        with app.connection_for_write() as connection:
            bound = app.amqp.queues[queue](connection.default_channel)
            bound.declare()
            bound.delete()
        control = (app.conf.broker_transport_options or {}).get("control_folder")
        if control:
            (Path(control) / f"{queue}.exchange").unlink(missing_ok=True)
