"""'Mine oppgaver' a page at a time: each list is narrowed in SQL, paginated and only its page
judged, and the result is the same as judging every procurement the person can see; the
pages keep each other's place, bad page numbers never fail, htmx swaps one list only."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user

from procurement import phases
from procurement.models import DeliverableDefinition, Procurement
from procurement.readiness import ReadinessLoader, readiness_for
from procurement.selectors.access import procurements_visible, slot_signable, user_signing_rights
from procurement.selectors.tasks import tasks_for
from procurement.services.deliverables import deliverable_version_add
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record
from procurement.task_sources import coordinator_tasks

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def open_step(procurement, gate_code):
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == gate_code)
    return gate, gate.open_step


def decide(procurement, gate_code, signer_for, *, only=None, decision="approve"):
    """Signs the open step of GATE_CODE for every waiting slot, or for the municipalities ONLY."""
    gate, step = open_step(procurement, gate_code)
    wanted = None if only is None else {m.pk for m in only}
    for slot in step.waiting_for:
        if wanted is not None and slot.municipality_id not in wanted:
            continue
        signoff_record(
            user=signer_for(step, slot),
            procurement_id=procurement.pk,
            step_id=step.step.pk,
            slot=slot.slot,
            decision=decision,
            comment="Rangeringen må begrunnes bedre." if decision == "reject" else "",
            document_sha256=gate.document.current_version.sha256,
        )


def revise(procurement, code, user):
    definition = DeliverableDefinition.objects.get(version_id=procurement.process_version_id, code=code)
    deliverable_version_add(user=user, procurement=procurement, definition=definition, text=f"Revidert {code}.")


def judged_everywhere(user) -> tuple[set, set]:
    """What 'my tasks' must list, found the slow way: the readiness of every running
    procurement USER can see."""
    rights = user_signing_rights(user=user)
    visible = list(procurements_visible(user=user).filter(state__in=phases.PHASES))
    loader = ReadinessLoader(visible)
    contributable = set(
        get_objects_for_user(
            user, "procurement.contribute_procurement", klass=Procurement.objects.filter(pk__in=[p.pk for p in visible])
        ).values_list("pk", flat=True)
    )
    signatures, missing = set(), set()
    for procurement in visible:
        readiness = loader.for_procurement(procurement)
        for step, slot in readiness.missing_signatures:
            if slot_signable(rights, step, slot):
                signatures.add((procurement.pk, step.step.pk, slot.slot))
        if procurement.pk in contributable and readiness.missing:
            missing.add(procurement.pk)
    return signatures, missing


def every_page(user, section) -> list[dict]:
    """tasks_for on every page of SECTION, first to last."""
    results, number = [], 1
    while True:
        tasks = tasks_for(user=user, pages={section: number})
        results.append(tasks)
        page = tasks["pages"][section]
        if not page.has_next():
            return results
        number += 1


def snapshot_ids(queries) -> list[set[int]]:
    """The procurement ids of every snapshot loaded (its query for the participations)."""
    found = []
    for query in queries.captured_queries:
        loaded = re.search(r'WHERE "procurement_participation"\."procurement_id" IN \(([^)]*)\)', query["sql"])
        if loaded:
            found.append({int(n) for n in loaded.group(1).split(",")})
    return found


# --------------------------------------------------------------------------------------
# The same tasks as judging everything, a page at a time
# --------------------------------------------------------------------------------------


@pytest.fixture
def portfolio(make_collaboration, make_procurement, fill_deliverables, meet_conditions, signer_for):
    """Four municipalities and procurements in every state a signature task depends on."""
    world = make_collaboration(4)
    first, second, third, last = world.municipalities
    coordinator = world.coordinator

    def at(phase, title, **kwargs):
        return make_procurement(world, phase=phase, title=title, **kwargs)

    # go/no-go waiting for the coordinator; the same phase without its document
    fill_deliverables(at(phases.STRATEGY, "Strategi klar"))
    at(phases.STRATEGY, "Strategi uten grunnlag")
    # award: step 1 waiting; step 1 approved (the committee's turn); step 1 rejected;
    # step 1 approved and then voided by a revised ranking
    fill_deliverables(at(phases.EVALUATION, "Tildeling venter"))
    approved = at(phases.EVALUATION, "Tildeling til utvalget")
    fill_deliverables(approved)
    decide(approved, "award", signer_for)
    rejected = at(phases.EVALUATION, "Tildeling avvist")
    fill_deliverables(rejected)
    decide(rejected, "award", signer_for, decision="reject")
    voided = at(phases.EVALUATION, "Tildeling revidert")
    fill_deliverables(voided)
    decide(voided, "award", signer_for)
    revise(voided, "evaluation-ranking", coordinator)
    # DPA: half signed; one chief executive rejected; a municipality that declined
    half = at(phases.CONTRACT, "Databehandleravtale halvveis")
    fill_deliverables(half, skip=("contract-signed",))
    meet_conditions(half)
    decide(half, "dpa", signer_for, only=[first, second])
    refused = at(phases.CONTRACT, "Databehandleravtale avvist")
    fill_deliverables(refused)
    meet_conditions(refused)
    decide(refused, "dpa", signer_for, only=[first], decision="reject")
    declined = at(phases.CONTRACT, "Uten den siste", joined=[first, second, third], declined=[last])
    fill_deliverables(declined)
    meet_conditions(declined)
    # back from the contract phase: the award's signatures are void
    back = at(phases.CONTRACT, "Tilbake til evaluering")
    procurement_transition(
        user=coordinator, procurement_id=back.pk, transition="reopen", phase=phases.EVALUATION, reason="Klagen ble tatt til følge."
    )
    # acceptance, ended ones and intake
    fill_deliverables(at(phases.ACCEPTANCE_TEST, "Akseptansetest"))
    at(phases.CLOSED, "Avsluttet")
    cancelled = at(phases.NEEDS, "Avlyst")
    procurement_transition(user=coordinator, procurement_id=cancelled.pk, transition="cancel", reason="Ikke lenger aktuelt.")
    at(phases.INTAKE, "Innmeldt", joined=[first], unanswered=[second, third, last])
    return world


def people(world):
    yield "coordinator", world.coordinator
    yield "committee chief", world.rmu_chief
    for n, municipality in enumerate(world.municipalities):
        yield f"chief executive {n}", world.chief_executive(municipality)
        yield f"user representative {n}", world.user_representative(municipality)
        yield f"representative {n}", world.representative(municipality)


def test_every_page_together_lists_what_judging_every_procurement_finds(portfolio, settings):
    settings.PROCUREMENT_PAGE_SIZE = 2
    found_something = set()
    for who, user in people(portfolio):
        signatures, missing = judged_everywhere(user)
        paged_signatures, paged_missing = set(), set()
        for tasks in every_page(user, "signatures"):
            shown = {(t.procurement.pk, t.step.step.pk, t.slot.slot) for t in tasks["signatures"]}
            # Each procurement the SQL let through has a task: no page is short but the last.
            assert {pk for pk, _step, _slot in shown} == set(tasks["pages"]["signatures"].object_list), who
            paged_signatures |= shown
        for tasks in every_page(user, "missing_deliverables"):
            shown = {procurement.pk for procurement, _readiness in tasks["missing_deliverables"]}
            assert shown == set(tasks["pages"]["missing_deliverables"].object_list), who
            paged_missing |= shown
        assert (paged_signatures, paged_missing) == (signatures, missing), who
        if signatures:
            found_something.add(who)
    # The portfolio gives signature tasks to every kind of signer.
    assert {"coordinator", "committee chief", "chief executive 2", "chief executive 3", "user representative 0"} <= found_something


# Who waits for what in the portfolio: gate -> signer -> the titles of their tasks there.
WAITING = {
    "award": {
        # the committee's step opens only when the steering group has approved
        "committee chief": {"Tildeling til utvalget"},
        # a rejection fills the coordinator's slot; a revised ranking or going back empties it
        "coordinator": {"Tildeling venter", "Tildeling revidert", "Tilbake til evaluering"},
    },
    "dpa": {
        # a chief executive who signed or rejected is done; a declined municipality is never asked
        "chief executive 0": {"Uten den siste"},
        "chief executive 1": {"Databehandleravtale avvist", "Uten den siste"},
        "chief executive 3": {"Databehandleravtale halvveis", "Databehandleravtale avvist"},
    },
    "go-no-go": {"coordinator": {"Strategi klar"}},
}


def test_the_coordinator_finds_what_judging_every_managed_procurement_finds(portfolio, make_procurement, fill_deliverables, signer_for):
    """coordinator_tasks judges only the cases SQL lets through (nothing required missing
    and every signature step approved by someone, or a live "no"): the phases to complete and the gates said no to must be the same as
    judging every running case."""
    coordinator = portfolio.coordinator
    first, second, *_rest = portfolio.municipalities
    make_procurement(portfolio, joined=[first, second], title="Alle har svart")  # may start
    # Said no to while a required document is still missing: judged all the same.
    refused_early = make_procurement(portfolio, phase=phases.EVALUATION, title="Avvist før skjemaet kom")
    fill_deliverables(refused_early, skip=("evaluation-form",))
    decide(refused_early, "award", signer_for, decision="reject")
    assert readiness_for(refused_early).missing
    # Its signature gate approved while a deliverable was still missing (so the phase did not
    # move on by itself), the deliverable written afterwards: ready, and the SQL lets it through.
    decided = make_procurement(portfolio, phase=phases.STRATEGY, title="Strategi vedtatt")
    fill_deliverables(decided, skip=("strategy-roles",))
    decide(decided, "go-no-go", signer_for)
    fill_deliverables(decided)
    decided.refresh_from_db()
    assert decided.state == phases.STRATEGY and readiness_for(decided).ready
    running = list(Procurement.objects.filter(state__in=phases.OPEN_STATES))
    loader = ReadinessLoader(running)
    expected = set()
    for procurement in running:
        readiness = loader.for_procurement(procurement)
        inviting = procurement.state == phases.INTAKE and procurement.participations.count() <= 1
        if readiness.ready and not inviting:
            expected.add((procurement.pk, "complete_phase"))
        for gate in readiness.signature_gates:
            if any(step.rejected for step in gate.steps):
                expected.add((procurement.pk, "rejected_gate"))
    found = {(t.procurement.pk, t.kind) for t in coordinator_tasks(user=coordinator) if t.kind in ("complete_phase", "rejected_gate")}
    assert found == expected
    # The portfolio has both kinds, and cases left out by the SQL (missing documents).
    assert {kind for _pk, kind in expected} == {"complete_phase", "rejected_gate"}
    assert (refused_early.pk, "rejected_gate") in found
    assert (decided.pk, "complete_phase") in found


def test_signatures_waiting(portfolio):
    everyone = dict(people(portfolio))
    found = {
        gate: {
            signer: {t.procurement.title for t in tasks_for(user=everyone[signer])["signatures"] if t.step.gate_code == gate}
            for signer in signers
        }
        for gate, signers in WAITING.items()
    }
    assert found == WAITING


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------


@pytest.fixture
def busy_chief(make_collaboration, make_procurement, fill_deliverables, meet_conditions, signer_for, settings):
    """A chief executive with five invitations and three signatures waiting; two to a page."""
    settings.PROCUREMENT_PAGE_SIZE = 2
    world = make_collaboration(3)
    first, second, last = world.municipalities
    for n in range(5):
        make_procurement(world, title=f"Invitasjon {n}", joined=[first], unanswered=[second, last])
    for n in range(3):
        procurement = make_procurement(world, title=f"Avtale {n}", phase=phases.CONTRACT)
        fill_deliverables(procurement)
        meet_conditions(procurement)
        decide(procurement, "dpa", signer_for, only=[first, second])
    return world, world.chief_executive(last)


def test_each_list_has_its_own_pages(client, busy_chief):
    _world, chief = busy_chief
    client.force_login(chief)
    first = client.get(reverse("my_tasks"))
    second = client.get(reverse("my_tasks"), {"invitasjoner": "2", "signaturer": "2"})
    assert first.status_code == second.status_code == 200
    assert first.context["pages"]["invitations"].paginator.count == 5
    assert first.context["pages"]["signatures"].paginator.count == 3

    def titles(response, section):
        return [row.procurement.title for row in response.context[section]]

    assert len(titles(first, "invitations")) == len(titles(second, "invitations")) == 2
    assert not set(titles(first, "invitations")) & set(titles(second, "invitations"))
    assert len(titles(first, "signatures")) == 2 and len(titles(second, "signatures")) == 1
    page = second.content.decode()
    assert "(5)" in page and "(3)" in page  # the headings count every task, not the page
    # A link to another page of one list keeps the other list where it is.
    assert 'href="/mine-oppgaver/?invitasjoner=3&amp;signaturer=2"' in page
    assert 'href="/mine-oppgaver/?invitasjoner=2&amp;signaturer=1"' in page


def test_the_page_links_swap_only_their_own_list_with_htmx(client, busy_chief):
    _world, chief = busy_chief
    client.force_login(chief)
    page = client.get(reverse("my_tasks")).content.decode()
    navs = re.findall(r'<nav class="ds-pagination[^"]*"[^>]*>', page)
    assert len(navs) == 2  # the missing deliverables fit on one page: no navigation
    invitations = next(nav for nav in navs if "#invitations-section" in nav)
    assert 'aria-label="Sider med invitasjoner"' in invitations
    assert 'hx-target="#invitations-section"' in invitations and 'hx-select="#invitations-section"' in invitations
    assert 'hx-push-url="true"' in invitations
    assert 'id="invitations-section"' in page
    assert 'hx-get="/mine-oppgaver/?invitasjoner=2"' in page and 'href="/mine-oppgaver/?invitasjoner=2"' in page
    assert re.search(r'<a [^>]*href="/mine-oppgaver/\?invitasjoner=1"[^>]*aria-current="true"', page)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", 2),
        ("abc", 1),
        ("0", 1),
        ("-4", 1),
        ("Infinity", 1),
        ("NaN", 1),
        ("1e309", 1),
        ("2.0", 1),
        ("9" * 5000, 1),
        ("99", 3),
        ("99999999999999999999999999", 3),
    ],
)
def test_bad_page_numbers_give_the_first_or_last_page(client, make_collaboration, make_procurement, settings, value, expected):
    settings.PROCUREMENT_PAGE_SIZE = 2
    world = make_collaboration(2)
    first, last = world.municipalities
    for n in range(5):
        make_procurement(world, title=f"Invitasjon {n}", joined=[first], unanswered=[last])
    client.force_login(world.chief_executive(last))
    response = client.get(reverse("my_tasks"), {"invitasjoner": value})
    assert response.status_code == 200
    assert response.context["pages"]["invitations"].number == expected


def test_only_the_pages_procurements_are_judged(busy_chief):
    _world, chief = busy_chief
    with CaptureQueriesContext(connection) as queries:
        tasks = tasks_for(user=chief)
    shown = {task.procurement.pk for task in tasks["signatures"]}
    assert len(shown) == 2
    assert snapshot_ids(queries) == [shown]
