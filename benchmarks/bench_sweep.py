"""`make bench` (second part): the reminder sweep at 10, 1 000 and 100 000 deadlines.

What it does
  1. Creates a throw-away test database (in-memory SQLite, or DATABASE_URL's server with
     Django's test_ prefix; the issue's figure is for PostgreSQL).
  2. Builds 3 collaborations of 7 municipalities through the services, each with one
     procurement waiting for invitation answers and one started, then writes the deadlines
     in bulk (they are plain rows; the services would take hours for 100 000): half phase
     deadlines, half other deadlines, spread over the procurements.
  3. For each size and two spreads of due dates, runs the sweep twice and prints its time,
     its queries and the reminders it recorded. "all due": every deadline between 14 days
     overdue and 7 days ahead, so each one has a reminder due (the worst case). "a year":
     due dates spread over the coming year and the last month, as in real use.

The second sweep finds every reminder recorded already: it shows what beat's every quarter of
an hour costs once the reminders are out. Targets (the issue): under 10 s and at most 100
queries for 100 000 deadlines on PostgreSQL. BENCH_SWEEP_SIZES="10,1000,100000" sets the
sizes. This is not a test: nothing here asserts.
"""
import os
import random
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import build  # noqa: E402
from benchmarks.bench_pages import quiet_notifications  # noqa: E402
from notifications.models import Outbox  # noqa: E402
from notifications.reminders import reminders_sweep  # noqa: E402
from procurement import phases  # noqa: E402
from procurement.models import Deadline, DeadlineKind  # noqa: E402
from procurement.services.lifecycle import procurement_transition  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SWEEP_SIZES", "10,1000,100000").split(",")]
SPREADS = {"all due": (-14, 7), "a year": (-30, 365)}


def procurements():
    made = []
    for index in range(3):
        crew = build.crew_build(index)
        made.append(build.intake_waiting(crew, 2 * index))
        started = build.intake_ready(crew, 2 * index + 1)
        procurement_transition(user=crew.coordinator, procurement_id=started.pk, transition="start")
        started.refresh_from_db()
        made.append(started)
    return made


def deadlines(cases, size: int, spread: tuple[int, int]) -> None:
    Deadline.objects.exclude(kind=DeadlineKind.INVITATION_ANSWER).delete()
    Outbox.objects.all().delete()
    today = timezone.localdate()
    pick = random.Random(size).randint
    rows = []
    for n in range(size):
        procurement = cases[n % len(cases)]
        phase = procurement.state if procurement.state in phases.PHASES and n % 2 else ""
        rows.append(
            Deadline(
                procurement=procurement,
                kind=DeadlineKind.PHASE if phase else DeadlineKind.OTHER,
                phase=phase,
                title=f"Frist {n + 1}",
                due_date=today + timedelta(days=pick(*spread)),
            )
        )
    Deadline.objects.bulk_create(rows, batch_size=5000)


def sweep() -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        created = reminders_sweep()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), len(created)


def run() -> None:
    print(f"reminder sweep on {connection.vendor}; building the collaborations ...", flush=True)
    cases = procurements()
    print(f"{'deadlines':>10} {'spread':>8} | {'1st: s':>7} {'queries':>7} {'reminders':>9} | {'2nd: s':>7} {'queries':>7} {'new':>4}")
    for size in SIZES:
        for name, spread in SPREADS.items():
            deadlines(cases, size, spread)
            first = sweep()
            second = sweep()
            print(
                f"{size:>10} {name:>8} | {first[0]:>7.2f} {first[1]:>7} {first[2]:>9} | {second[0]:>7.2f} {second[1]:>7} {second[2]:>4}",
                flush=True,
            )


def main() -> None:
    quiet_notifications()
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        run()
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
