"""leading_member_share: the leading member's share of an organisation's military spending, by year.

One measure, computed the same way for three organisations: Russia in the CSTO, the United States in
NATO, China in the SCO. Members are the states that are members in law on 31 December (``member_years``:
status member, or frozen), spending is SIPRI's constant-2024-dollar series (``military_expenditure``).
A member without a SIPRI figure that year is left out of the sum and named in ``missing``: the share
is then an upper bound, and ``complete`` is false.
"""
from __future__ import annotations

import pandas as pd

from bookkit import load

LEADERS = {"CSTO": "RUS", "NATO": "USA", "SCO": "CHN"}
IN_LAW = {"member", "frozen"}


def build() -> pd.DataFrame:
    years = load("member_years")
    spend = load("military_expenditure")[["country", "year", "milex_constant2024_usd_m"]]
    rows = []
    for org, leader in LEADERS.items():
        members = years[(years["org"] == org) & years["status"].isin(IN_LAW)]
        merged = members.merge(spend, on=["country", "year"], how="left")
        for year, group in merged.groupby("year", sort=True):
            known = group[group["milex_constant2024_usd_m"].notna()]
            lead = known.loc[known["country"] == leader, "milex_constant2024_usd_m"]
            if lead.empty:
                continue  # the leader is not a member that year (the SCO before 2001)
            total = float(known["milex_constant2024_usd_m"].sum())
            rows.append({
                "org": org, "year": int(year), "leader": leader,
                "leader_spending": float(lead.iloc[0]), "members_spending": total,
                "share_pct": 100 * float(lead.iloc[0]) / total,
                "n_members": len(group), "members": ";".join(sorted(group["country"])),
                "missing": ";".join(sorted(group.loc[group["milex_constant2024_usd_m"].isna(), "country"])),
                "complete": bool(group["milex_constant2024_usd_m"].notna().all()),
                "source": "sipri_milex_2026",
            })
    return pd.DataFrame(rows)
