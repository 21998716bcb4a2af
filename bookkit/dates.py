"""Partial ISO dates ('1993', '1993-09', '1993-09-24') as timestamps and as words."""
from __future__ import annotations

import pandas as pd

from .types import DATE_LENGTH

_PRECISION_BY_LENGTH = {length: word for word, length in DATE_LENGTH.items()}


def date_start(dates: pd.Series) -> pd.Series:
    """First day of each partial ISO date ('1993' -> 1993-01-01, '1993-09' -> 1993-09-01); <NA> stays NaT."""
    def complete(d):
        if d is None or (not isinstance(d, str) and pd.isna(d)):
            return None
        return {4: d + "-01-01", 7: d + "-01"}.get(len(d), d)
    return pd.to_datetime(pd.Series(dates, dtype=object).map(complete), format="%Y-%m-%d")


def precision_of(text: str) -> str:
    return _PRECISION_BY_LENGTH.get(len(text), "day")


def long_date(value, precision: str | None = None) -> str:
    """'1992-05-15' -> '15 May 1992'; '1993-09' -> 'September 1993'; '1994' -> '1994'; missing -> 'unknown'."""
    if value is None or (not isinstance(value, (str, pd.Timestamp)) and pd.isna(value)):
        return "unknown"
    if isinstance(value, str):
        precision = precision or precision_of(value)
        value = date_start(pd.Series([value])).iloc[0]
    if pd.isna(value):
        return "unknown"
    precision = precision or "day"
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def days_between(earlier, later) -> int:
    """Whole days from one date (ISO text or timestamp) to another."""
    start, end = (date_start(pd.Series([d])).iloc[0] if isinstance(d, str) else d for d in (earlier, later))
    return int((end - start).days)
