"""Charts of chapter 4 (formation and membership): who belonged to the treaty and the CSTO, and when.

Statuses take their words, colours and order from the shared code list ``membership_status``, so a
status looks the same here as in every other chapter. The yearly statuses come from ``member_years``
(status on 31 December); the spells from ``csto.membership.spells``.
"""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt, finish
from bookkit.countries import name
from bookkit.dates import long_date
from bookkit.labels import coded, from_codelist
from csto.membership import FORMAL_MEMBER

STATUS = from_codelist("membership_status", "Status")
SOURCE = "membership history (this book), compiled from the sources cited in each row"


def _words(dates: pd.Series) -> list[str]:
    return [long_date(d) for d in dates]


def membership_timeline(spells: pd.DataFrame, members: pd.DataFrame, record_end: str) -> alt.Chart:
    """One bar per state and spell in one status (``csto.membership.spells`` of ``members``), states in
    order of joining; dates in the tooltip at the precision of the membership table."""
    event = coded("membership_history", "event")
    dated = members[members["preferred"]].set_index(["country", "event"])["date"]
    first = spells.groupby("country")["start"].min()
    order = [name(c) for c in sorted(first.index, key=lambda c: (first[c], name(c)))]
    still = spells["end_event"] == ""
    bars = pd.DataFrame({
        "state": [name(c) for c in spells["country"]],
        "status": STATUS.words(spells["status"]),
        "start": spells["start"].dt.strftime("%Y-%m-%d"),
        "end": spells["end"].dt.strftime("%Y-%m-%d"),
        "from": _words(dated.loc[list(zip(spells["country"], spells["start_event"]))]),
        "opened": event.words(spells["start_event"]),
        "until": ["still so at the end of the record" if s else long_date(dated[(c, e)])
                  for s, c, e in zip(still, spells["country"], spells["end_event"])],
        "closed": event.words(spells["end_event"].where(~still)).fillna("(open)"),
    })
    chart = alt.Chart(bars).mark_bar(height=12).encode(
        x=alt.X("start:T", title="Date (year)", axis=alt.Axis(format="%Y"),
                scale=alt.Scale(domain=["1992-01-01", record_end])),
        x2="end:T",
        y=alt.Y("state:N", sort=order, title="State"),
        color=alt.Color("status:N", **STATUS.encoding("Status")),
        tooltip=[alt.Tooltip("state:N", title="State"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("from:N", title="From"), alt.Tooltip("opened:N", title="Opened by"),
                 alt.Tooltip("until:N", title="Until"), alt.Tooltip("closed:N", title="Closed by")],
    ).properties(height=alt.Step(20))
    spans = bars.assign(text=bars["status"] + " from " + bars["from"])
    told = "; ".join(f"{s}: " + " then ".join(spans.loc[spans["state"] == s, "text"]) for s in order)
    return finish(chart, title="Membership of the treaty and the CSTO, state by state",
                  subtitle="Dates the book uses; light blue: still a member in law but not taking part",
                  source=SOURCE, description=f"Timeline, one bar per state and status. {told}.")


def member_counts(years: pd.DataFrame) -> alt.Chart:
    """Members in law and members taking part at the end of each year (``member_years``, one organisation)."""
    law = years[years["status"].isin(FORMAL_MEMBER)].groupby("year").size()
    part = years[years["status"] == "member"].groupby("year").size().reindex(law.index, fill_value=0)
    counts = pd.concat([
        pd.DataFrame({"year": law.index, "count": "members in law", "states": law.to_numpy()}),
        pd.DataFrame({"year": part.index, "count": "members taking part", "states": part.to_numpy()}),
    ], ignore_index=True)
    counts["year"] = counts["year"].astype(int)
    counts["states"] = counts["states"].astype(int)
    base = alt.Chart(counts).encode(
        x=alt.X("year:Q", title="Year (status at the year's end)", axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[int(law.index.min()), int(law.index.max())], nice=False)),
        y=alt.Y("states:Q", title="Member states (number)", scale=alt.Scale(zero=True)),
        color=alt.Color("count:N", title="Count"),
        tooltip=[alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("count:N", title="Count"),
                 alt.Tooltip("states:Q", title="States")],
    )
    in_law = base.transform_filter(alt.datum.count == "members in law").mark_line(
        interpolate="step-after", strokeWidth=5, opacity=0.7)
    taking_part = base.transform_filter(alt.datum.count == "members taking part").mark_line(
        interpolate="step-after", strokeWidth=2, strokeDash=[5, 3], point=True)
    chart = in_law + taking_part
    peak = law[law == law.max()].index
    told = (f"Step chart of the number of member states at the end of each year from {law.index.min()} to "
            f"{law.index.max()}. Members in law: {law.iloc[0]} in {law.index.min()}; at most {law.max()} "
            f"(from {peak.min()} to {peak.max()}); {law.iloc[-1]} in {law.index.max()}. Members taking part: "
            f"{part.iloc[-1]} in {part.index.max()}.")
    return finish(chart, title="Member states of the treaty and the CSTO at the end of each year",
                  subtitle="Members in law include a state that has frozen its participation",
                  source="member years (this book), derived from the membership history", description=told)


def status_map(years: pd.DataFrame, shapes: list[dict], states: list[str], notes: dict[str, str],
               default_year: int) -> alt.Chart:
    """Map of ``states`` coloured by status at the end of the year picked with a slider.

    ``years`` is ``member_years`` for one organisation; a state with no row in a year was never a member
    (so far). ``notes`` adds a line to a state's tooltip (e.g. the article's unconfirmed claims).
    """
    first, last = int(years["year"].min()), int(years["year"].max())
    grid = pd.MultiIndex.from_product([states, range(first, last + 1)], names=["country", "year"]).to_frame(index=False)
    grid = grid.merge(years[["country", "year", "status"]], on=["country", "year"], how="left")
    grid = pd.DataFrame({
        "country": grid["country"],
        "year": grid["year"].astype(int),
        "state": [name(c) for c in grid["country"]],
        "status": STATUS.words(grid["status"].astype(object).fillna("never")),
        "note": grid["country"].map(notes).fillna(""),
    }).sort_values(["year", "country"], kind="stable").reset_index(drop=True)
    year = alt.param(name="year", value=default_year,
                     bind=alt.binding_range(min=first, max=last, step=1, name="Year: "))
    chart = alt.Chart(grid).mark_geoshape(stroke="white", strokeWidth=0.6).encode(
        color=alt.Color("status:N", **STATUS.encoding("Status at the year's end")),
        tooltip=[alt.Tooltip("state:N", title="State"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("status:N", title="Status"), alt.Tooltip("note:N", title="Note")],
    ).transform_filter(alt.datum.year == year).transform_lookup(
        lookup="country", from_=alt.LookupData(alt.Data(values=shapes), key="id", fields=["type", "geometry"]),
    ).add_params(year).project(type="conicEqualArea", rotate=[-80, 0], parallels=[40, 65]).properties(height=300)
    shown = grid[grid["year"] == default_year]
    told = "; ".join(f"{s}: " + ", ".join(shown.loc[shown["status"] == s, "state"])
                     for s in STATUS.labels if (shown["status"] == s).any())
    told = (f"Map of {len(states)} states coloured by their status at the end of the year picked with a slider "
            f"({first} to {last}). In {default_year}: {told}.")
    return finish(chart, title="Post-Soviet states by their relation to the treaty and the CSTO",
                  subtitle="Pick a year with the slider below the map", description=told,
                  source="membership history (this book); boundaries: Natural Earth via world-atlas 2.0.2")
