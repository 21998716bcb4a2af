"""Small formatters for prose: dates at their precision and country names, so chapters share one way
of writing them (used with myst-nb `glue`)."""
from __future__ import annotations

import re

import pandas as pd

from .data import date_start


class Prose(str):
    """A string that glues as Markdown (no quotes around it in the rendered prose)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def chapter_key(chapter) -> tuple[int, str]:
    """Sort key for chapter labels such as '4', '4b', '10'."""
    m = re.fullmatch(r"(\d+)([a-z]?)", str(chapter))
    if not m:
        raise ValueError(f"not a chapter label: {chapter!r}")
    return int(m.group(1)), m.group(2)


def long_date(value, precision: str | None = None) -> str:
    """'1992-05-15' -> '15 May 1992'; '1993-09' -> 'September 1993'; '1994' -> '1994'.

    ``value`` may be a partial ISO string or a Timestamp; ``precision`` (day | month | year) defaults to
    what the string shows, or 'day' for a Timestamp.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return Prose("unknown")
    if isinstance(value, str):
        precision = precision or {4: "year", 7: "month"}.get(len(value), "day")
        value = date_start(pd.Series([value])).iloc[0]
    precision = precision or "day"
    if precision == "year":
        return Prose(f"{value.year}")
    if precision == "month":
        return Prose(f"{value:%B} {value.year}")
    return Prose(f"{value.day} {value:%B} {value.year}")


def month_year(value) -> str:
    return long_date(value, "month")


# One home for country names: the membership module's short English names.
from .membership import country_name  # noqa: E402,F401  (re-exported)

__all__ = ["Prose", "chapter_key", "country_name", "long_date", "month_year"]
