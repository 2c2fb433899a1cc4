"""Measurements over time: against the planned path, explained when they deviate, and
still recorded after the contract and after the case is closed."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from benefits.models import Measurement
from benefits.services import measurement_record
from procurement import phases

pytestmark = pytest.mark.django_db


def test_a_measurement_on_plan_needs_no_explanation(plan_world):
    world, procurement, _benefit, shares = plan_world
    share = shares[0]  # 10 minutes on 1.1.2025 down to 4 on 1.1.2027
    m = measurement_record(
        user=world.representative(share.municipality), procurement=procurement, share_id=share.pk,
        measured_on=date(2026, 1, 1), value_measured=Decimal("7"),
    )
    assert (m.planned_value, m.deviates, m.explanation) == (Decimal("7.00"), False, "")


def test_a_deviation_must_be_explained(client, plan_world):
    world, procurement, benefit, shares = plan_world
    share = shares[0]
    user = world.representative(share.municipality)
    with pytest.raises(ValidationError) as error:
        measurement_record(user=user, procurement=procurement, share_id=share.pk, measured_on=date(2026, 1, 1), value_measured=Decimal("9.5"))
    assert "Forklar hvorfor" in error.value.message_dict["explanation"][0]
    client.force_login(user)
    url = reverse("benefit_measurement_add", args=[procurement.pk, share.pk])
    response = client.post(url, {"measured_on": "2026-01-01", "value": "9,5"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Målingen avviker fra planen" in page and 'id="id_measurement_explanation_error"' in page
    assert 'value="9,5"' in page  # what was typed is kept
    response = client.post(url, {"measured_on": "2026-01-01", "value": "9,5", "explanation": "Opplæringen kom sent i gang."})
    assert response.status_code == 302
    m = Measurement.objects.get(share=share)
    assert (m.value, m.deviates, m.explanation) == (Decimal("9.5"), True, "Opplæringen kom sent i gang.")
    page = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    assert "Opplæringen kom sent i gang." in page and "Avvik" in page


def test_measurements_go_on_after_the_case_is_closed(plan_world, advance_to):
    world, procurement, _benefit, shares = plan_world
    advance_to(procurement, phases.CLOSED)
    share = shares[1]
    m = measurement_record(
        user=world.representative(share.municipality), procurement=procurement, share_id=share.pk,
        measured_on=date(2026, 1, 1), value_measured=Decimal("7"),
    )
    assert m.pk is not None


def test_one_measurement_a_day(plan_world):
    world, procurement, _benefit, shares = plan_world
    share = shares[0]
    user = world.representative(share.municipality)
    measurement_record(user=user, procurement=procurement, share_id=share.pk, measured_on=date(2026, 1, 1), value_measured=Decimal("7"))
    with pytest.raises(ValidationError):
        measurement_record(user=user, procurement=procurement, share_id=share.pk, measured_on=date(2026, 1, 1), value_measured=Decimal("7"))


def test_realised_value_and_charts_follow_the_measurements(client, plan_world):
    world, procurement, _benefit, shares = plan_world
    share = shares[2]  # 300 000 kr a year when the target (4) is reached from 10
    measurement_record(
        user=world.representative(share.municipality), procurement=procurement, share_id=share.pk,
        measured_on=date(2026, 1, 1), value_measured=Decimal("7"),
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    assert "150\xa0000 kr per år" in page  # half the way: half the value
    assert f'id="chart-share-{share.pk}"' in page
    assert "Tallene i diagrammet" in page


def test_the_portfolio_across_procurements(client, plan_world, make_procurement):
    world, procurement, _benefit, shares = plan_world
    make_procurement(world, title="Annen anskaffelse")
    client.force_login(world.coordinator)
    response = client.get(reverse("benefit_portfolios"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert procurement.title in page and "Annen anskaffelse" in page
    assert "600\xa0000" in page
    for municipality in world.municipalities:
        assert municipality.name in page
    client.force_login(world.representative(world.municipalities[0]))
    assert client.get(reverse("benefit_portfolio", args=[world.collaboration.pk])).status_code == 404
