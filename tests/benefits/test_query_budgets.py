"""The benefit screens ask the database the same number of times whatever the amount of
data: the plan page for 1 and 4 benefits, the portfolio for 2 and 5 procurements."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits.services import measurement_record

from .conftest import add_benefit, add_share

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill(world, procurement, benefits: int):
    for number in range(benefits):
        benefit = add_benefit(world, procurement, title=f"Gevinst {number}")
        for municipality in world.municipalities:
            share = add_share(world, procurement, benefit, municipality)
            measurement_record(
                user=world.representative(municipality), procurement=procurement, share_id=share.pk,
                measured_on=date(2025, 7, 1), value_measured=Decimal("8.5"),
            )


def test_the_plan_page(client, make_collaboration, make_procurement):
    world = make_collaboration(3)
    small, large = make_procurement(world, title="Liten"), make_procurement(world, title="Stor")
    _fill(world, small, 1)
    _fill(world, large, 4)
    for person in (world.coordinator, world.representative(world.municipalities[0])):
        client.force_login(person)
        client.get(reverse("benefit_plan", args=[small.pk]))  # caches filled (content types, session)
        assert _queries(client, reverse("benefit_plan", args=[small.pk])) == _queries(client, reverse("benefit_plan", args=[large.pk]))


def test_the_portfolio(client, make_collaboration, make_procurement):
    world = make_collaboration(2)
    client.force_login(world.coordinator)
    url = reverse("benefit_portfolio", args=[world.collaboration.pk])
    for index in range(2):
        _fill(world, make_procurement(world, title=f"Anskaffelse {index}"), 1)
    client.get(url)
    few = _queries(client, url)
    for index in range(2, 5):
        _fill(world, make_procurement(world, title=f"Anskaffelse {index}"), 1)
    assert _queries(client, url) == few
