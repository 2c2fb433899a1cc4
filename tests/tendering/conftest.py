"""A procurement standing in the tender-documents phase with one person in every role that
writes part of its specification (the bodies as Kongsbergregionen holds them)."""
from dataclasses import dataclass

import pytest
from django.db.models import Model

from municipalities.roles import Role
from procurement import phases
from tests.conftest import make_collaboration, make_procurement, person_with_role
from tests.shared_data import fresh

BODY_OF = {
    Role.REGIONAL_BUYER: "procurement_office",
    Role.ICT_ARCHITECT: "shared_it",
    Role.ARCHIVE_REPRESENTATIVE: "archive_network",
    Role.DATA_PROTECTION_OFFICER: "data_protection",
}


@dataclass
class SpecWorld:
    world: object
    procurement: object
    people: dict  # role -> person acting in the procurement

    def __getitem__(self, role):
        return self.people[role]


def build_spec_world(*, phase: str = phases.TENDER_DOCUMENTS, title: str = "Nytt skoleadministrativt system") -> SpecWorld:
    from tests.factories import BodyFactory

    world = make_collaboration(2)
    people = {Role.COORDINATOR: world.coordinator}
    for role, kind in BODY_OF.items():
        body = world.bodies.get(kind) or BodyFactory(collaboration=world.collaboration, kind=kind)
        world.bodies[kind] = body
        people[role] = person_with_role(role, body=body, first_name=str(role.label))
    lead = world.municipalities[0]
    people[Role.USER_REPRESENTATIVE] = world.user_representative(lead)
    people[Role.MUNICIPAL_REPRESENTATIVE] = world.representative(lead)
    people[Role.CHIEF_EXECUTIVE] = world.chief_executive(lead)
    people[Role.UNION_REPRESENTATIVE] = person_with_role(Role.UNION_REPRESENTATIVE, municipality=lead)
    people[Role.EVALUATOR] = person_with_role(Role.EVALUATOR, municipality=lead)
    procurement = make_procurement(world, phase=phase, title=title)
    return SpecWorld(world=world, procurement=procurement, people=people)


def fresh_spec_world(spec: SpecWorld) -> SpecWorld:
    """SPEC as a test of a module sharing it should get it: its procurement, its people and
    the rows a module set on it read again (tests.shared_data.fresh)."""
    copy = SpecWorld(world=spec.world, procurement=fresh(spec.procurement), people={r: fresh(p) for r, p in spec.people.items()})
    for name, value in vars(spec).items():
        if name not in {"world", "procurement", "people"}:
            setattr(copy, name, fresh(value) if isinstance(value, Model) else value)
    return copy


@pytest.fixture
def spec_world(db) -> SpecWorld:
    return build_spec_world()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Printed documents and packages are stored files: keep them out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
