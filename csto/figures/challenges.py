"""Charts of chapter 7 (the article's challenges): the leading member's share of an organisation's
military spending (test T1) and the military burden of the treaty's members and former members.

The builders only draw what the tables hold: the share comes computed from ``leading_member_share``
and the status of each state from ``member_years``; nothing is recomputed here.
"""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt, finish
from bookkit.countries import names
from bookkit.labels import coded

KNOWN = "every member's figure known"
BOUND = "upper bound: a member's figure missing"


def _names(codes: pd.Series, empty: str) -> list[str]:
    """'KAZ;UZB' -> 'Kazakhstan, Uzbekistan' for each cell; ``empty`` where the cell is empty."""
    return [", ".join(names(c.split(";"))) if isinstance(c, str) and c else empty for c in codes]


def leading_share(share: pd.DataFrame) -> alt.Chart:
    """The leader's share of the members' military spending by year, one line per organisation, on a
    full 0-100 axis; a downward triangle marks a year whose share is an upper bound (a member's figure
    is missing, so the true share may be lower)."""
    org = coded("leading_member_share", "org")
    data = pd.DataFrame({
        "organisation": org.words(share["org"]),
        "year": share["year"].astype(int),
        "share": share["share_pct"].astype(float).round(1),
        "members": share["n_members"].astype(int),
        "missing": _names(share["missing"], "none"),
        "data": [KNOWN if c else BOUND for c in share["complete"]],
    })
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickCount=8), scale=alt.Scale(nice=False))
    y = alt.Y("share:Q", title="Leader's share of members' spending (%)", scale=alt.Scale(domain=[0, 100]))
    colour = alt.Color("organisation:N", **org.encoding("Organisation"))
    tips = [alt.Tooltip("organisation:N", title="Organisation"), alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("share:Q", title="Leader's share (%)", format=".1f"),
            alt.Tooltip("members:Q", title="Members"), alt.Tooltip("missing:N", title="Members without a figure")]
    base = alt.Chart(data).encode(x=x, y=y, color=colour, tooltip=tips)
    points = base.mark_point(filled=True, size=36).encode(
        shape=alt.Shape("data:N", title="Data", scale=alt.Scale(domain=[KNOWN, BOUND],
                                                               range=["circle", "triangle-down"])))
    ranges = data.groupby("organisation", sort=False)["share"].agg(["min", "max"])
    description = ("Line chart of the leading member's share of its organisation's military spending, in per "
                   "cent on a full scale, by year, one line per organisation: "
                   + "; ".join(f"{o} from {r['min']:.1f} to {r['max']:.1f}" for o, r in ranges.iterrows())
                   + f". Downward triangles mark the {int((data['data'] == BOUND).sum())} organisation-years "
                   "whose share is an upper bound because a member's figure is missing.")
    return finish(
        base.mark_line(strokeWidth=1.5) + points, description=description,
        title="The leading member's share of its organisation's military spending",
        subtitle="Members in law on 31 December; CSTO before 2002: parties to the Collective Security Treaty",
        source="SIPRI Military Expenditure Database 2026 (constant 2024 US$); membership from the book's tables",
    )


def burden(frame: pd.DataFrame) -> alt.Chart:
    """Military spending as a share of GDP, one small panel per state, for the years the state had a
    status in the treaty; points coloured by that status (shared code list) and shaped by SIPRI's flag.

    ``frame``: member_years rows (country, year, status) merged with military_expenditure."""
    status = coded("member_years", "status")
    flag = coded("military_expenditure", "share_of_gdp_estimate_flag")
    data = pd.DataFrame({
        "state": names(frame["country"]),
        "year": frame["year"].astype(int),
        "burden": frame["share_of_gdp_pct"].astype(float).round(2),
        "status": status.words(frame["status"]),
        "flag": flag.words(frame["share_of_gdp_estimate_flag"]),
    })
    codes = [v for v in status.values if v in set(frame["status"])]  # legend: only the statuses shown
    used = [status.word(v) for v in codes]
    tips = [alt.Tooltip("state:N", title="State"), alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("burden:Q", title="Spending (% of GDP)", format=".2f"),
            alt.Tooltip("status:N", title="Status on 31 December"), alt.Tooltip("flag:N", title="SIPRI's flag")]
    base = alt.Chart(data).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d", values=[1995, 2010, 2025])),
        y=alt.Y("burden:Q", title="% of GDP"), tooltip=tips)
    layers = alt.layer(
        # the line breaks where SIPRI has no figure (unknown) instead of bridging the gap
        base.mark_line(color="#bbbbbb", strokeWidth=1, invalid="break-paths-show-domains"),
        base.transform_filter("isValid(datum.burden)").mark_point(size=16, filled=True).encode(
            color=alt.Color("status:N", title="Status on 31 December", sort=used,
                            scale=alt.Scale(domain=used, range=[status.colour(v) for v in codes])),
            shape=alt.Shape("flag:N", title="SIPRI's flag on the figure", sort=flag.labels)),
    ).properties(width=105, height=90)
    top = data.loc[data["burden"].idxmax()]
    description = ("Small panels, one per state (" + ", ".join(sorted(set(data["state"]))) + "), of military "
                   "spending as a share of GDP by year, for the years the state was a member or a former member "
                   "of the treaty; points are coloured by its status at the end of the year and shaped by SIPRI's flag, "
                   f"and gaps are years without a figure. The highest value is {top['burden']:.2f} per cent "
                   f"({top['state']}, {top['year']}).")
    return finish(
        layers.facet(facet=alt.Facet("state:N", title=None, sort=sorted(set(data["state"]))), columns=3),
        title="Military spending as a share of GDP",
        subtitle="States that were members of the treaty, in the years they were members or former members",
        description=description,
        source="SIPRI Military Expenditure Database 2026; Belarus to 2021: SIPRI 2025 via Our World in Data",
    )
