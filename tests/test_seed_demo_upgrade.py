"""`seed_demo` on a database that was there before: after the migration to collaborations
the demo municipalities are members since the region's first procurement, not since the
date the demo uses. Running the new seed_demo on top must not give them a second,
overlapping membership (Membership.clean refuses one)."""
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from municipalities.models import Collaboration, Membership, Municipality
from procurement.management.commands.seed_demo import COLLABORATION_NAME, MEMBER_SINCE, MUNICIPALITIES

pytestmark = pytest.mark.django_db

MIGRATED_ON = date(2025, 3, 4)  # what municipalities 0003 wrote: the region's first procurement


def test_seed_demo_over_migrated_memberships_adds_none():
    assert MIGRATED_ON != MEMBER_SINCE
    collaboration = Collaboration.objects.create(name=COLLABORATION_NAME, country="NO", time_zone="Europe/Oslo")
    for _slug, name, number, population in MUNICIPALITIES:
        municipality = Municipality.objects.create(country="NO", name=name, organisation_number=number, population=population)
        Membership.objects.create(collaboration=collaboration, municipality=municipality, joined_on=MIGRATED_ON)

    call_command("seed_demo", stdout=StringIO())

    memberships = Membership.objects.filter(collaboration=collaboration)
    assert memberships.count() == len(MUNICIPALITIES)
    assert set(memberships.values_list("joined_on", flat=True)) == {MIGRATED_ON}
    for membership in memberships:
        membership.full_clean()  # no overlapping period
