"""Cell types: what a text cell of each schema type must look like.

Each type has the rule text that error messages quote and up to two checks:
- ``pattern``: a regular expression one cell must match in full. Digits are ASCII ``[0-9]`` on purpose
  (Python's ``\\d`` also matches Arabic-Indic and other digits, which must not pass as numbers).
- ``check``: a function of the set of distinct cell values returning the bad ones, each with the rule it
  breaks (membership tests: country codes, BibTeX keys, calendar dates ...). Distinct values are few
  even in large tables, so this stays cheap.

A book adds its own types (for example article locators) by calling ``register`` from the plugin
module named in ``[tool.bookkit] plugins``.
"""
from __future__ import annotations

import calendar
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import bib, paths

Check = Callable[[set[str], object], dict[str, str]]


@dataclass(frozen=True)
class CellType:
    name: str
    rule: str
    pattern: str | None = None
    check: Check | None = None


_TYPES: dict[str, CellType] = {}


def register(cell_type: CellType) -> None:
    _TYPES[cell_type.name] = cell_type


@lru_cache(maxsize=1)
def _load_plugins() -> None:
    for module in paths.settings().get("plugins", []):
        importlib.import_module(module)


def known_types() -> set[str]:
    _load_plugins()
    return set(_TYPES)


def get(name: str) -> CellType:
    _load_plugins()
    return _TYPES[name]


# --- codes ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes, plus withdrawn codes the book needs (settings: historic_iso3, e.g. SUN)."""
    import pycountry

    historic = set(paths.settings().get("historic_iso3", []))
    return frozenset({c.alpha_3 for c in pycountry.countries}
                     | {c.alpha_3 for c in pycountry.historic_countries if c.alpha_3 in historic})


def _allowed_codes(field) -> frozenset[str]:
    extra = getattr(field, "also_allowed", None)
    if not extra:
        return iso3_codes()
    from .schema import codelist

    return iso3_codes() | {c.value for c in codelist(extra)}


def _split_ok(value: str, allowed: frozenset[str]) -> bool:
    items = value.split(";")
    return len(items) == len(set(items)) and all(i in allowed for i in items)


def _check_iso3(values: set[str], field) -> dict[str, str]:
    allowed = _allowed_codes(field)
    return {v: "" for v in values if v not in allowed}


def _check_iso3_list(values: set[str], field) -> dict[str, str]:
    allowed = _allowed_codes(field)
    return {v: "" for v in values if not _split_ok(v, allowed)}


INDEPENDENT_RULE = ("sources: at least one source that is not of a weak type ({types}); such a source may "
                    "only stand beside an independent one")


def _check_sources(values: set[str], field) -> dict[str, str]:
    known = bib.keys()
    entries = bib.entries()
    weak = bib.weak_types()
    bad = {}
    for v in values:
        if not _split_ok(v, known):
            bad[v] = ""
        elif weak and all(entries[k].get("sourcetype") in weak for k in v.split(";")):
            bad[v] = INDEPENDENT_RULE.format(types=", ".join(sorted(weak)))
    return bad


def _check_date(values: set[str], field) -> dict[str, str]:
    bad = {}
    for v in values:
        year, month, day = (int(p) for p in (v.split("-") + ["0", "0"])[:3])
        if len(v) >= 7 and not 1 <= month <= 12:
            bad[v] = ""
        elif len(v) == 10 and not 1 <= day <= calendar.monthrange(year, month)[1]:
            bad[v] = ""
    return bad


INTEGER = r"-?[0-9]+"
NUMBER = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
DATE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
# A date's length at each precision (2010, 2010-06, 2010-06-14): the rule between a date and its precision.
DATE_LENGTH = {"year": 4, "month": 7, "day": 10}

for _t in (
    CellType("string", "string: text without control characters"),
    CellType("integer", "integer: whole number in ASCII digits, no separators", INTEGER),
    CellType("number", "number: decimal in ASCII digits with '.' and no thousands separators", NUMBER),
    CellType("year", "year: four ASCII digits", r"[0-9]{4}"),
    CellType("boolean", "boolean: 'true' or 'false'", r"true|false"),
    CellType("date", "date: ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits that exists in the calendar",
             DATE, _check_date),
    CellType("iso3", "iso3: ISO 3166-1 alpha-3 country code", None, _check_iso3),
    CellType("iso3_list", "iso3_list: ';'-separated codes (ISO 3166-1 alpha-3, or the column's extra code "
             "list), no spaces or repeats", None, _check_iso3_list),
    CellType("sources", "sources: ';'-separated BibTeX keys found in book/references/*.bib", None, _check_sources),
):
    register(_t)
