"""`seed_demo` on a database that was there before: after the migration to collaborations
the demo municipalities are members since the region's first procurement, not since the
date the demo uses. Running seed_demo on top must not give them a second, overlapping
membership (Membership.clean refuses one)."""
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from municipalities.models import Membership

pytestmark = pytest.mark.django_db

MIGRATED_ON = date(2025, 3, 4)  # what municipalities 0003 writes: the region's first procurement


def test_seed_demo_over_migrated_memberships_adds_none():
    call_command("seed_demo", stdout=StringIO())
    # The memberships as the migration would have written them (no service writes this).
    Membership.objects.update(joined_on=MIGRATED_ON)
    before = sorted(Membership.objects.values_list("collaboration_id", "municipality_id"))

    call_command("seed_demo", stdout=StringIO())

    assert sorted(Membership.objects.values_list("collaboration_id", "municipality_id")) == before
    assert set(Membership.objects.values_list("joined_on", flat=True)) == {MIGRATED_ON}
    for membership in Membership.objects.all():
        membership.full_clean()  # no overlapping period
