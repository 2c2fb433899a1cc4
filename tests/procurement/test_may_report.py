"""The menu's "Meld inn behov" (procurement.selectors.intake.may_report, one query) is
offered exactly to those reporting_options gives a place to report for."""
import datetime

import pytest

from municipalities.models import Membership
from municipalities.roles import Role
from procurement.selectors.intake import may_report, reporting_options
from tests.factories import BodyFactory, CollaborationFactory, MunicipalityFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_may_report_agrees_with_the_places_to_report_for(person_with_role, django_assert_num_queries):
    first, second, third = CollaborationFactory(), CollaborationFactory(), CollaborationFactory()
    shared = MunicipalityFactory(collaboration=first)
    Membership.objects.create(collaboration=second, municipality=shared, joined_on=datetime.date(2024, 1, 1))
    former = MunicipalityFactory(collaboration=third)
    Membership.objects.filter(municipality=former).update(
        joined_on=datetime.date(2020, 1, 1), left_on=datetime.date(2021, 1, 1)
    )
    empty = CollaborationFactory()  # a collaboration without members
    people = {
        "representative": person_with_role(Role.MUNICIPAL_REPRESENTATIVE, municipality=shared),
        "representative in a body": person_with_role(
            Role.MUNICIPAL_REPRESENTATIVE, municipality=shared, body=BodyFactory(collaboration=second)
        ),
        "representative of a former member": person_with_role(Role.MUNICIPAL_REPRESENTATIVE, municipality=former),
        "coordinator": person_with_role(Role.COORDINATOR, body=BodyFactory(collaboration=first)),
        "coordinator without members": person_with_role(Role.COORDINATOR, body=BodyFactory(collaboration=empty)),
        "chief executive": person_with_role(Role.CHIEF_EXECUTIVE, municipality=shared),
        "nobody": PersonFactory(),
    }
    answers = {}
    for who, person in people.items():
        with django_assert_num_queries(1):
            answers[who] = may_report(user=person)
        assert answers[who] == bool(reporting_options(user=person)), who
    assert answers == {
        "representative": True,
        "representative in a body": True,
        "representative of a former member": False,
        "coordinator": True,
        "coordinator without members": False,
        "chief executive": False,
        "nobody": False,
    }
