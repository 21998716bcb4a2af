"""Measures the chapters share, each computed once.

Three measures are derived tables, built by ``csto.derive`` and read with ``load`` like any table:
``member_years`` (who was a member of what on 31 December), ``leading_member_share`` (the leading
member's share of an organisation's military spending) and ``member_conflicts`` (armed conflict
touching members, by kind). The functions below compute the rest from the curated tables, for every
chapter that needs them, so that a number stated in two chapters is one computation.
"""
from __future__ import annotations

import pandas as pd

from bookkit import load
from bookkit.dates import date_start, days_between

IN_LAW = ("member", "frozen")


def members(org: str, year: int) -> list[str]:
    """ISO3 codes of the members in law of ``org`` on 31 December ``year``."""
    years = load("member_years")
    chosen = years[(years["org"] == org) & (years["year"] == year) & years["status"].isin(IN_LAW)]
    return sorted(chosen["country"])


def member_counts() -> pd.DataFrame:
    """Members in law per organisation and year: columns org, year, members."""
    years = load("member_years")
    counts = years[years["status"].isin(IN_LAW)].groupby(["org", "year"]).size().rename("members")
    return counts.reset_index()


def share(org: str) -> pd.DataFrame:
    """The leading member's share of ``org``'s military spending, by year (from leading_member_share)."""
    shares = load("leading_member_share")
    return shares[shares["org"] == org].reset_index(drop=True)


# Whom the members asked in a crisis, as crises() writes it (with "no request" and "no request found").
RUSSIA_ALONE, ORGANISATION, BOTH = ASKED = ("Russia alone", "the organisation", "the organisation and Russia")


def crises() -> pd.DataFrame:
    """Crises involving members (crisis_responses) with who was asked: the organisation, Russia, both."""
    table = load("crisis_responses").copy()
    asked = table["request_to"].fillna("").str.split(";")
    to_org = asked.map(lambda items: "CSTO" in items)
    to_russia = asked.map(lambda items: "RUS" in items)
    table["asked"] = pd.Series("no request found", index=table.index, dtype=object)
    table.loc[to_org & ~to_russia, "asked"] = ORGANISATION
    table.loc[to_russia & ~to_org, "asked"] = RUSSIA_ALONE
    table.loc[to_org & to_russia, "asked"] = BOTH
    table.loc[table["requested"].eq(False).fillna(False), "asked"] = "no request"
    table["start"] = date_start(table["start_date"])
    return table


def requests(period: str | None = None) -> dict[str, int]:
    """Counts of crises by whom the members asked, and how often the organisation sent forces; over
    every crisis, or over one ``period`` of the crisis table (e.g. 'after_2011'). Every chapter that
    counts requests takes its numbers from here, so the counts differ only by the period named."""
    table = crises()
    after = table[table["period"] == "after_2011"]
    if period is not None:
        table = table[table["period"] == period]
    return {
        "crises": len(table), "crises_after": len(after),
        "asked_any": int(table["asked"].isin(ASKED).sum()),
        "asked_organisation": int(table["asked"].isin([ORGANISATION, BOTH]).sum()),
        "asked_organisation_alone": int((table["asked"] == ORGANISATION).sum()),
        "asked_both": int((table["asked"] == BOTH).sum()),
        "asked_russia_alone": int((table["asked"] == RUSSIA_ALONE).sum()),
        "deployments": int((table["response_level"] == "deployment").sum()),
    }


def kazakhstan_force() -> dict:
    """The 2022 force by substance: the official total, the contingents reported at the withdrawal
    (13 January 2022: the states that gave figures), the days from first arrival to last departure, and
    the troops left for the states that gave no figure (Russia and Belarus together, an upper bound)."""
    events = load("post_2011_events")
    kaz = events[events["crisis"] == "kaz_2022_jan"]
    figures = kaz[kaz["category"] == "troop_figure"]
    # The official total is the one Kazakhstan's president gave the Collective Security Council on
    # 10 January 2022 (row pe036), which the send-off ceremony and Russia's defence ministry repeated.
    official = int(figures.set_index("id").loc["pe036", "troops"])
    at_withdrawal = figures[(figures["troops_kind"] == "national_contingent") & (figures["date"] >= "2022-01-13")]
    contingents = at_withdrawal.groupby("troops_of")["troops"].agg(lambda s: int(s.mode().iloc[0]))
    row = load("crisis_responses").set_index("crisis").loc["kaz_2022_jan"]
    rest = official - int(contingents.sum())
    return {"official_total": official, "contingents": contingents.to_dict(),
            "rest_for_unreported": rest, "rest_share_pct": 100 * rest / official,
            "days_deployed": int(row["days_deployed"]), "forces_from": str(row["forces_from"]).split(";"),
            "command": str(row["command"]), "decided": str(row["response_date"])}


def conflict_counts() -> pd.DataFrame:
    """Conflict-years and attacks touching members, by period and kind (from member_conflicts)."""
    table = load("member_conflicts").copy()
    table["period"] = table["year"].map(lambda y: "1992-2010" if y <= 2010 else "2011-2024")
    return table.groupby(["period", "kind"]).size().rename("rows").reset_index()


def vote_alignment() -> pd.DataFrame:
    """Per resolution: how many CSTO members of that year (Russia apart) voted as Russia did."""
    votes = load("unga_votes")
    resolutions = load("unga_resolutions")
    russia = votes[votes["country"] == "RUS"].set_index("resolution")["vote"]
    rows = []
    for r in resolutions.itertuples(index=False):
        year = int(str(r.date)[:4])
        others = [c for c in members("CSTO", year) if c != "RUS"]
        cast = votes[(votes["resolution"] == r.resolution) & votes["country"].isin(others)]
        rows.append({"resolution": r.resolution, "date": r.date, "members": len(others),
                     "votes_known": len(cast), "with_russia": int((cast["vote"] == russia.get(r.resolution)).sum())})
    return pd.DataFrame(rows)


def days(start: str, end: str) -> int:
    """Whole days between two ISO dates (a thin alias, so chapters need one import)."""
    return days_between(start, end)
