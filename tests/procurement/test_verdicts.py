"""The verdict cache (procurement.verdicts) and the revision triggers it is keyed by
(procurement.revisions): any change to what a judgement reads gives a new key, so a cached
verdict is never stale; a verdict read in a transaction that is rolled back is never kept;
the day, the language and the catalogue are in the key. Runs on SQLite and PostgreSQL."""
import datetime

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from municipalities.models import Body, Collaboration, Municipality
from procurement import phases
from procurement.models import ChecklistCheck, ChecklistItemDefinition, Deadline, GateDefinition, Participation, Procurement
from procurement.readiness import readiness_for
from procurement.revisions import sources, triggers_install
from procurement.services.deadlines import deadline_add
from procurement.verdicts import verdict_key, verdict_of, verdicts_for

pytestmark = pytest.mark.django_db


def revision(procurement) -> int:
    return Procurement.objects.values_list("revision", flat=True).get(pk=procurement.pk)


def loaded(procurement) -> Procurement:
    return Procurement.objects.select_related("collaboration").get(pk=procurement.pk)


@pytest.fixture
def cases(make_collaboration, make_procurement):
    """Two cases in one collaboration and one in another."""
    world = make_collaboration(3)
    other = make_collaboration(2)
    first = make_procurement(world, phase=phases.STRATEGY, title="Første")
    second = make_procurement(world, phase=phases.STRATEGY, title="Andre")
    elsewhere = make_procurement(other, phase=phases.STRATEGY, title="Et annet sted")
    return world, other, first, second, elsewhere


def test_the_triggers_cover_every_row_a_judgement_reads():
    tables = {source.table for source in sources()}
    assert {
        "procurement_deliverable", "procurement_signoff", "procurement_participation", "procurement_deadline",
        "procurement_checklistcheck", "contracts_awardnotice", "contracts_complaint",
        "municipalities_municipality", "municipalities_collaboration", "municipalities_body",
    } <= tables
    # Installing again (every migrate does) changes nothing and fails nothing.
    assert triggers_install() == len(sources())


def test_a_row_of_the_case_bumps_its_revision_and_no_other(cases):
    world, _other, first, second, elsewhere = cases
    before = {p.pk: revision(p) for p in (first, second, elsewhere)}
    deadline = Deadline.objects.create(procurement=first, title="Frist", due_date=datetime.date(2027, 1, 4))
    inserted = revision(first)
    deadline.title = "Flyttet frist"
    deadline.save(update_fields=["title"])
    updated = revision(first)
    deadline.delete()
    assert before[first.pk] < inserted < updated < revision(first)
    assert (revision(second), revision(elsewhere)) == (before[second.pk], before[elsewhere.pk])


def test_moving_a_row_to_another_case_bumps_both(cases):
    _world, _other, first, second, _elsewhere = cases
    deadline = Deadline.objects.create(procurement=first, title="Frist", due_date=datetime.date(2027, 1, 4))
    a, b = revision(first), revision(second)
    Deadline.objects.filter(pk=deadline.pk).update(procurement=second)
    assert revision(first) > a and revision(second) > b


def test_a_renamed_municipality_bumps_the_cases_it_takes_part_in(cases):
    world, other, first, second, elsewhere = cases
    before = {p.pk: revision(p) for p in (first, second, elsewhere)}
    Municipality.objects.filter(pk=world.municipalities[1].pk).update(name="Nytt navn")
    assert revision(first) > before[first.pk] and revision(second) > before[second.pk]
    assert revision(elsewhere) == before[elsewhere.pk]


def test_a_changed_collaboration_or_body_bumps_every_case_of_the_collaboration(cases):
    world, _other, first, second, elsewhere = cases
    before = {p.pk: revision(p) for p in (first, second, elsewhere)}
    Collaboration.objects.filter(pk=world.collaboration.pk).update(time_zone="Europe/Copenhagen")
    middle = {p.pk: revision(p) for p in (first, second, elsewhere)}
    Body.objects.filter(pk=next(iter(world.bodies.values())).pk).update(name="Nytt utvalg")
    after = {p.pk: revision(p) for p in (first, second, elsewhere)}
    for p in (first, second):
        assert before[p.pk] < middle[p.pk] < after[p.pk]
    assert before[elsewhere.pk] == middle[elsewhere.pk] == after[elsewhere.pk]


def test_the_services_writes_bump_the_revision(cases, manager_of, fill_deliverables):
    _world, _other, first, _second, _elsewhere = cases
    steps = [revision(first)]
    fill_deliverables(first)
    steps.append(revision(first))
    deadline_add(user=manager_of(first), procurement=first, title="Møte", due_date=timezone.localdate())
    steps.append(revision(first))
    Participation.objects.filter(procurement=first).update(cost_share=None)
    steps.append(revision(first))
    item = ChecklistItemDefinition.objects.filter(phase__version_id=first.process_version_id).first()
    ChecklistCheck.objects.create(procurement=first, item=item, checked_by=manager_of(first))
    steps.append(revision(first))
    assert steps == sorted(set(steps)), steps


