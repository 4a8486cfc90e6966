"""Page numbers from the query string."""


def page_arg(value: str | None, maximum: int = 100000) -> int:
    """A 1-based page number from a query string; anything odd is page 1."""
    value = value or ""
    if value.isascii() and value.isdigit() and len(value) < 7 and 0 < int(value) <= maximum:
        return int(value)
    return 1
