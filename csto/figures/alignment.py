"""Charts of chapter 10b (alignment, channels and company): how members and former members voted in the
UN General Assembly on Russia's war against Ukraine (test T6), their positions on summit decisions (T7),
Russia's bilateral military channels with them (T8), and the CSTO's membership beside NATO, the SCO and
the CIS (T10).

The builders only draw what the tables hold. Who was a member comes from ``member_years`` (through
``csto.measures``); labels and colours of coded columns come from the schemas and shared code lists.
"""
from __future__ import annotations

from textwrap import shorten

import pandas as pd

from bookkit.bib import entries
from bookkit.charts import alt, finish
from bookkit.countries import name
from bookkit.dates import date_start
from bookkit.labels import coded, from_codelist

LABEL_CHARS = 52  # longest axis label of a summit decision, in characters


def state_order(codes, members: list[str]) -> list[str]:
    """Names of the states in ``codes``: Russia, the other members in law (``members``), then the rest."""
    codes = sorted(set(codes))
    first = [c for c in codes if c == "RUS"] + [c for c in codes if c in members and c != "RUS"]
    return [name(c) for c in first + [c for c in codes if c not in first]]


def sources(cell: str) -> str:
    """'tass_2022_es11_3;civilge_2022_es11_3' -> 'TASS (2022); Civil.ge (2022)': sources as readers see them."""
    found = [entries()[key] for key in cell.split(";")]
    return "; ".join(f"{e.get('author', '').strip('{}')} ({e.get('year', 'n.d.')})" for e in found)


def _grid(data: pd.DataFrame, *, x: alt.X, y: alt.Y, colour: alt.Color, tips: list, width: int,
          height: int) -> alt.Chart:
    return alt.Chart(data).mark_rect(stroke="white", strokeWidth=1.5).encode(
        x=x, y=y, color=colour, tooltip=tips).properties(width=width, height=height).configure_axis(grid=False)


def vote_grid(votes: pd.DataFrame, resolutions: pd.DataFrame, members: list[str]) -> alt.Chart:
    """Resolution x state, coloured by the vote (shared code list ``vote``); members in law first.
    ``members``: the CSTO's members in law at the end of the record (from member_years)."""
    vote = from_codelist("vote")
    data = votes.merge(resolutions[["resolution", "date", "short_title"]], on="resolution")
    frame = pd.DataFrame({
        "resolution": data["resolution"].str.replace("A/RES/", "", regex=False).astype(str),
        "date": data["date"].astype(str), "about": data["short_title"].astype(str),
        "state": [name(c) for c in data["country"]], "vote": vote.words(data["vote"]),
        "sources": [sources(s) for s in data["source"]],
    })
    order = resolutions.sort_values("date")["resolution"].str.replace("A/RES/", "", regex=False).tolist()
    tips = [alt.Tooltip("resolution:N", title="Resolution"), alt.Tooltip("date:N", title="Adopted"),
            alt.Tooltip("about:N", title="About"), alt.Tooltip("state:N", title="State"),
            alt.Tooltip("vote:N", title="Vote"), alt.Tooltip("sources:N", title="Sources")]
    chart = _grid(frame, x=alt.X("resolution:N", sort=order, title="Resolution (in order of adoption)",
                                 axis=alt.Axis(labelAngle=-40)),
                  y=alt.Y("state:N", sort=state_order(votes["country"], members), title="State"),
                  colour=alt.Color("vote:N", **vote.encoding("Vote")), tips=tips, width=440, height=250)
    usual = frame.groupby("state")["vote"].agg(lambda s: s.mode().iloc[0])
    text = "; ".join(f"{s}: {usual[s]}" for s in state_order(votes["country"], members))
    description = (f"Grid of the {frame['resolution'].nunique()} resolutions (columns, in order of adoption) by "
                   f"the {frame['state'].nunique()} states (rows), each cell coloured by the state's vote. "
                   f"Most frequent vote of each state: {text}.")
    return finish(chart, title="Members' and former members' UN votes on Russia's war",
                  description=description,
                  subtitle=["Russia, the other members in law at the end of 2025, then former and suspended",
                            "members; blank: vote not found"],
                  source="this book's table of UN votes; each cell's sources in its tooltip")


