"""Prints how many queries and how much time the dashboard, "my tasks" and the procurement
page take as the number of procurements grows. Run: `make bench` (a throw-away SQLite
database under var/bench, or DATABASE_URL's server with a test_ prefix)."""
import os
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.no import orgnr  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "5,50,200").split(",")]


def valid_orgnr(prefix: int) -> str:
    base = f"{prefix:08d}"
    return next(base + str(d) for d in range(10) if orgnr.is_valid(base + str(d)))


def build_collaboration():
    from municipalities.models import Body, Municipality, Person, Collaboration
    from municipalities.services import role_assign

    collaboration = Collaboration.objects.create(name="Benkeregionen")
    municipalities = [
        Municipality.objects.create(collaboration=collaboration, name=f"Kommune {i}", organisation_number=valid_orgnr(91000000 + i * 17), population=1000 + i)
        for i in range(7)
    ]
    suksit = Body.objects.create(collaboration=collaboration, kind="suksit", name="SuksIT")
    coordinator = Person.objects.create(username="bench-koordinator")
    role_assign(actor=None, person=coordinator, role="coordinator", body=suksit)
    member = Person.objects.create(username="bench-medlem")
    role_assign(actor=None, person=member, role="municipal_representative", municipality=municipalities[0], body=suksit)
    return collaboration, municipalities, coordinator, member


def add_procurements(count, municipalities, coordinator, member):
    from procurement.services.intake import invitations_send, procurement_report

    deadline = timezone.localdate() + timedelta(days=14)
    for i in range(count):
        procurement = procurement_report(
            user=member, municipality=municipalities[0], title=f"Anskaffelse {i}", kind="replace",
            description="Behov", funding="action_plan",
        )
        invitations_send(user=coordinator, procurement=procurement, municipalities=municipalities[1:], answer_deadline=deadline)


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), elapsed


def main():
    from django.test import Client

    from procurement.models import Procurement

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        collaboration, municipalities, coordinator, member = build_collaboration()
        client = Client()
        client.force_login(coordinator)
        have = 0
        print(f"{'procurements':>12} {'page':<22} {'queries':>7} {'ms':>8}")
        for size in SIZES:
            add_procurements(size - have, municipalities, coordinator, member)
            have = size
            first = Procurement.objects.order_by("pk").first()
            for name, url in (("dashboard", "/"), ("my tasks", "/mine-oppgaver/"), ("procurement page", f"/anskaffelser/{first.pk}/")):
                count, elapsed = measure(client, url)
                print(f"{size:>12} {name:<22} {count:>7} {elapsed * 1000:>8.1f}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
