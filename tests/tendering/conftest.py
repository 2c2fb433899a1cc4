"""A procurement standing in the tender-documents phase with one person in every role that
writes part of its specification (the bodies as Kongsbergregionen holds them)."""
from dataclasses import dataclass

import pytest

from municipalities.roles import Role
from procurement import phases
from tests.conftest import make_collaboration, make_procurement, person_with_role

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


@pytest.fixture
def spec_world(db) -> SpecWorld:
    return build_spec_world()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Printed documents and packages are stored files: keep them out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
