"""`make bench`: how the main pages grow with the data, and how far each is from the floor.

What it does
  1. Creates a throw-away test database: in-memory SQLite, or DATABASE_URL's server with
     Django's test_ prefix.
  2. Builds data through the services (benchmarks/build.py): 3 collaborations of 7
     municipalities, then 10 procurements spread over the phases, with deliverables in
     several versions, signatures (some voided), award notices, deadlines and the audit
     entries all of that writes; measures; grows to 1 000 procurements; measures again.
  3. Measures four pages (the dashboard, one procurement page, "my tasks" and that
     procurement's history page) for two users: the coordinator of the first collaboration
     and the chief executive of its last municipality.

How to read the table
  bytes@N       size of the response with N procurements
  q@10, q@1000  queries of one request, as the measured requests make them (the page kept
                since the last change: procurement.page_cache); equal means the page does
                not grow with the data
  d@10, d@1000  queries of one request that draws the page anew (both caches emptied
                first); equal here too
  ms, floor     median server time at the largest size of the page and of its floor: a
                minimal Django view (benchmarks/urls.py) with the login check, the same
                middleware and a template rendering the same number of bytes, its requests
                alternated with the page's so that load on the machine hits both alike
  x@10, x@1000  page time / floor time: the figure to compare between runs and machines
  cold          x@1000 again with the page cache and the verdict cache (procurement.verdicts)
                emptied before every request: what the first look after a change costs;
                the measured requests repeat, so x@10 and x@1000 are served from the kept
                pages as to people who look again before anything changed
  ok            "yes" when both query counts are equal and x@1000 is at most 5 (the targets)

Times are medians of BENCH_ROUNDS requests (default 21) after two warm-up requests;
BENCH_SIZES="10,1000" sets the sizes. Building the thousand through the services takes most
of the run (progress is printed). Notifications are queued to an in-memory broker nobody
reads instead of being sent, as with no worker running. This is not a test: nothing here
asserts a time.
"""
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks import build  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from municipalities.roles import Role  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,1000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
RATIO_TARGET = 5.0


@dataclass
class Measurement:
    size: int
    bytes: int
    queries: int
    drawn_queries: int
    page_ms: float
    floor_ms: float
    cold_ms: float

    @property
    def ratio(self) -> float:
        return self.page_ms / self.floor_ms

    @property
    def cold_ratio(self) -> float:
        return self.cold_ms / self.floor_ms