def test_a_cached_verdict_is_the_judgement_and_costs_no_query(cases, django_capture_on_commit_callbacks):
    _world, _other, first, second, _elsewhere = cases
    with django_capture_on_commit_callbacks(execute=True):
        fresh = verdicts_for([loaded(first), loaded(second)])
    rows = [loaded(first), loaded(second)]
    with CaptureQueriesContext(connection) as queries:
        cached = verdicts_for(rows)
    assert len(queries) == 0
    assert cached == fresh
    assert cached[first.pk] == verdict_of(readiness_for(first, whole_process=False))


def test_a_change_is_judged_anew_not_read_from_the_cache(cases, fill_deliverables, django_capture_on_commit_callbacks):
    _world, _other, first, _second, _elsewhere = cases
    with django_capture_on_commit_callbacks(execute=True):
        before = verdicts_for([loaded(first)])[first.pk]
    assert before.missing
    fill_deliverables(first)
    with django_capture_on_commit_callbacks(execute=True):
        after = verdicts_for([loaded(first)])[first.pk]
    assert not after.missing
    assert after == verdict_of(readiness_for(first, whole_process=False))


def test_a_verdict_read_in_a_transaction_that_rolls_back_is_not_kept(cases, fill_deliverables):
    _world, _other, first, _second, _elsewhere = cases
    cache = caches["judgements"]

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        fill_deliverables(first)
        inside = loaded(first)
        assert not verdicts_for([inside])[first.pk].missing
        key = verdict_key(inside)
        raise RolledBack
    assert cache.get(key) is None
    assert verdicts_for([loaded(first)])[first.pk].missing  # the rows are gone, and so is the verdict


def test_the_day_the_catalogue_and_the_language_are_in_the_key(cases, monkeypatch):
    _world, _other, first, _second, _elsewhere = cases
    row = loaded(first)
    today = verdict_key(row)
    with translation.override("en"):
        assert verdict_key(row) != today
    gate = GateDefinition.objects.filter(phase__version_id=row.process_version_id).first()
    gate.save()  # a saved catalogue row: the next judgement reads the catalogue again
    after_save = verdict_key(row)
    assert after_save != today
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert verdict_key(row) != after_save


def test_the_sentences_are_in_the_language_asked_for(cases, django_capture_on_commit_callbacks):
    _world, _other, first, _second, _elsewhere = cases
    with django_capture_on_commit_callbacks(execute=True):
        norwegian = verdicts_for([loaded(first)])[first.pk]
        with translation.override("en"):
            english = verdicts_for([loaded(first)])[first.pk]
    assert norwegian.blockers and english.blockers
    assert norwegian.blockers != english.blockers
    assert any("Mangler leveranse" in b for b in norwegian.blockers)


@pytest.mark.django_db(transaction=True)  # the rows are cached only outside a transaction
def test_the_dashboard_shows_a_change_made_after_it_was_cached(
    client, cases, manager_of, fill_deliverables, django_capture_on_commit_callbacks
):
    _world, _other, first, _second, _elsewhere = cases
    client.force_login(manager_of(first))

    def table() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            page = client.get(reverse("dashboard")).content.decode()
        return page.split('id="procurement-results"')[1]

    page = table()
    assert "Mangler leveranse" in page
    assert table() == page  # the rows again, from the cache
    fill_deliverables(first)
    after = table()
    fresh = verdict_of(readiness_for(first, whole_process=False))
    assert [b for b in fresh.blockers if "Mangler leveranse" in b] == []
    assert after != page
    row = after.split("Første")[1].split("</tr>")[0]
    assert "Mangler leveranse" not in row


@pytest.mark.django_db(transaction=True)
def test_a_cached_row_still_says_what_each_person_can_do(
    client, cases, manager_of, fill_deliverables, django_capture_on_commit_callbacks
):
    world, _other, first, _second, _elsewhere = cases
    fill_deliverables(first)  # the go/no-go document is there: the chief executives sign next

    def action_cell(person) -> str:
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            page = client.get(reverse("dashboard")).content.decode()
        row = page.split("Første")[1].split("</tr>")[0]
        return row.split('class="app-next-action"')[1].split("</td>")[0]

    coordinator = action_cell(manager_of(first))
    readers = {action_cell(world.representative(m)) for m in world.municipalities}
    assert coordinator not in readers  # the same row, cached once, with each person's own action
    assert action_cell(manager_of(first)) == coordinator


def test_no_row_is_cached_from_inside_a_transaction(cases, manager_of):
    from procurement.selectors.dashboard import procurement_list

    _world, _other, first, _second, _elsewhere = cases
    with transaction.atomic():
        rows = procurement_list(user=manager_of(first)).rows
    assert rows and all(row.fragment_key == "" for row in rows)
