"""A public holiday the authorities declare (data: procurement.DeclaredHoliday, through the
admin) moves every running standstill period that ends on or runs over it, in that
country only: the award notice, the case's deadline and its reminders follow, and the audit
log says why. Removing the day moves them back."""
from datetime import timedelta

import pytest
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEntry
from contracts.services import award_notice_send
from notifications.models import Outbox
from notifications.reminders import reminders_sweep
from procurement import deadlines, phases
from procurement.models import Deadline, DeadlineKind, DeclaredHoliday
from procurement.services.holidays import declared_holiday_delete, declared_holiday_save
from tests.factories import CollaborationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar_reset():
    """The calendar is process state; what a test declared must not outlive it."""
    yield
    deadlines.declared_holidays_use({})


def _running(world, make_procurement):
    procurement = make_procurement(world, phase=phases.CONTRACT)
    notice = award_notice_send(user=world.coordinator, procurement=procurement, sent_on=world.collaboration.today())
    return procurement, notice


def _next_working_day(day, country):
    day += timedelta(days=1)
    while not deadlines.is_working_day(day, country):
        day += timedelta(days=1)
    return day


def _declare(day, country="NO", actor=None):
    return declared_holiday_save(
        actor=actor, holiday=DeclaredHoliday(country=country, day=day, name="Ekstra fridag", source="Kongelig resolusjon (test)")
    )


def test_a_declared_last_day_moves_the_standstill_the_deadline_and_its_reminders(make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement, notice = _running(world, make_procurement)
    last_day = notice.standstill_ends_on
    deadline = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.STANDSTILL)
    reminders_sweep(now=None)
    keys_before = set(Outbox.objects.filter(key__startswith=f"deadline:{deadline.pk}:").values_list("key", flat=True))

    holiday = _declare(last_day)
    moved_to = _next_working_day(last_day, "NO")
    notice.refresh_from_db()
    deadline.refresh_from_db()
    assert notice.standstill_ends_on == moved_to == deadline.due_date
    assert AuditEntry.objects.filter(action=Action.DECLARED_HOLIDAY_SAVED).get().data["moved"] == 1
    entry = AuditEntry.objects.get(action=Action.DEADLINE_MOVED_BY_HOLIDAY, procurement=procurement)
    assert f"{moved_to:%d.%m.%Y}" in entry.message and f"{last_day:%d.%m.%Y}" in entry.message
    # A reminder recorded for the old date is not the one for the new date: the key holds it.
    reminders_sweep(now=None)
    for key in set(Outbox.objects.filter(key__startswith=f"deadline:{deadline.pk}:").values_list("key", flat=True)) - keys_before:
        assert moved_to.isoformat() in key

    declared_holiday_delete(actor=None, holiday=holiday)
    notice.refresh_from_db()
    assert notice.standstill_ends_on == last_day
    assert AuditEntry.objects.filter(action=Action.DECLARED_HOLIDAY_DELETED).count() == 1


def test_a_holiday_of_another_country_moves_nothing(make_collaboration, make_procurement):
    CollaborationFactory(name="Indkøbsnetværket", country="DK", time_zone="Europe/Copenhagen")
    danish = make_collaboration(2, name="Indkøbsnetværket")
    _procurement, notice = _running(danish, make_procurement)
    _declare(notice.standstill_ends_on, country="NO")
    notice.refresh_from_db()
    assert notice.standstill_ends_on == deadlines.standstill_last_day(notice.sent_on, notice.standstill_days, "DK")
    assert not AuditEntry.objects.filter(action=Action.DEADLINE_MOVED_BY_HOLIDAY).exists()


def test_the_admin_adds_a_day_through_the_service_and_refuses_a_second_one(client, make_collaboration, make_procurement):
    world = make_collaboration(2)
    _procurement, notice = _running(world, make_procurement)
    admin = PersonFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:procurement_declaredholiday_add")
    data = {"country": "NO", "day": notice.standstill_ends_on.isoformat(), "name": "Ekstra fridag", "source": "Lovdata"}
    last_day = notice.standstill_ends_on
    assert client.post(url, data).status_code == 302
    notice.refresh_from_db()
    assert notice.standstill_ends_on == _next_working_day(last_day, "NO")
    assert AuditEntry.objects.filter(action=Action.DECLARED_HOLIDAY_SAVED, actor=admin).count() == 1
    again = client.post(url, data)
    assert again.status_code == 200 and DeclaredHoliday.objects.count() == 1
