"""Freezing: the specification is written until the tender documents are published (by the
regional buyer, or at the latest when the tender-documents phase is completed); after that
every write is refused and the change is a clarification, which everyone who sees the
procurement reads. Going back to the phase does not thaw it. A table of (state, action)."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEntry
from municipalities.roles import Role
from procurement import phases
from procurement.engine.records import record_counts
from procurement.services.lifecycle import procurement_transition
from tendering import services
from tendering.models import Clarification, SpecificationState
from tendering.selectors import evaluation_model_for
from tests.conftest import advance_to
from tests.shared_data import built_once_per_module

from .conftest import build_spec_world

WRITE, REFUSED = "write", "refused"


def _fill(spec):
    p = spec.procurement
    user = spec[Role.USER_REPRESENTATIVE]
    quality = services.criterion_propose(user=user, procurement=p, name="Kvalitet", weight=Decimal(70))
    services.criterion_propose(user=user, procurement=p, name="Brukervennlighet", weight=Decimal(100), parent_id=quality.pk)
    services.criterion_propose(user=spec[Role.REGIONAL_BUYER], procurement=p, name="Pris", weight=Decimal(30), is_price=True)
    services.requirement_add(user=user, procurement=p, category="functional", kind="must", text="Feide-pålogging.")


def _build(state: str):
    spec = build_spec_world(phase=phases.NEEDS if state == "needs" else phases.TENDER_DOCUMENTS, title=f"Anskaffelse {state}")
    _fill(spec)
    p = spec.procurement
    if state in ("published", "completed", "reopened"):
        services.criteria_decide(user=spec[Role.REGIONAL_BUYER], procurement=p)
    if state == "published":
        services.specification_publish(user=spec[Role.REGIONAL_BUYER], procurement=p)
    if state in ("completed", "reopened"):
        advance_to(p, phases.EVALUATION, user=spec.world.coordinator)
    if state == "reopened":
        procurement_transition(
            user=spec.world.coordinator, procurement_id=p.pk, transition="reopen", phase=phases.TENDER_DOCUMENTS,
            reason="Kravet til universell utforming må presiseres.",
        )
    p.refresh_from_db()
    return spec


STATES = ("needs", "draft", "published", "completed", "reopened")


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, lambda: {state: _build(state) for state in STATES})


def _requirement(spec):
    return spec.procurement.specification.requirements.get(ref="K-001")


ACTIONS = {
    "requirement_add": lambda s: services.requirement_add(
        user=s[Role.ICT_ARCHITECT], procurement=s.procurement, category="architecture", kind="must", text="Åpne API-er."
    ),
    "requirement_change": lambda s: services.requirement_change(
        user=s[Role.USER_REPRESENTATIVE], procurement=s.procurement, requirement_id=_requirement(s).pk, kind="must",
        text="Feide-pålogging for alle brukere.",
    ),
    "requirement_remove": lambda s: services.requirement_remove(
        user=s[Role.USER_REPRESENTATIVE], procurement=s.procurement, requirement_id=_requirement(s).pk
    ) or True,
    "criterion_remove": lambda s: services.criterion_remove(
        user=s[Role.REGIONAL_BUYER], procurement=s.procurement, criterion_id=s.procurement.specification.criteria.get(name="Pris").pk
    ) or True,
    "need_add": lambda s: services.need_add(user=s[Role.USER_REPRESENTATIVE], procurement=s.procurement, title="Fravær"),
    "criterion_propose": lambda s: services.criterion_propose(
        user=s[Role.USER_REPRESENTATIVE], procurement=s.procurement, name="Service", weight=Decimal(0)
    ),
    "weights_set": lambda s: services.criteria_weights_set(
        user=s[Role.REGIONAL_BUYER],
        procurement=s.procurement,
        weights={c.pk: {"Kvalitet": Decimal(60), "Pris": Decimal(40)}.get(c.name, Decimal(100)) for c in s.procurement.specification.criteria.all()},
    ),
    "criteria_decide": lambda s: services.criteria_decide(user=s[Role.REGIONAL_BUYER], procurement=s.procurement),
    "tender_text_save": lambda s: services.tender_text_save(
        user=s[Role.REGIONAL_BUYER], procurement=s.procurement, instructions="Ny instruks.", procedure_text="", timetable="",
        price_model="linear",
    ),
    "qualification_add": lambda s: services.qualification_add(user=s[Role.REGIONAL_BUYER], procurement=s.procurement, text="Soliditet."),
    "clarification_add": lambda s: services.clarification_add(
        user=s[Role.REGIONAL_BUYER], procurement=s.procurement, text="Kravet gjelder alle grensesnitt.", requirement_id=_requirement(s).pk
    ),
    "comment_add": lambda s: services.comment_add(
        user=s[Role.UNION_REPRESENTATIVE], procurement=s.procurement, category="functional", text="Har de ansatte fått si sitt?"
    ),
}

FROZEN = ("published", "completed", "reopened")
EXPECTED = {
    (state, action): (
        WRITE
        if action == "comment_add"
        else (WRITE if state in FROZEN else REFUSED)
        if action == "clarification_add"
        else (REFUSED if state in FROZEN else WRITE)
    )
    for state in STATES
    for action in ACTIONS
}
ROWS = sorted(EXPECTED.items())


@pytest.mark.parametrize("state_action, expected", ROWS, ids=[f"{s}-{a}" for (s, a), _ in ROWS])
def test_freezing_table(db, worlds, state_action, expected):
    state, action = state_action
    spec = worlds[state]
    spec.procurement.refresh_from_db()
    if expected == WRITE:
        assert ACTIONS[action](spec) is not None
    else:
        with pytest.raises(ValidationError) as caught:
            ACTIONS[action](spec)
        text = " ".join(caught.value.messages)
        assert "publisert" in text


@pytest.mark.parametrize("state, frozen", [(s, s in FROZEN) for s in STATES])
def test_the_state_the_evaluation_and_the_gates_read(db, worlds, state, frozen):
    p = worlds[state].procurement
    assert p.specification.is_frozen is frozen
    assert evaluation_model_for(p).frozen is frozen
    counts = record_counts(["specification"], [p.pk])[(p.pk, "specification")]
    assert counts == {SpecificationState.PUBLISHED if frozen else SpecificationState.DRAFT: 1}


def test_completing_the_phase_freezes_it_and_says_so(db, worlds):
    p = worlds["completed"].procurement
    entry = AuditEntry.objects.filter(procurement=p, action=Action.SPECIFICATION_PUBLISHED).get()
    assert entry.data["automatic"] is True and entry.actor == worlds["completed"].world.coordinator
    assert p.specification.published_by == worlds["completed"].world.coordinator


def test_the_phase_left_without_a_specification_freezes_an_empty_one(db):
    spec = build_spec_world(phase=phases.TENDER_DOCUMENTS, title="Uten kravspesifikasjon")
    advance_to(spec.procurement, phases.EVALUATION, user=spec.world.coordinator)
    assert spec.procurement.specification.is_frozen
    with pytest.raises(ValidationError):
        services.need_add(user=spec[Role.USER_REPRESENTATIVE], procurement=spec.procurement, title="For sent")


def test_publishing_needs_decided_criteria_that_total_100(db):
    spec = build_spec_world(title="Ikke klar")
    p, buyer = spec.procurement, spec[Role.REGIONAL_BUYER]
    services.requirement_add(user=spec[Role.USER_REPRESENTATIVE], procurement=p, category="functional", kind="must", text="Feide.")
    services.criterion_propose(user=buyer, procurement=p, name="Pris", weight=Decimal(40), is_price=True)
    with pytest.raises(ValidationError) as caught:
        services.specification_publish(user=buyer, procurement=p)
    assert "Vektene summerer til 40 %, men må bli nøyaktig 100 %." in caught.value.messages
    assert "Regional innkjøper har ikke besluttet alle tildelingskriteriene." in caught.value.messages
    p.specification.refresh_from_db()
    assert not p.specification.is_frozen


@pytest.mark.parametrize("role", [Role.UNION_REPRESENTATIVE, Role.EVALUATOR, Role.CHIEF_EXECUTIVE, Role.COORDINATOR])
def test_clarifications_are_shown_to_everyone_who_sees_the_procurement(db, client, worlds, role):
    spec = worlds["published"]
    Clarification.objects.filter(specification__procurement=spec.procurement).delete()
    services.clarification_add(
        user=spec[Role.USER_REPRESENTATIVE], procurement=spec.procurement, requirement_id=_requirement(spec).pk,
        text="Feide gjelder også foresatte.",
    )
    client.force_login(spec[role])
    page = client.get(reverse("tendering_specification", args=[spec.procurement.pk])).content.decode()
    assert "Avklaring 1" in page and "Feide gjelder også foresatte." in page


def test_a_clarification_about_a_requirement_is_for_its_owner_or_the_buyer(db, worlds):
    spec = worlds["published"]
    with pytest.raises(Exception) as caught:
        services.clarification_add(
            user=spec[Role.ARCHIVE_REPRESENTATIVE], procurement=spec.procurement, requirement_id=_requirement(spec).pk, text="Nei."
        )
    assert type(caught.value).__name__ == "PermissionDenied"
