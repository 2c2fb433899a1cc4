"""A holiday declared in one process counts in the next request or task of every other: the
calendar each process keeps in memory is checked against the declared days once per request
or task (one small query at its first holiday lookup), never once per calculation.

"Another process" is simulated honestly: the day is written to the database the way another
process's save reaches this one, as a row only, so this process's calendar is left as it was;
the test then shows the old answer is still cached, and that the next request or task sees
the new day."""
from datetime import date

import pytest
from celery.signals import task_prerun
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement import deadlines
from procurement.models import DeclaredHoliday
from procurement.services.holidays import declared_holidays_read

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2030, 6, 12)
THURSDAY = date(2030, 6, 13)


@pytest.fixture(autouse=True)
def loaded_from_the_database():
    """As in a running process (the tests switch the autoload off): the calendar reads the
    declared days from the database."""
    deadlines.declared_holidays_loader(declared_holidays_read)
    yield
    deadlines.declared_holidays_loader(None)
    deadlines.declared_holidays_use({})


def _declared_elsewhere(day):
    DeclaredHoliday.objects.create(country="NO", day=day, name="Ekstra fridag", source="Kongelig resolusjon (test)")


def test_without_a_new_request_the_process_keeps_its_calendar():
    assert deadlines.add_working_days(date(2030, 6, 11), 1, "NO") == WEDNESDAY
    _declared_elsewhere(WEDNESDAY)
    # Nothing told this process: it still answers from memory (the cache is real).
    assert deadlines.add_working_days(date(2030, 6, 11), 1, "NO") == WEDNESDAY


def test_the_next_request_in_this_process_counts_a_day_declared_in_another(client):
    assert deadlines.add_working_days(date(2030, 6, 11), 1, "NO") == WEDNESDAY
    _declared_elsewhere(WEDNESDAY)
    client.get("/healthz/")  # a request begins
    assert deadlines.add_working_days(date(2030, 6, 11), 1, "NO") == THURSDAY
    DeclaredHoliday.objects.filter(day=WEDNESDAY).delete()
    client.get("/healthz/")
    assert deadlines.add_working_days(date(2030, 6, 11), 1, "NO") == WEDNESDAY


def test_the_next_task_of_a_worker_counts_it_too():
    assert deadlines.is_working_day(WEDNESDAY, "NO")
    _declared_elsewhere(WEDNESDAY)
    task_prerun.send(sender=None, task_id="t", task=None, args=(), kwargs={})
    assert not deadlines.is_working_day(WEDNESDAY, "NO")


def test_a_request_checks_once_and_many_calculations_cost_no_more(client):
    deadlines.is_working_day(WEDNESDAY, "NO")
    client.get("/healthz/")
    with CaptureQueriesContext(connection) as queries:
        for offset in range(1, 60):
            deadlines.add_working_days(date(2030, 1, 1), offset, "NO")
    holiday_queries = [q for q in queries.captured_queries if DeclaredHoliday._meta.db_table in q["sql"]]
    assert len(holiday_queries) == 1
    with CaptureQueriesContext(connection) as queries:
        deadlines.add_working_days(date(2030, 1, 1), 30, "NO")
    assert queries.captured_queries == []