def with_russia(alignment: pd.DataFrame) -> alt.Chart:
    """Per resolution, the share of the members in law that year (Russia apart) who voted as Russia did.
    ``alignment``: csto.measures.vote_alignment()."""
    frame = pd.DataFrame({
        "resolution": alignment["resolution"].str.replace("A/RES/", "", regex=False).astype(str),
        "share": (100 * alignment["with_russia"] / alignment["members"]).astype(float).round(1),
        "with_russia": alignment["with_russia"].astype(int), "members": alignment["members"].astype(int),
        "known": alignment["votes_known"].astype(int),
    })
    frame["label"] = frame["with_russia"].astype(str) + " of " + frame["members"].astype(str)
    base = alt.Chart(frame).encode(
        x=alt.X("resolution:N", sort=frame["resolution"].tolist(), title="Resolution (in order of adoption)",
                axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("share:Q", title="Members voting as Russia did (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("resolution:N", title="Resolution"),
                 alt.Tooltip("with_russia:Q", title="Members voting as Russia did"),
                 alt.Tooltip("members:Q", title="Members that year, Russia apart"),
                 alt.Tooltip("known:Q", title="Of which votes found"),
                 alt.Tooltip("share:Q", title="Share (%)", format=".1f")])
    chart = (base.mark_bar(color=from_codelist("vote").colour("no"), width=26)
             + base.mark_text(dy=-8, fontSize=11).encode(text="label:N")).properties(width=440, height=220)
    top = frame.loc[frame["share"].idxmax()]
    description = (f"Bar chart, one bar per resolution, of the share of members that voted as Russia did. "
                   f"The highest is {top['label']} members on {top['resolution']}; the lowest is "
                   f"{frame['label'].iloc[frame['share'].argmin()]}.")
    return finish(chart, title="Members that voted as Russia did, per resolution", description=description,
                  subtitle="Members in law on 31 December of the vote's year, Russia apart",
                  source="this book's tables of UN votes and of membership by year")


def summit_grid(positions: pd.DataFrame, members: list[str]) -> alt.Chart:
    """Summit decision x member, coloured by the member's position (shared code list ``position``)."""
    position = from_codelist("position")
    when = pd.to_datetime(positions["date"]).dt.strftime("%b %Y")
    full = (when + " " + positions["place"] + ": " + positions["decision"]).astype(str)
    frame = pd.DataFrame({
        # Short axis labels (the full text is in the tooltip): Vega's own truncation is slow to render.
        "decision": [shorten(d.split(" (")[0], LABEL_CHARS, placeholder="...") for d in full],
        "full": full,
        "when": positions["date"].astype(str), "state": [name(c) for c in positions["country"]],
        "position": position.words(positions["position"]), "note": positions["note"].fillna("").astype(str),
    })
    order = frame.assign(d=positions["date"].to_numpy()).sort_values(["d", "decision"], kind="stable")
    tips = [alt.Tooltip("full:N", title="Decision"), alt.Tooltip("when:N", title="Date"),
            alt.Tooltip("state:N", title="Member"), alt.Tooltip("position:N", title="Position"),
            alt.Tooltip("note:N", title="What the sources say")]
    chart = _grid(frame, x=alt.X("state:N", sort=state_order(positions["country"], members), title="Member",
                                 axis=alt.Axis(labelAngle=-40, orient="top")),
                  y=alt.Y("decision:N", sort=order["decision"].drop_duplicates().tolist(), title=None,
                          axis=alt.Axis(labelLimit=0)),
                  colour=alt.Color("position:N", **position.encoding("Position")), tips=tips, width=170, height=330)
    return finish(chart, title="Members' positions on summit decisions, 2008-2025",
                  subtitle=["Blank: no row (state not yet or no longer taking part,", "or position not found)"],
                  source="this book's table of summit positions, from official texts and news reports")


def channels_timeline(channels: pd.DataFrame, members: list[str]) -> alt.Chart:
    """Russia's bilateral military channels by partner and date, coloured by kind, shaped by their state
    in 2025 (both coded in the schema). Rows without a date cannot be placed and are left out."""
    kind = coded("russia_bilateral_channels", "channel_type")
    status = coded("russia_bilateral_channels", "status_2025")
    dated = channels[channels["date"].notna()]
    frame = pd.DataFrame({
        "start": date_start(dated["date"]).dt.strftime("%Y-%m-%d"),
        "date": dated["date"].astype(str), "partner": [name(c) for c in dated["country"]],
        "kind": kind.words(dated["channel_type"]), "status": status.words(dated["status_2025"]),
        "what": dated["name"].astype(str),
    })
    tips = [alt.Tooltip("partner:N", title="Partner"), alt.Tooltip("what:N", title="Channel"),
            alt.Tooltip("date:N", title="Date"), alt.Tooltip("kind:N", title="Kind"),
            alt.Tooltip("status:N", title="Status in 2025")]
    chart = alt.Chart(frame).mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("start:T", title="Date signed or begun (year)", axis=alt.Axis(format="%Y", tickCount=8)),
        y=alt.Y("partner:N", sort=state_order(dated["country"], members), title="Partner"),
        color=alt.Color("kind:N", **kind.encoding("Kind of channel")),
        shape=alt.Shape("status:N", sort=status.labels, title="Status in 2025",
                        scale=alt.Scale(domain=status.labels, range=["circle", "cross", "triangle-up"])),
        tooltip=tips).properties(width=440, height=230)
    return finish(chart, title="Russia's bilateral military channels with members and former members",
                  subtitle="Members in law at the end of 2025 first; undated rows left out",
                  source="this book's table of Russia's bilateral channels, from official texts and news reports")


def membership_counts(counts: pd.DataFrame, orgs: list[str]) -> alt.Chart:
    """Members in law on 31 December by year, one line per organisation in ``orgs``.
    ``counts``: csto.measures.member_counts()."""
    org = coded("member_years", "org")
    frame = counts[counts["org"].isin(orgs)].copy()
    frame["organisation"] = org.words(frame["org"])
    labels = [org.word(o) for o in orgs]
    chart = alt.Chart(frame).mark_line(point=True, strokeWidth=2, interpolate="step-after").encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("members:Q", title="Members in law (states)"),
        color=alt.Color("organisation:N", title="Organisation", sort=labels,
                        scale=alt.Scale(domain=labels, range=[org.colour(o) for o in orgs])),
        tooltip=[alt.Tooltip("organisation:N", title="Organisation"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("members:Q", title="Members in law")]).properties(width=440, height=250)
    ends = frame.sort_values("year").groupby("organisation", sort=False)
    told = "; ".join(f"{o}: {g['members'].iloc[0]} in {g['year'].iloc[0]} and {g['members'].iloc[-1]} in "
                     f"{g['year'].iloc[-1]} (at most {g['members'].max()})" for o, g in ends)
    return finish(chart, title="Members of the CSTO, NATO, the SCO and the CIS, 1992-2025",
                  description=f"Step lines of the number of members in law by year, one per organisation. {told}.",
                  subtitle=["Members in law on 31 December (participation frozen counts, suspended does not);",
                            "CSTO before 2002: the Collective Security Treaty"],
                  source="this book's table of membership by year, from its records of joining and leaving")
