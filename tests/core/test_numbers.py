"""Numbers in messages and audit entries are written as the reader writes them."""
from decimal import Decimal

import pytest
from django.utils import translation

from audit.actions import Action
from audit.models import AuditEntry
from core.numbers import kroner_text, percent_text

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "language, value, expected",
    [
        ("nb", Decimal("90"), f"90,00{NBSP}%"),
        ("nb", Decimal("33.34"), f"33,34{NBSP}%"),
        ("nb", Decimal("1234.5"), f"1{NBSP}234,50{NBSP}%"),
        ("en", Decimal("90"), f"90.00{NBSP}%"),
        ("en", Decimal("1234.5"), f"1,234.50{NBSP}%"),
    ],
)
def test_percent(language, value, expected):
    with translation.override(language):
        assert percent_text(value) == expected


@pytest.mark.parametrize("language, expected", [("nb", f"2{NBSP}500{NBSP}000{NBSP}kr"), ("en", f"2,500,000{NBSP}kr")])
def test_kroner(language, expected):
    with translation.override(language):
        assert kroner_text(2_500_000) == expected


@pytest.mark.django_db
def test_the_cost_share_audit_entry_is_bokmaal_whatever_the_coordinator_reads(make_collaboration, make_procurement):
    world = make_collaboration(3)
    with translation.override("en"):
        make_procurement(world, joined=world.municipalities)
    entry = AuditEntry.objects.filter(action=Action.COST_SHARES_SET).latest("pk")
    assert f"33,34{NBSP}%" in entry.message
    assert f"33,33{NBSP}%" in entry.message
    assert "." not in entry.message.split(":", 1)[1]
