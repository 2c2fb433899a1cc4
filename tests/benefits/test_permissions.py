"""Who sees and writes which rows (seed 000: each municipality realises its own benefits):
role x action x own/other municipality -> allowed/denied, on the screens and in the services."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEntry
from benefits.access import benefit_rights
from benefits.services import benefit_share_save, measurement_record
from municipalities.roles import Role

from .conftest import add_share

pytestmark = pytest.mark.django_db


def _person(world, who, municipality):
    return {
        "coordinator": lambda: world.coordinator,
        "representative": lambda: world.representative(municipality),
        "chief": lambda: world.chief_executive(municipality),
        "user_rep": lambda: world.user_representative(municipality),
        "rmu": lambda: world.rmu_chief,
    }[who]()


# (who, whose row) -> may see the row, may write it
TABLE = [
    ("coordinator", "own", True, True),
    ("coordinator", "other", True, True),
    ("representative", "own", True, True),
    ("representative", "other", False, False),
    ("chief", "own", True, True),
    ("chief", "other", False, False),
    ("user_rep", "own", True, True),
    ("user_rep", "other", False, False),
    ("rmu", "own", False, False),  # a body of the collaboration sees the totals, not the rows
]


@pytest.mark.parametrize(("who", "whose", "sees", "writes"), TABLE)
def test_rows_per_municipality(client, plan_world, who, whose, sees, writes):
    world, procurement, benefit, shares = plan_world
    mine, other = world.municipalities[0], world.municipalities[1]
    person = _person(world, who, mine)
    target = mine if whose == "own" else other
    share = next(s for s in shares if s.municipality_id == target.pk)
    client.force_login(person)
    page = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    owner_row = f'<th scope="row">{target.name}</th><td>{share.owner}</td>'
    assert (owner_row in page) is sees
    edit = client.get(reverse("benefit_share_edit", args=[procurement.pk, benefit.pk, target.pk]))
    assert edit.status_code == (200 if writes else 403)
    measure = client.get(reverse("benefit_measurement_add", args=[procurement.pk, share.pk]))
    assert measure.status_code == (200 if writes else 404 if not sees else 403)
    if not writes:
        with pytest.raises(PermissionDenied):
            measurement_record(user=person, procurement=procurement, share_id=share.pk, measured_on=date(2025, 6, 1), value_measured=Decimal("9"))
        assert AuditEntry.objects.filter(action="benefit.refused", actor=person).exists()


@pytest.mark.parametrize(("who", "totals"), [("coordinator", True), ("rmu", True), ("representative", False), ("chief", False)])
def test_the_collaboration_sees_the_totals(client, plan_world, who, totals):
    world, procurement, _benefit, _shares = plan_world
    person = _person(world, who, world.municipalities[0])
    assert benefit_rights(user=person, procurement=procurement).sees_totals is totals
    client.force_login(person)
    page = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    assert ("Samarbeidet totalt" in page) is totals
    assert ("600\xa0000" in page) is totals  # the sum of all three municipalities


def test_a_municipality_sees_its_own_sums_only(client, plan_world):
    world, procurement, _benefit, _shares = plan_world
    client.force_login(world.representative(world.municipalities[1]))
    page = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    assert "200\xa0000" in page  # its own 200 000 kr a year
    assert "300\xa0000" not in page  # the third municipality's (or anybody's total)
    assert world.municipalities[0].name not in page and world.municipalities[2].name not in page
    assert "2 andre kommuner venter også denne gevinsten" in page


def test_an_outsider_gets_404(client, plan_world, make_collaboration):
    world, procurement, benefit, shares = plan_world
    stranger = make_collaboration(1).coordinator
    client.force_login(stranger)
    for url in (
        reverse("benefit_plan", args=[procurement.pk]),
        reverse("benefit_share_edit", args=[procurement.pk, benefit.pk, world.municipalities[0].pk]),
        reverse("benefit_measurement_add", args=[procurement.pk, shares[0].pk]),
        reverse("benefit_plan_edit", args=[procurement.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_tampered_municipality_in_the_service_is_refused(plan_world):
    world, procurement, benefit, _shares = plan_world
    mine, other = world.municipalities[0], world.municipalities[1]
    with pytest.raises(PermissionDenied):
        add_share(world, procurement, benefit, other, user=world.representative(mine))


def test_the_owner_must_be_a_person_of_the_municipality(plan_world):
    from django.core.exceptions import ValidationError

    world, procurement, benefit, _shares = plan_world
    mine, other = world.municipalities[0], world.municipalities[1]
    with pytest.raises(ValidationError) as error:
        benefit_share_save(
            user=world.representative(mine), procurement=procurement, benefit_id=benefit.pk, municipality_id=mine.pk,
            owner_id=world.representative(other).pk, baseline_value=Decimal(1), baseline_date=date(2025, 1, 1),
            target_value=Decimal(2), target_date=date(2026, 1, 1),
        )
    assert "owner" in error.value.error_dict


@pytest.mark.parametrize("role", [Role.MUNICIPAL_REPRESENTATIVE, Role.USER_REPRESENTATIVE])
def test_only_contributors_and_the_coordinator_change_the_plan_texts(client, plan_world, person_with_role, role):
    world, procurement, _benefit, _shares = plan_world
    client.force_login(world.chief_executive(world.municipalities[0]))  # follows, does not contribute
    assert client.get(reverse("benefit_plan_edit", args=[procurement.pk])).status_code == 403
    assert client.get(reverse("benefit_add", args=[procurement.pk])).status_code == 403
    client.force_login(person_with_role(role, municipality=world.municipalities[0]))
    assert client.get(reverse("benefit_plan_edit", args=[procurement.pk])).status_code == 200


def test_a_municipality_that_declined_has_no_rows(client, make_collaboration, make_procurement):
    from .conftest import add_benefit

    world = make_collaboration(2)
    joined, declined = world.municipalities
    procurement = make_procurement(world, joined=[joined], declined=[declined])
    benefit = add_benefit(world, procurement)
    client.force_login(world.representative(declined))
    assert client.get(reverse("benefit_share_edit", args=[procurement.pk, benefit.pk, declined.pk])).status_code == 404
