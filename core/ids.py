"""Object ids read from a form or a query string."""

# Past 18 digits an id no longer fits the database's 64-bit integer column.
ID_MAX_DIGITS = 18


def id_from(value) -> int | None:
    """VALUE as an id, or None for anything that is not one. Only ASCII digits: str.isdigit()
    also passes '²' and other digit-like characters that int() refuses."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > ID_MAX_DIGITS:
        return None
    return int(text)
