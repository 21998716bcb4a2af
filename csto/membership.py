"""Membership status of each state, derived from ``membership_history`` (chapters 4 and 10, the map).

``membership_history`` records events (signature, accession, exit, return, suspension, freeze ...),
each with the status it puts the state in (``status_after``) and a ``preferred`` flag for competing
versions.  This module turns the preferred events into

- ``spells(df)``: one row per state per period in one status (start and end timestamps), for
  Gantt/timeline charts;
- ``status_by_year(df)``: the status of each state on 31 December of each year, for maps with a year
  slider and for counts;
- ``counts_by_year(df)``: number of states in each status per year;
- ``country_name(iso3)``: the short English name used in membership tables, charts and tooltips.

Rules (all deterministic):

- Only rows with ``preferred == True`` are used; the others are alternative versions kept for the record.
- A partial date counts from the first day of its period (``bookkit.date_start``): ``2013`` is 2013-01-01.
- Events on the same day are ordered by row order after a stable sort on date, state and event name;
  events that do not change the status (ratification, entry into force ...) simply repeat it.
- The year convention is the status *at the end of the year*: a state that left in April 1999 is
  ``former`` for 1999; a state that joined in December 1993 is ``member`` for 1993.
- States with no preferred event before a year have no row for that year (callers fill ``none``
  if they need every state).

Statuses are those of the schema: member, former, suspended, frozen, observer.
"""
from __future__ import annotations

import pandas as pd
import pycountry

from .data import date_start

STATUSES = ["member", "frozen", "suspended", "observer", "former"]
# A state in one of these statuses is still a member in law (counted in the formal membership).
FORMAL_MEMBER = {"member", "frozen"}
# Short forms where the ISO 3166 name is long or formal; every other code uses its ISO 3166 name.
SHORT_NAMES = {"MDA": "Moldova", "RUS": "Russia", "SUN": "Soviet Union"}


def country_name(iso3: str) -> str:
    """Short English name for an ISO3 code ('RUS' -> 'Russia', 'KGZ' -> 'Kyrgyzstan')."""
    if iso3 in SHORT_NAMES:
        return SHORT_NAMES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise KeyError(f"unknown ISO3 code {iso3!r}")
    return country.name


def _events(df: pd.DataFrame) -> pd.DataFrame:
    """Preferred events with a ``start`` timestamp, sorted deterministically."""
    need = {"country", "event", "date", "preferred", "status_after"}
    missing = need - set(df.columns)
    if missing:
        raise KeyError(f"membership table lacks column(s) {sorted(missing)}")
    ev = df[df["preferred"].astype("boolean").fillna(False)].copy()
    ev["start"] = date_start(ev["date"].astype("string"))
    return ev.sort_values(["country", "start", "event"], kind="stable").reset_index(drop=True)


def spells(df: pd.DataFrame, until: str = "2025-12-31") -> pd.DataFrame:
    """One row per uninterrupted period of one status per state.

    Returns columns country, status, start, end (Timestamps; ``end`` of the last spell is ``until``),
    start_event and end_event (the events opening and closing the spell; end_event is empty for the
    open last spell), sorted by country and start.
    """
    end_of_record = pd.Timestamp(until)
    out = []
    for country, ev in _events(df).groupby("country", sort=True):
        current = None
        for row in ev.itertuples(index=False):
            if current is not None and row.status_after == current["status"]:
                continue  # no change of status
            if current is not None:
                current.update(end=row.start, end_event=row.event)
                out.append(current)
            current = {"country": country, "status": row.status_after, "start": row.start,
                       "start_event": row.event, "end": None, "end_event": ""}
        if current is not None:
            current["end"] = end_of_record
            out.append(current)
    res = pd.DataFrame(out, columns=["country", "status", "start", "end", "start_event", "end_event"])
    return res.sort_values(["country", "start"], kind="stable").reset_index(drop=True)


def status_by_year(df: pd.DataFrame, first: int = 1992, last: int = 2025) -> pd.DataFrame:
    """Status of each state on 31 December of each year from ``first`` to ``last``.

    Returns columns country, year (int), status; states appear from the first year they have a status.
    """
    sp = spells(df, until=f"{last + 1}-01-01")
    rows = []
    for year in range(first, last + 1):
        cut = pd.Timestamp(f"{year}-12-31")
        live = sp[(sp["start"] <= cut) & (sp["end"] > cut)]
        rows += [{"country": c, "year": year, "status": s} for c, s in zip(live["country"], live["status"])]
    return (pd.DataFrame(rows, columns=["country", "year", "status"])
            .sort_values(["year", "country"], kind="stable").reset_index(drop=True))


def counts_by_year(df: pd.DataFrame, first: int = 1992, last: int = 2025) -> pd.DataFrame:
    """Number of states per status and year (statuses absent in a year get 0).

    Returns columns year, status, n, sorted by year and the order of ``STATUSES``.
    """
    st = status_by_year(df, first, last)
    grid = pd.MultiIndex.from_product([range(first, last + 1), STATUSES], names=["year", "status"])
    n = st.groupby(["year", "status"]).size().reindex(grid, fill_value=0)
    return n.rename("n").reset_index()
