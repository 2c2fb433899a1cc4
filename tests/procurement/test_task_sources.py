"""Issue 6 point 2: "Mine oppgaver" from every app's registered task source
(procurement.extensions.task_source_register). Each source costs the same queries for a
few procurements as for three times as many, and each role finds its work there."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipalities.roles import Role
from procurement import phases
from procurement.extensions import Task, task_source_register, task_sources, tasks_for
from procurement.models import Deadline
from procurement.services.deadlines import deadline_add
from procurement.services.intake import procurement_report

pytestmark = pytest.mark.django_db


def _batch(world, make_procurement, fill_deliverables, meet_conditions):
    """One of each: a need just reported (invitations to send), an intake waiting for an
    answer, a case in the tender documents (requirements to write) with an overdue
    deadline, and a contract whose data processing agreement waits for the chief executives."""
    first, second, third = world.municipalities
    procurement_report(
        user=world.representative(first),
        municipality=first,
        title="Nytt behov uten invitasjoner",
        kind="replace",
        description="Meldt inn i dag.",
        funding="action_plan",
    )
    make_procurement(world, joined=[first, second], unanswered=[third], title="Venter på svar")
    tender = make_procurement(world, phase=phases.TENDER_DOCUMENTS, title="Konkurransegrunnlag")
    deadline = deadline_add(user=world.coordinator, procurement=tender, title="Avklaringsmøte", due_date=timezone.localdate())
    # Three days go by.
    Deadline.objects.filter(pk=deadline.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    contract = make_procurement(world, phase=phases.CONTRACT, title="Kontrakt")
    fill_deliverables(contract)
    meet_conditions(contract)
    # A network's joining round nobody has joined, and a work package the first municipality took.
    from procurement.services.network import joining_round_save, work_package_save, work_package_take

    joining_round_save(user=world.coordinator, procurement=tender, name="Udbudsnetværket", deadline=timezone.localdate() + timedelta(days=9), price=1)
    package = work_package_save(user=world.coordinator, procurement=tender, title="Arbejdsgange", payment=1, due_date=timezone.localdate() + timedelta(days=9))
    work_package_take(user=world.coordinator, procurement=tender, package_id=package.pk, municipality_id=first.pk)


def _queries(people) -> dict[str, tuple[int, int]]:
    """(tasks, queries) per person."""
    found = {}
    for name, person in people.items():
        with CaptureQueriesContext(connection) as captured:
            tasks = tasks_for(person)
        found[name] = (len(tasks), len(captured.captured_queries))
    return found


def test_every_source_costs_the_same_queries_at_both_sizes(make_collaboration, make_procurement, fill_deliverables, meet_conditions, person_with_role):
    world = make_collaboration(3)
    first, _second, third = world.municipalities
    people = {
        "coordinator": world.coordinator,
        "chief executive": world.chief_executive(first),
        "answering chief executive": world.chief_executive(third),
        "user representative": world.user_representative(first),
        "architect": person_with_role(Role.ICT_ARCHITECT, body=world.bodies["shared_it"]),
    }
    _batch(world, make_procurement, fill_deliverables, meet_conditions)
    small = _queries(people)
    for _ in range(2):
        _batch(world, make_procurement, fill_deliverables, meet_conditions)
    large = _queries(people)
    for name in people:
        assert small[name][0] > 0, f"{name} has no task"
        assert large[name][0] == 3 * small[name][0], (name, small[name], large[name])
        assert large[name][1] == small[name][1], f"{name}: {small[name][1]} queries for 4 procurements, {large[name][1]} for 12"

    kinds = {task.kind for task in tasks_for(world.coordinator)}
    assert {"invite", "overdue"} <= kinds
    assert {t.kind for t in tasks_for(world.chief_executive(first))} == {"sign", "join"}
    assert {t.kind for t in tasks_for(world.chief_executive(third))} >= {"answer", "join"}
    assert {t.kind for t in tasks_for(world.user_representative(first))} >= {"requirements", "work_package"}


def test_another_app_registers_a_source_in_one_line(collaboration):
    def evaluation_tasks(*, user):
        return [Task("evaluate", "Vurder tilbudene", "/x/", due=timezone.localdate())]

    before = list(task_sources())
    try:
        task_source_register(evaluation_tasks)
        task_source_register(evaluation_tasks)  # twice is once
        assert task_sources().count(evaluation_tasks) == 1
        assert [t.kind for t in tasks_for(collaboration.coordinator)][:1] == ["evaluate"]  # dated first
    finally:
        from procurement import extensions

        extensions._task_sources[:] = [(s, k) for s, k in extensions._task_sources if s in before]


def test_the_page_lists_the_registered_tasks_with_their_links(client, make_collaboration, make_procurement):
    world = make_collaboration(2)
    first = world.municipalities[0]
    procurement = procurement_report(
        user=world.representative(first), municipality=first, title="Ny løsning", kind="replace", description="x", funding="action_plan"
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("my_tasks")).content.decode()
    assert 'data-kind="invite"' in page
    assert reverse("procurement_invite", args=[procurement.pk]) in page


def test_the_waiting_list_has_pages_of_its_own(client, make_collaboration):
    """'Dette venter på deg' is paged like the other lists (25 a page, ?oppgaver=N), so the
    page does not grow with what a person holds."""
    from django.conf import settings

    from procurement import extensions

    world = make_collaboration(1)
    many = settings.PROCUREMENT_PAGE_SIZE + 5

    def source(*, user):
        return [Task("test", f"Oppgave {n:02d}", "/", None) for n in range(many)] if user == world.coordinator else []

    task_source_register(source)
    try:
        client.force_login(world.coordinator)
        first = client.get(reverse("my_tasks")).content.decode()
        second = client.get(reverse("my_tasks") + "?oppgaver=2").content.decode()
    finally:
        extensions._task_sources[:] = [entry for entry in extensions._task_sources if entry[0] is not source]
    assert first.count('data-kind="test"') == settings.PROCUREMENT_PAGE_SIZE and f"({many})" in first
    assert second.count('data-kind="test"') == 5 and "?oppgaver=1" in second
