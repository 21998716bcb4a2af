"""Numbers and words for the prose: ``put(name, value)`` formats a value and glues it for myst-nb.

Prose never types a number: it writes {glue}`name` and the notebook ``put``s the value computed from
the data. One formatter serves every chapter, so a date or a share reads the same everywhere:

    put("n_members", 6)                       -> 6
    put("share", 95.23, fmt="percent")        -> 95.2 per cent
    put("d_treaty", "1992-05-15", fmt="date") -> 15 May 1992
    put("founders", ["FRA", "DEU"], fmt="names") -> France and Germany
    put("n_cases", 3, noun="analysis")       -> 3 analyses
    put("n_cases", 0, noun="case")           -> no cases

The value is stored as text/markdown and text/plain (the same words), so {glue}, {glue:text} and
{glue:md} all show it; the project's JupyterLab extension shows it in Lab too. ``put`` returns nothing.
"""
from __future__ import annotations

import numbers

import pandas as pd

from .countries import names as country_names
from .dates import long_date


class Words(str):
    """Text that displays as itself (no quotes) in every MIME type a glue role may pick."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": str(self), "text/plain": str(self)}

    def __repr__(self) -> str:
        # IPython's plain-text formatter prints a str subclass with repr(), which would add quotes
        # wherever a glue role falls back to text/plain (a {glue} pasted from another page, for one).
        return str(self)


def join(items) -> str:
    """'a', 'a and b', 'a, b and c'; 'none' for nothing."""
    items = [str(i) for i in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(noun: str | tuple[str, str], n) -> str:
    if isinstance(noun, str):
        if noun.endswith("is"):
            many = noun[:-2] + "es"  # crisis -> crises, thesis -> theses
        elif noun.endswith("y") and noun[-2:-1] not in "aeiou":
            many = noun[:-1] + "ies"
        else:
            many = noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")
        one = noun
    else:
        one, many = noun
    return one if n == 1 else many


def number(value, fmt: str | None = None) -> str:
    if fmt:
        return format(value, fmt)
    if isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def words(value, fmt: str | None = None, noun=None) -> str:
    """The text ``put`` would glue for ``value``."""
    if value is None or (not isinstance(value, (str, list, tuple, set)) and pd.isna(value)):
        return "unknown"
    if fmt in {"date", "month", "year"}:
        return long_date(value, None if fmt == "date" else fmt)
    if fmt == "names":
        return join(country_names(value))
    if fmt == "list":
        return join(value)
    if fmt == "percent":
        return f"{float(value):.1f} per cent"
    if isinstance(value, pd.Timestamp):
        return long_date(value)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        if noun and value == 0:
            return f"no {_plural(noun, 0)}"  # "no years" reads better than "0 years"
        text = number(value, fmt)
        return f"{text} {_plural(noun, value)}" if noun else text
    if isinstance(value, (list, tuple)):
        return join(value)
    return str(value)


def put(name: str, value, fmt: str | None = None, noun=None) -> None:
    """Glue ``value`` under ``name`` for the prose (see the module docstring).

    Returns nothing, so a cell that ends with ``put`` shows no stray quoted text under its code;
    ``words(value, fmt, noun)`` gives the text without gluing it.
    """
    from myst_nb import glue

    glue(name, Words(words(value, fmt, noun)), display=False)
