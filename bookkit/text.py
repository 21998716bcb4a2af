"""Small formatters for prose: dates at their precision and country names, so chapters share one way
of writing them (used with myst-nb `glue`)."""
from __future__ import annotations

import pandas as pd


def long_date(value, precision: str | None = None) -> str:
    """'1992-05-15' -> '15 May 1992'; '1993-09' -> 'September 1993'; '1994' -> '1994'.

    ``value`` may be a partial ISO string or a Timestamp; ``precision`` (day | month | year) defaults to
    what the string shows, or 'day' for a Timestamp.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "unknown"
    if isinstance(value, str):
        precision = precision or {4: "year", 7: "month"}.get(len(value), "day")
        value = pd.Timestamp((value + "-01-01")[:10] if len(value) == 4 else (value + "-01")[:10])
    precision = precision or "day"
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def month_year(value) -> str:
    return long_date(value, "month")


# One home for country names: the membership module's short English names.
from .membership import country_name  # noqa: E402,F401