def _timed(client: Client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed, len(response.content)


def measure(client: Client, url: str, size: int) -> Measurement:
    for _ in range(2):
        _elapsed, length = _timed(client, url)
    floor_url = reverse("bench_floor", args=[length])
    for _ in range(2):
        _elapsed, floor_length = _timed(client, floor_url)
    if floor_length != length:
        raise RuntimeError(f"the floor rendered {floor_length} bytes for {length}")
    with CaptureQueriesContext(connection) as queries:
        _timed(client, url)
    count = len(queries)  # now: the next request empties the log this reads
    _empty_caches()
    with CaptureQueriesContext(connection) as queries:
        _timed(client, url)
    drawn = len(queries)
    page, floor, cold = [], [], []
    for n in range(ROUNDS):
        # Alternate which goes first, so neither always runs on a cache the other warmed.
        pair = ((url, page), (floor_url, floor)) if n % 2 == 0 else ((floor_url, floor), (url, page))
        for address, times in pair:
            times.append(_timed(client, address)[0])
    for _ in range(max(ROUNDS // 3, 1)):
        _empty_caches()
        cold.append(_timed(client, url)[0])
    return Measurement(
        size, length, count, drawn, statistics.median(page) * 1000, statistics.median(floor) * 1000, statistics.median(cold) * 1000
    )


def _empty_caches() -> None:
    caches["judgements"].clear()
    caches["pages"].clear()


def quiet_notifications() -> None:
    """Services queue their e-mails on commit; here they go to a broker in memory."""
    celery_app.conf.update(task_always_eager=False, broker_url="memory://", broker_transport_options={})


def drop_queued_notifications() -> None:
    celery_app.control.purge()


def grow(crews, have: int, size: int, built: dict) -> None:
    started = time.perf_counter()
    for serial in range(have, size):
        built[serial] = build.procurement_build(crews, serial)
        done = serial + 1 - have
        if done % 50 == 0 or serial + 1 == size:
            drop_queued_notifications()
            elapsed = time.perf_counter() - started
            left = elapsed / done * (size - serial - 1)
            print(f"  built {serial + 1:>5}/{size}  {elapsed:6.0f} s, about {left:4.0f} s left", flush=True)


def run() -> None:
    print("Collaborations, municipalities and people ...", flush=True)
    crews = [build.crew_build(n) for n in range(3)]
    first = crews[0]
    users = {
        "coordinator": first.coordinator,
        "chief executive": first.person(Role.CHIEF_EXECUTIVE, first.municipalities[-1]),
    }
    built: dict = {}
    results: dict[tuple[str, str], list[Measurement]] = {}
    have = 0
    for size in SIZES:
        print(f"Procurements {have} -> {size} through the services ...", flush=True)
        grow(crews, have, size, built)
        have = size
        watched = built[1]  # the data processing agreement half signed, in the first collaboration
        pages = {
            "dashboard": reverse("dashboard"),
            "procurement page": reverse("procurement_detail", args=[watched.pk]),
            "my tasks": reverse("my_tasks"),
            "history page": reverse("procurement_history", args=[watched.pk]),
        }
        print(f"Measuring at {size} ({ROUNDS} rounds) ...", flush=True)
        for who, user in users.items():
            client = Client()
            client.force_login(user)
            for page, url in pages.items():
                results.setdefault((page, who), []).append(measure(client, url, size))
    report(results)


def report(results: dict[tuple[str, str], list[Measurement]]) -> None:
    small, large = SIZES[0], SIZES[-1]
    print()
    header = (
        f"{'page':<17} {'user':<16} {f'bytes@{small}':>9} {f'bytes@{large}':>10} {f'q@{small}':>6} {f'q@{large}':>7} "
        f"{f'd@{small}':>6} {f'd@{large}':>7} "
        f"{'ms':>7} {'floor':>6} {f'x@{small}':>6} {f'x@{large}':>7} {'cold':>6}  ok"
    )
    print(header)
    print("-" * len(header))
    met = 0
    for (page, who), (first, *_rest, last) in results.items():
        ok = first.queries == last.queries and first.drawn_queries == last.drawn_queries and last.ratio <= RATIO_TARGET
        met += ok
        print(
            f"{page:<17} {who:<16} {first.bytes:>9} {last.bytes:>10} {first.queries:>6} {last.queries:>7} "
            f"{first.drawn_queries:>6} {last.drawn_queries:>7} "
            f"{last.page_ms:>7.1f} {last.floor_ms:>6.1f} {first.ratio:>6.1f} {last.ratio:>7.1f} {last.cold_ratio:>6.1f}"
            f"  {'yes' if ok else 'NO'}"
        )
    print()
    print(f"Targets (queries equal at {small} and {large}, at most {RATIO_TARGET:g}x the floor at {large}): {met} of {len(results)} met.")


def main() -> None:
    if len(SIZES) < 2:
        raise SystemExit("BENCH_SIZES needs two sizes or more, e.g. 10,1000")
    quiet_notifications()
    media = tempfile.mkdtemp(prefix="bench-uploads-")
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        # Not setup_test_environment(): it instruments every template rendering for the
        # test client, which would charge each include of the real pages and not the floor.
        with override_settings(ROOT_URLCONF="benchmarks.urls", MEDIA_ROOT=media, ALLOWED_HOSTS=["testserver"]):
            run()
    finally:
        runner.teardown_databases(old)
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
