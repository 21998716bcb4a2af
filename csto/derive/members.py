"""member_years: the status of every state in each organisation on 31 December of each year.

The CSTO (and before 2002 the Collective Security Treaty) comes from ``membership_history`` (its
preferred rows); NATO, the SCO and the CIS from ``organisation_membership``. The convention is one for
all: the status on 31 December, a partial date counting from the first day of its period. States
appear from the first year they have a status; 'former' members stay listed. Each row carries the
sources of the event that put the state in that status.
"""
from __future__ import annotations

import pandas as pd

from bookkit import load

from ..membership import as_events, status_by_year

FIRST, LAST = 1992, 2025


def build() -> pd.DataFrame:
    frames = []
    csto = status_by_year(load("membership_history"), FIRST, LAST)
    frames.append(csto.assign(org="CSTO"))
    others = load("organisation_membership")
    for org, events in others.groupby("org", sort=True):
        frames.append(status_by_year(as_events(events), FIRST, LAST).assign(org=str(org)))
    out = pd.concat(frames, ignore_index=True)
    return out[["org", "country", "year", "status", "source"]]
