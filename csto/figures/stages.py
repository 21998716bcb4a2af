"""Charts of chapter 5 (development stages): the event log's milestones in the article's four stages."""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt, finish
from bookkit.dates import date_start, long_date
from bookkit.labels import coded

NO_STAGE = "no stage"


def lanes(stages: pd.DataFrame) -> dict[int, str]:
    """Stage number -> the lane label readers see ('1 Legal-contractual')."""
    return dict(zip(stages["stage"].astype(int), stages["stage"].astype(str) + " " + stages["name_en"].astype(str), strict=True))


def milestone_points(log: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """One row per event of the log, with its lane, who placed it there and the words for the tooltip."""
    basis = coded("event_log", "stage_basis")
    return pd.DataFrame({
        "date": date_start(log["date"]).dt.strftime("%Y-%m-%d"),
        "when": [long_date(d) for d in log["date"].astype(str)],
        "lane": log["stage"].astype("Int64").map(lanes(stages)).astype(object).fillna(NO_STAGE),
        "basis": basis.words(log["stage_basis"]),
        "event": log["event"].astype(str),
        "where": log["locator"].astype(object).fillna("not in the article"),
    }).reset_index(drop=True)


def milestone_lanes(log: pd.DataFrame, stages: pd.DataFrame) -> alt.LayerChart:
    """Swim-lane timeline: one lane per stage (and one for events in no stage), a grey band over the
    span of each stage's milestones, dots coloured by whether the article or this book placed them."""
    basis = coded("event_log", "stage_basis")
    order = [*lanes(stages).values(), NO_STAGE]
    points = milestone_points(log, stages)
    placed = points[points["lane"] != NO_STAGE]
    span = (placed.groupby("lane")["date"].agg(["min", "max"]).reset_index()
            .rename(columns={"min": "first", "max": "last"}))
    y = alt.Y("lane:N", sort=order, title="Stage of military integration", axis=alt.Axis(labelLimit=190))
    x = alt.X("date:T", title="Date (year)", axis=alt.Axis(format="%Y"))
    band = alt.Chart(span).mark_bar(height=18, opacity=0.2, color="#999999").encode(
        x=alt.X("first:T", title="Date (year)"), x2="last:T", y=y,
        tooltip=[alt.Tooltip("lane:N", title="Stage"), alt.Tooltip("first:T", title="First milestone", format="%Y"),
                 alt.Tooltip("last:T", title="Last milestone", format="%Y")])
    tips = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("event:N", title="What happened"),
            alt.Tooltip("lane:N", title="Stage"), alt.Tooltip("basis:N", title="Stage assigned by"),
            alt.Tooltip("where:N", title="Article")]
    dots = alt.Chart(placed).mark_circle(size=60, opacity=0.9).encode(
        x=x, y=y, color=alt.Color("basis:N", **basis.encoding("Stage assigned by")), tooltip=tips)
    rest = alt.Chart(points[points["lane"] == NO_STAGE]).mark_circle(size=60, opacity=0.6, color="#999999").encode(
        x=x, y=y, tooltip=tips)
    spans = "; ".join(f"{r.lane}: {r.first[:4]} to {r.last[:4]}" for r in span.itertuples())
    description = (f"Swim-lane timeline of the event log: one lane per stage of military integration and one for "
                   f"events in no stage; {len(placed)} events fall in a stage and {len(points) - len(placed)} in "
                   f"none. Span of the milestones in each stage: {spans}.")
    return finish((band + dots + rest).properties(width=240, height=200),
                  title="Milestones of the treaty and the CSTO in the article's stages",
                  subtitle="Grey band: from the first to the last milestone placed in each stage",
                  source="event log and development stages (this book); Taghvaei, §Stages",
                  description=description)
