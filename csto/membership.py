"""Who was a member of what, and when: the one place membership by date is computed.

``membership_history`` records events (signature, accession, exit, return, suspension, freeze ...),
each with the status it puts the state in (``status_after``) and a ``preferred`` flag for competing
versions.  This module turns the preferred events into

- ``spells(df)``: one row per state per period in one status (start and end timestamps), for
  Gantt/timeline charts;
- ``status_by_year(df)``: the status of each state on 31 December of each year, for maps with a year
  slider and for counts;
- ``counts_by_year(df)``: number of states in each status per year;
- ``status_on(df, date)``: each state's status on one day.

``csto.derive.members`` writes the yearly statuses of every organisation (the CSTO from
``membership_history``; NATO, the SCO and the CIS from ``organisation_membership``) to the derived
table ``member_years``, which every chapter reads: one convention (status on 31 December), one
computation.

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

from bookkit.dates import date_start

STATUSES = ["member", "frozen", "suspended", "observer", "former"]
# A state in one of these statuses is still a member in law (counted in the formal membership).
FORMAL_MEMBER = {"member", "frozen"}
# Events of organisation_membership -> the status they put a state in (None: no change of status).
EVENT_STATUS = {"joined": "member", "left": "former", "associate": "observer", "stopped_participating": "former",
                "ratified_charter": None}


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
    open last spell) and source (the sources of the opening event), sorted by country and start.
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
                       "start_event": row.event, "end": None, "end_event": "",
                       "source": getattr(row, "source", "")}
        if current is not None:
            current["end"] = end_of_record
            out.append(current)
    res = pd.DataFrame(out, columns=["country", "status", "start", "end", "start_event", "end_event", "source"])
    return res.sort_values(["country", "start"], kind="stable").reset_index(drop=True)


def status_by_year(df: pd.DataFrame, first: int = 1992, last: int = 2025) -> pd.DataFrame:
    """Status of each state on 31 December of each year from ``first`` to ``last``.

    Returns columns country, year (int), status, source (of the event that opened the status);
    states appear from the first year they have a status.
    """
    sp = spells(df, until=f"{last + 1}-01-01")
    rows = []
    for year in range(first, last + 1):
        cut = pd.Timestamp(f"{year}-12-31")
        live = sp[(sp["start"] <= cut) & (sp["end"] > cut)]
        rows += [{"country": c, "year": year, "status": s, "source": src}
                 for c, s, src in zip(live["country"], live["status"], live["source"])]
    return (pd.DataFrame(rows, columns=["country", "year", "status", "source"])
            .sort_values(["year", "country"], kind="stable").reset_index(drop=True))


def status_on(df: pd.DataFrame, day: str) -> pd.DataFrame:
    """Each state's status on ``day`` (ISO date): columns country, status."""
    cut = pd.Timestamp(day)
    sp = spells(df, until="2100-01-01")
    live = sp[(sp["start"] <= cut) & (sp["end"] > cut)]
    return live[["country", "status"]].reset_index(drop=True)


def as_events(org_events: pd.DataFrame) -> pd.DataFrame:
    """organisation_membership rows of one organisation in the shape ``spells`` reads."""
    ev = org_events.copy()
    ev["status_after"] = ev["event"].map(EVENT_STATUS)
    ev = ev[ev["status_after"].notna() & ev["date"].notna()]
    ev["preferred"] = True
    return ev[["country", "event", "date", "preferred", "status_after", "source"]]


def counts_by_year(df: pd.DataFrame, first: int = 1992, last: int = 2025) -> pd.DataFrame:
    """Number of states per status and year (statuses absent in a year get 0).

    Returns columns year, status, n, sorted by year and the order of ``STATUSES``.
    """
    st = status_by_year(df, first, last)
    grid = pd.MultiIndex.from_product([range(first, last + 1), STATUSES], names=["year", "status"])
    n = st.groupby(["year", "status"]).size().reindex(grid, fill_value=0)
    return n.rename("n").reset_index()
