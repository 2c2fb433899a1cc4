"""A network's joining rounds and work packages (procurement.services.network): who is
reminded of each derived deadline, the refusal after a round's deadline, the prices, the
states of a work package, the deadlines moving with their round or package and ending when
the package is delivered, each reminder once, the page's queries and its form errors."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from municipalities.roles import Role
from notifications.models import Outbox
from notifications.reminders import reminders_sweep
from procurement import phases
from procurement.extensions import deadline_rule_recipients, tasks_for
from procurement.models import Deadline, DeadlineKind, Joining, WorkPackage, WorkPackageState
from procurement.services.network import (
    JOINING_RULE,
    WORK_PACKAGE_RULE,
    DeadlinePassed,
    joining_record,
    joining_round_save,
    work_package_deliver,
    work_package_save,
    work_package_take,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(make_collaboration, make_procurement):
    world = make_collaboration(3)
    first, second, third = world.municipalities
    procurement = make_procurement(world, joined=[first, second], declined=[third], phase=phases.NEEDS, title="Borgerkontakt")
    return world, procurement


def _today(procurement):
    return procurement.collaboration.today()


def _round(world, procurement, days=10, name="Udbudsnetværket", **kwargs):
    kwargs.setdefault("price", Decimal(40000))
    return joining_round_save(
        user=world.coordinator, procurement=procurement, name=name, deadline=_today(procurement) + timedelta(days=days), **kwargs
    )


def _join(user, procurement, round, municipality, **kwargs):
    kwargs.setdefault("joined_on", _today(procurement))
    kwargs.setdefault("agreement", "Tilslutningsaftale j.nr. 1")
    return joining_record(user=user, procurement=procurement, round_id=round.pk, municipality_id=municipality.pk, **kwargs)


def _deadline(rule, key):
    return Deadline.objects.filter(rule=rule, rule_inputs__key=str(key))


def _recipients(deadline):
    return deadline_rule_recipients([(deadline.pk, deadline.rule, deadline.rule_inputs)]).get(deadline.pk, set())


# ---- joining rounds -------------------------------------------------------------------


def test_a_rounds_deadline_is_derived_and_moves_with_it(network):
    world, procurement = network
    round = _round(world, procurement, days=10)
    deadline = _deadline(JOINING_RULE, round.pk).get()
    assert (deadline.kind, deadline.due_date) == (DeadlineKind.JOINING, round.deadline)
    joining_round_save(user=world.coordinator, procurement=procurement, round_id=round.pk, name=round.name,
                       deadline=round.deadline + timedelta(days=5), price=round.price)
    moved = _deadline(JOINING_RULE, round.pk).get()
    assert moved.pk == deadline.pk and moved.due_date == round.deadline + timedelta(days=5)
    assert AuditEntry.objects.filter(action="joining_round.saved").count() == 2


@pytest.mark.parametrize(
    ("who", "reminded"),
    [
        ("coordinator", True),
        ("chief_executive:second", True),  # not joined yet
        ("municipal_representative:second", True),
        ("chief_executive:third", True),  # a member that declined the procurement may still join the network
        ("chief_executive:first", False),  # joined
        ("municipal_representative:first", False),
        ("user_representative:second", False),  # does not answer for the municipality
    ],
)
def test_who_is_reminded_of_a_joining_deadline(network, who, reminded):
    world, procurement = network
    first, second, third = world.municipalities
    round = _round(world, procurement)
    _join(world.representative(first), procurement, round, first)
    role, _, which = who.partition(":")
    person = world.coordinator if role == "coordinator" else world.people[(role, {"first": first, "second": second, "third": third}[which].pk)]
    assert (person.pk in _recipients(_deadline(JOINING_RULE, round.pk).get())) is reminded


def test_nobody_is_reminded_once_the_round_has_closed(network):
    world, procurement = network
    round = _round(world, procurement, days=3)
    deadline = _deadline(JOINING_RULE, round.pk).get()
    Deadline.objects.filter(pk=deadline.pk).update(due_date=_today(procurement) - timedelta(days=1))
    assert _recipients(deadline) == set()


@pytest.mark.parametrize(
    ("role", "for_", "allowed"),
    [
        (Role.CHIEF_EXECUTIVE, "own", True),
        (Role.MUNICIPAL_REPRESENTATIVE, "own", True),
        (Role.USER_REPRESENTATIVE, "own", False),
        (Role.CHIEF_EXECUTIVE, "neighbour", False),
        ("coordinator", "own", True),
    ],
)
def test_who_may_record_a_joining(network, role, for_, allowed):
    world, procurement = network
    first, second, _third = world.municipalities
    round = _round(world, procurement)
    person = world.coordinator if role == "coordinator" else world.people[(role, (second if for_ == "own" else first).pk)]
    if allowed:
        _join(person, procurement, round, second)
        assert Joining.objects.filter(round=round, municipality=second).exists()
    else:
        with pytest.raises(PermissionDenied):
            _join(person, procurement, round, second)
        assert not Joining.objects.exists()
        assert AuditEntry.objects.filter(action="joining.refused", actor=person).exists()


def test_joining_after_the_deadline_is_refused_and_audited(network):
    world, procurement = network
    second = world.municipalities[1]
    round = _round(world, procurement, days=2)
    round.deadline = _today(procurement) - timedelta(days=1)
    round.save(update_fields=["deadline"])
    with pytest.raises(DeadlinePassed, match="Fristen for tilslutning"):
        _join(world.chief_executive(second), procurement, round, second, joined_on=round.deadline)
    assert not Joining.objects.exists()
    entry = AuditEntry.objects.get(action="joining.refused")
    assert entry.procurement_id == procurement.pk and "Avvist" in entry.message


def test_a_municipality_that_missed_the_first_round_pays_the_higher_price(network):
    world, procurement = network
    first, second, _third = world.municipalities
    specification = _round(world, procurement, days=5, name="Kravspecifikationsnetværket", price=Decimal(25000))
    tender = _round(world, procurement, days=30, price=Decimal(40000), late_price=Decimal(55000))
    _join(world.coordinator, procurement, specification, first)
    assert _join(world.coordinator, procurement, tender, first).price == Decimal(40000)
    assert _join(world.coordinator, procurement, tender, second).price == Decimal(55000)
    with pytest.raises(ValidationError):
        _join(world.coordinator, procurement, tender, second)  # twice


# ---- work packages --------------------------------------------------------------------


def _package(world, procurement, days=10, **kwargs):
    kwargs.setdefault("payment", Decimal(30000))
    return work_package_save(user=world.coordinator, procurement=procurement, title="Arbejdsgange for borgerkontakt",
                             due_date=_today(procurement) + timedelta(days=days), **kwargs)


def test_a_work_package_goes_open_taken_delivered_and_its_deadline_ends(network):
    world, procurement = network
    first, second, third = world.municipalities
    package = _package(world, procurement)
    deadline = _deadline(WORK_PACKAGE_RULE, package.pk).get()
    assert (deadline.kind, deadline.due_date) == (DeadlineKind.WORK_PACKAGE, package.due_date)
    assert _recipients(deadline) == {world.coordinator.pk}
    with pytest.raises(ValidationError):
        work_package_deliver(user=world.coordinator, procurement=procurement, package_id=package.pk)  # nobody took it
    with pytest.raises(ValidationError):
        work_package_take(user=world.coordinator, procurement=procurement, package_id=package.pk, municipality_id=third.pk)  # declined
    work_package_take(user=world.representative(second), procurement=procurement, package_id=package.pk, municipality_id=second.pk)
    assert WorkPackage.objects.get(pk=package.pk).state == WorkPackageState.TAKEN
    assert _recipients(deadline) == {world.coordinator.pk, world.representative(second).pk, world.user_representative(second).pk}
    with pytest.raises(ValidationError):
        work_package_take(user=world.representative(first), procurement=procurement, package_id=package.pk, municipality_id=first.pk)
    with pytest.raises(PermissionDenied):
        work_package_deliver(user=world.representative(first), procurement=procurement, package_id=package.pk)
    # A moved date moves the deadline.
    work_package_save(user=world.coordinator, procurement=procurement, package_id=package.pk, title=package.title,
                      payment=package.payment, due_date=package.due_date + timedelta(days=3))
    assert _deadline(WORK_PACKAGE_RULE, package.pk).get().due_date == package.due_date + timedelta(days=3)
    work_package_deliver(user=world.representative(second), procurement=procurement, package_id=package.pk)
    assert WorkPackage.objects.get(pk=package.pk).state == WorkPackageState.DELIVERED
    assert _deadline(WORK_PACKAGE_RULE, package.pk).get().done_at is not None
    work_package_deliver(user=world.representative(second), procurement=procurement, package_id=package.pk)  # again: nothing
    assert AuditEntry.objects.filter(action="work_package.delivered").count() == 1


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-5", "1e5", "12,5", "abc", "9" * 20])
def test_a_hostile_payment_is_a_form_error(client, network, text):
    world, procurement = network
    client.force_login(world.coordinator)
    response = client.post(
        reverse("work_package_add", args=[procurement.pk]),
        {"package-new-title": "X", "package-new-payment": text, "package-new-due_date": (_today(procurement) + timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert 'id="id_package-new-payment_error"' in response.content.decode()
    assert not WorkPackage.objects.exists()


def test_the_service_refuses_what_the_form_would(network):
    world, procurement = network
    for payment in (Decimal("NaN"), Decimal("Infinity"), Decimal(-1), "1.5"):
        with pytest.raises(ValidationError) as caught:
            _package(world, procurement, payment=payment)
        assert "payment" in caught.value.error_dict


def test_an_id_of_another_procurement_is_404(client, network, make_procurement):
    world, procurement = network
    other = make_procurement(world, joined=world.municipalities[:2], title="Annen")
    round = _round(world, other)
    package = _package(world, other)
    client.force_login(world.coordinator)
    assert client.post(reverse("joining_round_edit", args=[procurement.pk, round.pk]), {}).status_code == 404
    assert client.post(reverse("joining_record", args=[procurement.pk, round.pk]), {}).status_code == 404
    assert client.post(reverse("work_package_take", args=[procurement.pk, package.pk]), {}).status_code == 404
    assert client.post(reverse("work_package_deliver", args=[procurement.pk, package.pk]), {}).status_code == 404
    response = client.post(reverse("joining_record", args=[other.pk, round.pk]), {f"join-{round.pk}-municipality": "x' or 1=1"})
    assert response.status_code == 400


# ---- reminders, tasks, the page ---------------------------------------------------------


def test_each_reminder_is_sent_once(network):
    world, procurement = network
    first, second, _third = world.municipalities
    round = _round(world, procurement, days=7)
    _join(world.coordinator, procurement, round, first)
    package = _package(world, procurement, days=1)
    work_package_take(user=world.representative(second), procurement=procurement, package_id=package.pk, municipality_id=second.pk)
    reminders_sweep()
    reminders_sweep()
    joining = _deadline(JOINING_RULE, round.pk).get()
    keys = list(Outbox.objects.filter(key__startswith=f"deadline:{joining.pk}:").values_list("recipient_id", flat=True))
    assert sorted(keys) == sorted({world.coordinator.pk} | {world.people[(r, m.pk)].pk for m in world.municipalities[1:]
                                                           for r in (Role.CHIEF_EXECUTIVE, Role.MUNICIPAL_REPRESENTATIVE)})
    work = _deadline(WORK_PACKAGE_RULE, package.pk).get()
    assert sorted(Outbox.objects.filter(key__startswith=f"deadline:{work.pk}:1:").values_list("recipient_id", flat=True)) == sorted(
        [world.coordinator.pk, world.representative(second).pk, world.user_representative(second).pk]
    )


def test_tasks_to_join_and_to_deliver(network):
    world, procurement = network
    first, second, _third = world.municipalities
    round = _round(world, procurement)
    package = _package(world, procurement)
    work_package_take(user=world.coordinator, procurement=procurement, package_id=package.pk, municipality_id=second.pk)
    assert [t.kind for t in tasks_for(world.chief_executive(first)) if t.kind in ("join", "work_package")] == ["join"]
    _join(world.chief_executive(first), procurement, round, first)
    assert not [t for t in tasks_for(world.chief_executive(first)) if t.kind == "join"]
    assert [t.title for t in tasks_for(world.representative(second)) if t.kind == "work_package"] == [
        "Lever arbeidspakken «Arbejdsgange for borgerkontakt»"
    ]


def _page_queries(client, procurement) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("procurement_network", args=[procurement.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", Role.CHIEF_EXECUTIVE])
def test_the_page_costs_the_same_for_2_and_20_rows(client, network, role):
    world, procurement = network
    first, second, _third = world.municipalities
    person = world.coordinator if role == "coordinator" else world.chief_executive(second)
    client.force_login(person)

    def add(n):
        for i in range(n):
            round = _round(world, procurement, days=10 + i, name=f"Runde {len(procurement.joining_rounds.all())}")
            _join(world.coordinator, procurement, round, first)
            package = _package(world, procurement, days=5 + i)
            if i % 2:
                work_package_take(user=world.coordinator, procurement=procurement, package_id=package.pk, municipality_id=first.pk)

    add(2)
    small, page = _page_queries(client, procurement)
    assert "Runde 1" in page
    add(18)
    large, page = _page_queries(client, procurement)
    assert "Runde 19" in page
    assert small == large, (small, large)


def test_a_closed_case_reminds_nobody_of_its_rounds_and_packages(network):
    from procurement.models import Procurement

    world, procurement = network
    round = _round(world, procurement)
    package = _package(world, procurement)
    work_package_take(user=world.coordinator, procurement=procurement, package_id=package.pk, municipality_id=world.municipalities[0].pk)
    assert _recipients(_deadline(JOINING_RULE, round.pk).get()) and _recipients(_deadline(WORK_PACKAGE_RULE, package.pk).get())
    Procurement.objects.filter(pk=procurement.pk).update(state=phases.CANCELLED, cancel_reason="Ikke lenger aktuelt.")
    assert _recipients(_deadline(JOINING_RULE, round.pk).get()) == set()
    assert _recipients(_deadline(WORK_PACKAGE_RULE, package.pk).get()) == set()
