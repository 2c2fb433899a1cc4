"""Kinds of deadline with their own reminder offsets (settings.REMINDER_OFFSETS_BY_KIND): a
contract that runs out is first reminded five months (150 days) ahead, then at the usual
steps, each once; an ordinary deadline as far ahead is not reminded yet. A derived deadline
set again by its rule (procurement.services.deadlines.rule_deadline_set) moves, and its
reminders follow the new date."""
from datetime import timedelta

import pytest
from django.utils import timezone

from municipalities.roles import Role
from notifications.models import Event, Outbox
from notifications.reminders import Sweep, offset_reached, reminder_offsets, reminders_sweep
from procurement import phases
from procurement.models import Deadline, DeadlineKind
from procurement.services.deadlines import rule_deadline_set
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CONTRACT_MANAGEMENT)
    Event.objects.update(expanded_at=timezone.now())
    return world, procurement


def _set(procurement, kind, days, key=""):
    return rule_deadline_set(
        procurement=procurement, kind=kind, rule="contract_terms", key=key, title=f"{kind} {key}".strip(),
        due_date=procurement.collaboration.today() + timedelta(days=days),
    )


def _reminded(deadline):
    return sorted(Outbox.objects.filter(key__startswith=f"deadline:{deadline.pk}:").values_list("key", flat=True))


@pytest.mark.parametrize(("days", "offset"), [(151, None), (150, 150), (100, 150), (60, 60), (45, 60), (30, 30), (7, 7), (0, 0), (-1, -1)])
def test_the_contract_offsets(days, offset):
    offsets = Sweep(now=timezone.now(), offsets=reminder_offsets()).kind_offsets["contract_expiry"]
    today = timezone.localdate()
    assert offset_reached(today + timedelta(days=days), today, offsets) == offset


def test_a_contracts_end_is_reminded_five_months_ahead_and_an_ordinary_deadline_is_not(contract):
    world, procurement = contract
    expiry = _set(procurement, DeadlineKind.CONTRACT_EXPIRY, 140)
    other = Deadline.objects.create(
        procurement=procurement, kind=DeadlineKind.OTHER, title="Vanlig frist", due_date=expiry.due_date
    )
    reminders_sweep()
    reminders_sweep()
    keys = _reminded(expiry)
    assert keys == [f"deadline:{expiry.pk}:150:{expiry.due_date.isoformat()}:{world.coordinator.pk}"]
    assert not _reminded(other)
    assert Outbox.objects.get(key=keys[0]).kind == "reminder:contract_expiry"


def test_a_moved_option_date_is_reminded_again_for_its_new_date(contract):
    world, procurement = contract
    first = _set(procurement, DeadlineKind.CONTRACT_OPTION, 20, key="opsjon-1")
    second = _set(procurement, DeadlineKind.CONTRACT_OPTION, 200, key="opsjon-2")
    assert first.pk != second.pk
    reminders_sweep()
    assert len(_reminded(first)) == 1 and not _reminded(second)
    moved = _set(procurement, DeadlineKind.CONTRACT_OPTION, 50, key="opsjon-1")
    assert moved.pk == first.pk and Deadline.objects.filter(kind=DeadlineKind.CONTRACT_OPTION).count() == 2
    reminders_sweep()
    assert [key.split(":")[2:4] for key in _reminded(first)] == [
        ["30", (procurement.collaboration.today() + timedelta(days=20)).isoformat()],
        ["60", moved.due_date.isoformat()],
    ]
    assert rule_deadline_set(procurement=procurement, kind=DeadlineKind.CONTRACT_OPTION, rule="contract_terms", key="opsjon-2", due_date=None) is None
    assert list(Deadline.objects.filter(kind=DeadlineKind.CONTRACT_OPTION).values_list("pk", flat=True)) == [first.pk]


def test_the_general_manager_who_signs_contracts_is_reminded_of_their_dates_too(contract, person_with_role):
    world, procurement = contract
    manager = person_with_role(Role.GENERAL_MANAGER, body=BodyFactory(collaboration=world.collaboration, kind="secretariat"))
    expiry = _set(procurement, DeadlineKind.CONTRACT_EXPIRY, 140)
    reminders_sweep()
    recipients = {int(key.rsplit(":", 1)[1]) for key in _reminded(expiry)}
    assert recipients == {world.coordinator.pk, manager.pk}
