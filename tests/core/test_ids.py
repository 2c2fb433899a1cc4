"""Ids read from forms and query strings (core.ids.id_from)."""
import pytest

from core.ids import id_from


@pytest.mark.parametrize("value, expected", [("42", 42), (" 7 ", 7), (3, 3), ("9" * 18, int("9" * 18))])
def test_an_id_is_read(value, expected):
    assert id_from(value) == expected


@pytest.mark.parametrize("value", ["", None, "abc", "-1", "1.0", "1e3", "9" * 19, "²", "١٢", "NaN"])
def test_anything_else_is_none(value):
    assert id_from(value) is None
