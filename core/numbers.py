"""Numbers as people read them in the active language: bokmål writes 1 234,50 and 90,00 %,
English 1,234.50 and 90.00 %. For messages and audit entries built in Python; templates
use floatformat with the "g" suffix for the same result."""
from decimal import Decimal

from django.utils.formats import number_format

NBSP = "\u00a0"


def decimal_text(value: Decimal | int | float, places: int = 2) -> str:
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def percent_text(value: Decimal | int | float, places: int = 2) -> str:
    """'90,00 %' (a no-break space keeps the sign with its number)."""
    return f"{decimal_text(value, places)}{NBSP}%"


def kroner_text(value: Decimal | int | float) -> str:
    return f"{decimal_text(value, 0)}{NBSP}kr"
