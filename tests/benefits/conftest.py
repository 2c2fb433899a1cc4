from datetime import date
from decimal import Decimal

import pytest

from benefits.services import benefit_save, benefit_share_save

BENEFIT = {
    "title": "Spart tid per hjemmebesøk",
    "type": "time_saved",
    "category": "alternative_use",
    "beneficiaries": "Hjemmetjenesten",
    "indicator": "Minutter dokumentasjon per besøk",
    "unit": "minutter",
    "additive": False,
    "baseline_method": "Tidsregistrering to uker",
    "frequency": 3,
    "measures": "Mobil dokumentasjon",
    "assumptions": "Nettdekning",
    "risk": "Lav bruk",
    "planned": True,
}


def add_benefit(world, procurement, **overrides):
    return benefit_save(user=world.coordinator, procurement=procurement, **{**BENEFIT, **overrides})


def add_share(world, procurement, benefit, municipality, *, user=None, baseline="10", target="4", nok="120000", hours="300"):
    return benefit_share_save(
        user=user or world.representative(municipality),
        procurement=procurement,
        benefit_id=benefit.pk,
        municipality_id=municipality.pk,
        owner_id=world.representative(municipality).pk,
        baseline_value=Decimal(baseline),
        baseline_date=date(2025, 1, 1),
        target_value=Decimal(target),
        target_date=date(2027, 1, 1),
        nok_per_year=Decimal(nok),
        hours_per_year=Decimal(hours),
    )


@pytest.fixture
def plan_world(make_collaboration, make_procurement):
    """Three municipalities, all joined, the procurement in the needs phase, one benefit that
    every municipality expects with its own owner, baseline and target."""
    world = make_collaboration(3)
    procurement = make_procurement(world, phase="needs")
    benefit = add_benefit(world, procurement)
    shares = [add_share(world, procurement, benefit, m, nok=str(100000 * (i + 1))) for i, m in enumerate(world.municipalities)]
    return world, procurement, benefit, shares
