"""Charts of chapter 10 (after 2011): crises and responses, the 2022 force, conflict touching members."""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt, finish
from bookkit.countries import name
from bookkit.labels import coded, from_codelist


def crises(table: pd.DataFrame) -> alt.Chart:
    """One row per crisis: the highest collective step taken, coloured by the kind of crisis, shaped by
    whom the members asked (``table`` is csto.measures.crises())."""
    level = from_codelist("response_level", "Highest collective step")
    kind = coded("crisis_responses", "crisis_type")
    plot = pd.DataFrame({
        "crisis": table["start"].dt.strftime("%Y") + " " + table["label"].astype(str),
        "level": level.words(table["response_level"]).fillna("not found"),
        "kind": kind.words(table["crisis_type"]),
        "asked": table["asked"].astype(str),
        "detail": table["response_detail"].astype(str),
        "russia": table["russia_response"].fillna("not recorded").astype(str),
    })
    asked_order = ["the organisation", "the organisation and Russia", "Russia alone", "no request",
                   "no request found"]
    chart = alt.Chart(plot).mark_point(filled=True, size=140, opacity=0.9).encode(
        x=alt.X("level:N", sort=[*level.labels, "not found"], title="Highest collective step taken",
                axis=alt.Axis(labelAngle=-30, labelLimit=150)),
        # the row labels name the crises; a long axis title would overlap them, so it is the subtitle
        y=alt.Y("crisis:N", sort=list(plot["crisis"]), title=None, axis=alt.Axis(labelLimit=330)),
        color=alt.Color("kind:N", **kind.encoding("Kind of crisis")),
        shape=alt.Shape("asked:N", sort=asked_order, title="Help asked of"),
        tooltip=[alt.Tooltip("crisis:N", title="Crisis"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("asked:N", title="Help asked of"), alt.Tooltip("level:N", title="Step taken"),
                 alt.Tooltip("detail:N", title="What the organisation did"),
                 alt.Tooltip("russia:N", title="What Russia did")],
    ).properties(width=260, height=alt.Step(20))
    return finish(chart, title="Crises involving members, and the organisation's answer, 2010-2023",
                  subtitle="One row per crisis, by the year it began",
                  source="crisis_responses (this book), from the reports cited row by row")


def force(force: dict) -> alt.Chart:
    """The 2022 force: the contingents states reported at the withdrawal, and the rest of the official total."""
    rows = [{"part": name(c), "troops": n, "basis": "reported by the sending state"}
            for c, n in sorted(force["contingents"].items())]
    rows.append({"part": "Russia and Belarus (no figure given)", "troops": force["rest_for_unreported"],
                 "basis": "rest of the official total"})
    plot = pd.DataFrame(rows)
    chart = alt.Chart(plot).mark_bar().encode(
        y=alt.Y("part:N", sort="-x", title="Contingent", axis=alt.Axis(labelLimit=240)),
        x=alt.X("troops:Q", title="Troops (persons)"),
        color=alt.Color("basis:N", title="Figure", scale=alt.Scale(range=["#0072B2", "#999999"])),
        tooltip=[alt.Tooltip("part:N", title="Contingent"), alt.Tooltip("troops:Q", title="Troops", format=","),
                 alt.Tooltip("basis:N", title="Figure")],
    ).properties(height=alt.Step(28))
    return finish(chart, title="Who sent the force to Kazakhstan, January 2022",
                  subtitle=f"Official total: {force['official_total']:,} troops",
                  source="post_2011_events and crisis_responses (this book), from the reports cited there")


def conflicts(table: pd.DataFrame) -> alt.Chart:
    """Member × year: armed conflict touching each member, by kind (table member_conflicts)."""
    kind = coded("member_conflicts", "kind")
    rank = kind.order()
    plot = table.assign(kind_label=kind.words(table["kind"]), member=[name(c) for c in table["country"]])
    plot["rank"] = plot["kind_label"].map(rank)
    top = (plot.sort_values(["member", "year", "rank"]).groupby(["member", "year"], as_index=False)
           .agg(kind_label=("kind_label", "first"), n=("conflict", "size"),
                what=("description", lambda s: "; ".join(sorted(set(s))))))
    chart = alt.Chart(top).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("year:O", title="Year", axis=alt.Axis(values=list(range(1992, 2025, 4)), labelAngle=0, grid=False)),
        y=alt.Y("member:N", title="Member (in the year shown)", axis=alt.Axis(grid=False)),
        color=alt.Color("kind_label:N", **kind.encoding("Kind (the first listed, if several)")),
        tooltip=[alt.Tooltip("member:N", title="Member"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("kind_label:N", title="Kind"), alt.Tooltip("n:Q", title="Conflicts or attacks"),
                 alt.Tooltip("what:N", title="Who fought whom")],
    ).properties(width=440, height=alt.Step(22))
    return finish(chart, title="Armed conflict touching CSTO members, 1992-2024",
                  source="member_conflicts (this book), from UCDP/PRIO 25.1, member_years and attacks_on_members")
