"""Charts of chapter 8, the Kyrgyz crisis of 2010."""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt
from bookkit.dates import date_start, long_date
from bookkit.labels import coded

PANEL_WIDTH = 330  # px of plot area beside the labels of the kinds of event: the whole fits 480 px
IN_ARTICLE = ["mentioned in the article", "not mentioned"]


def crisis_timeline(events: pd.DataFrame) -> alt.VConcatChart:
    """Events of the crisis by date and kind: the whole year above, the June weeks below.

    Only events dated to the day are drawn (a month-dated event has no place on a day axis). Events of
    the same kind on the same day are nudged apart by a few hours so that none hides another.
    """
    kind = coded("kyrgyz_crisis_2010", "category")
    daily = events[events["date_precision"] == "day"]
    nudge = daily.groupby(["date", "category"]).cumcount()
    plot = pd.DataFrame({
        "at": (date_start(daily["date"]) + pd.to_timedelta(nudge * 10, unit="h")).dt.strftime("%Y-%m-%dT%H:%M"),
        "when": [long_date(d) for d in daily["date"]],
        "kind": kind.words(daily["category"]),
        "what": daily["action"].astype(str),
        "where": daily["place"].fillna("unknown").astype(str),
        "article": daily["locator"].notna().map({True: IN_ARTICLE[0], False: IN_ARTICLE[1]}),
    })
    y = alt.Y("kind:N", sort=kind.labels, title="Kind of event")
    mention = {"scale": alt.Scale(domain=IN_ARTICLE), "title": "The article"}
    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("kind:N", title="Kind of event"),
               alt.Tooltip("what:N", title="What happened"), alt.Tooltip("where:N", title="Place"),
               alt.Tooltip("article:N", title="The article")]

    def panel(frame: pd.DataFrame, domain: list[str], axis_title: str, fmt: str) -> alt.Chart:
        return alt.Chart(frame).mark_point(filled=True, size=70, opacity=0.85).encode(
            x=alt.X("at:T", title=axis_title, scale=alt.Scale(domain=domain), axis=alt.Axis(format=fmt)),
            y=y, color=alt.Color("article:N", **mention), shape=alt.Shape("article:N", **mention),
            tooltip=tooltip,
        ).properties(width=PANEL_WIDTH, height=190)

    june = plot[plot["at"].between("2010-06-09", "2010-06-29")]
    return alt.vconcat(
        panel(plot, ["2010-04-01", "2010-12-31"], "Date (2010, month)", "%b"),
        panel(june, ["2010-06-09", "2010-06-29"], "Date (June 2010, day)", "%d"),
    ).resolve_scale(x="independent")
