"""Country names for prose, tables and charts: ISO 3166 names, with short forms set once per book."""
from __future__ import annotations

from functools import cache

from . import paths


@cache
def name(iso3: str) -> str:
    """Short English name for an ISO3 code ('FRA' -> 'France'); short forms from [tool.bookkit.country_names]."""
    short = paths.settings().get("country_names", {})
    if iso3 in short:
        return short[iso3]
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise KeyError(f"unknown ISO3 code {iso3!r} (add it to [tool.bookkit.country_names])")
    return getattr(country, "common_name", None) or country.name


def names(codes) -> list[str]:
    return [name(c) for c in codes]
