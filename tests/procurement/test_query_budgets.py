"""Query budgets: the services that move a case on stay within a fixed number of queries, and
the screens ask the database the same number of times whatever the amount of data.

The budgets are ceilings, not exact counts, so an unrelated extra query somewhere fails
loudly with the SQL listed instead of silently making every signature slower."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement import phases
from procurement.models import DeliverableDefinition
from procurement.readiness import readiness_for
from procurement.selectors.tasks import tasks_for
from procurement.services.deliverables import deliverable_version_add
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record

pytestmark = pytest.mark.django_db

SIGNATURE_COMPLETING_A_GATE = 30
PHASE_COMPLETED = 25


def listing(queries: CaptureQueriesContext) -> str:
    return "\n".join(f"{n:>3}  {q['sql'][:300]}" for n, q in enumerate(queries.captured_queries, 1))


def open_slots(procurement, gate_code: str):
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == gate_code)
    step = gate.open_step
    return gate, step, list(step.waiting_for)


def sign(procurement, gate, step, slot, signer_for):
    return signoff_record(
        user=signer_for(step, slot),
        procurement_id=procurement.pk,
        step_id=step.step.pk,
        slot=slot.slot,
        decision="approve",
        document_sha256=gate.document.current_version.sha256,
    )


@pytest.mark.parametrize(
    ("phase", "gate_code", "next_phase"),
    [
        (phases.STRATEGY, "go-no-go", phases.PROCEDURE),
        (phases.CONTRACT, "dpa", phases.ACCEPTANCE_TEST),
    ],
)
def test_the_signature_that_completes_a_gate_and_moves_the_phase_on(
    make_collaboration, make_procurement, fill_deliverables, meet_conditions, signer_for, phase, gate_code, next_phase
):
    world = make_collaboration(7)
    procurement = make_procurement(world, phase=phase)
    fill_deliverables(procurement)
    meet_conditions(procurement)
    gate, step, slots = open_slots(procurement, gate_code)
    *first, last = slots
    for slot in first:
        sign(procurement, gate, step, slot, signer_for)
    signer = signer_for(step, last)

    with CaptureQueriesContext(connection) as queries:
        signoff_record(
            user=signer,
            procurement_id=procurement.pk,
            step_id=step.step.pk,
            slot=last.slot,
            decision="approve",
            document_sha256=gate.document.current_version.sha256,
        )

    procurement.refresh_from_db()
    assert procurement.state == next_phase  # the budget covers the move, not a refusal
    assert len(queries) <= SIGNATURE_COMPLETING_A_GATE, listing(queries)


@pytest.mark.parametrize("phase", [phases.NEEDS, phases.CONTRACT_MANAGEMENT])
def test_completing_a_phase(make_collaboration, make_procurement, fill_deliverables, meet_conditions, phase):
    world = make_collaboration(7)
    procurement = make_procurement(world, phase=phase)
    fill_deliverables(procurement)
    meet_conditions(procurement)
    name = "close" if phase == phases.CONTRACT_MANAGEMENT else "complete_phase"

    with CaptureQueriesContext(connection) as queries:
        procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition=name)

    procurement.refresh_from_db()
    assert procurement.state == (phases.CLOSED if name == "close" else phases.next_phase(phase))
    assert len(queries) <= PHASE_COMPLETED, listing(queries)



# --------------------------------------------------------------------------------------
# The screens: the same number of queries with 3 procurements and with 30
# --------------------------------------------------------------------------------------


def new_version(procurement, code: str, user):
    definition = DeliverableDefinition.objects.get(version_id=procurement.process_version_id, code=code)
    return deliverable_version_add(user=user, procurement=procurement, definition=definition, text=f"Ny versjon av {code}.")


@pytest.fixture
def states(make_procurement, advance_to, fill_deliverables, meet_conditions, signer_for):
    """Makers of procurements in the states the screens show, by name."""

    def dpa_half_signed(world, title):
        """Contract phase: the award notice sent, every chief executive but the last
        municipality's signed the data processing agreement, the signed contract missing."""
        procurement = make_procurement(world, title=title, phase=phases.CONTRACT)
        fill_deliverables(procurement, skip=("contract-signed",))
        meet_conditions(procurement)
        gate, step, slots = open_slots(procurement, "dpa")
        for slot in slots:
            if slot.municipality_id != world.municipalities[-1].pk:
                sign(procurement, gate, step, slot, signer_for)
        return procurement

    def go_no_go_waiting(world, title):
        procurement = make_procurement(world, title=title, phase=phases.STRATEGY)
        fill_deliverables(procurement, skip=("strategy-roles",))
        return procurement

    return {
        "invited": lambda world, title: make_procurement(
            world, title=title, joined=world.municipalities[:-1], unanswered=world.municipalities[-1:]
        ),
        "needs": lambda world, title: make_procurement(world, title=title, phase=phases.NEEDS),
        "go/no-go": go_no_go_waiting,
        "dpa": dpa_half_signed,
        "closed": lambda world, title: advance_to(make_procurement(world, title=title), phases.CLOSED),
    }


def test_the_screens_ask_the_same_number_of_queries_for_3_and_30_procurements(
    client, make_collaboration, states, signer_for
):
    world = make_collaboration(3)
    watched = states["dpa"](world, "Fulgt anskaffelse")
    states["go/no-go"](world, "Strategi")
    states["invited"](world, "Innmeldt")
    users = {"coordinator": world.coordinator, "chief executive": world.chief_executive(world.municipalities[-1])}
    urls = {
        "dashboard": reverse("dashboard"),
        "my tasks": reverse("my_tasks"),
        "procurement page": reverse("procurement_detail", args=[watched.pk]),
        "history page": reverse("procurement_history", args=[watched.pk]),
    }

    def measure() -> dict[tuple[str, str], int]:
        counts = {}
        for who, user in users.items():
            client.force_login(user)
            for page, url in urls.items():
                client.get(url)  # the session and the content types are cached from here on
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                assert response.status_code == 200, (who, page)
                counts[(page, who)] = len(queries)
        return counts

    small = measure()
    # Both have a task of each kind they can have, so every list's queries are asked.
    assert tasks_for(user=users["chief executive"])["signatures"] and tasks_for(user=users["coordinator"])["signatures"]
    assert tasks_for(user=users["chief executive"])["invitations"] and tasks_for(user=users["coordinator"])["missing_deliverables"]

    makers = list(states.values())
    for n in range(27):
        makers[n % len(makers)](world, f"Anskaffelse {n}")
    # The watched procurement gets more of everything its page lists: versions, signatures
    # (the new version voids the earlier ones, which are then given again), audit entries.
    for _round in range(3):
        version = new_version(watched, "contract-dpa", world.coordinator)
        new_version(watched, "contract-award-notice", world.coordinator)
        gate, step, slots = open_slots(watched, "dpa")
        for slot in slots:
            if slot.municipality_id != world.municipalities[-1].pk:
                sign(watched, gate, step, slot, signer_for)
    assert version.number == 4
    assert watched.audit_entries.count() > 50  # more than the history's first page

    large = measure()
    assert large == small, {key: (small[key], large[key]) for key in small if small[key] != large[key]}
