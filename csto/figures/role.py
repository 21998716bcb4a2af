"""Charts of chapter 6 (role): the threats the article names, by regional subsystem and kind."""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt, finish
from bookkit.labels import coded


def threat_matrix(threats: pd.DataFrame) -> alt.Chart:
    """Matrix of threats (rows) by regional subsystem (columns), a cell where the article ties the
    threat to that area, coloured by kind (traditional or new) and lighter where this book, not the
    article, assigned the kind."""
    sub = coded("threats_by_subsystem", "subsystem")
    kind = coded("threats_by_subsystem", "threat_type")
    by = coded("threats_by_subsystem", "type_assigned_by")
    data = pd.DataFrame({
        "subsystem": sub.words(threats["subsystem"]),
        "threat": threats["threat"].astype(str),
        "kind": kind.words(threats["threat_type"]),
        "by": by.words(threats["type_assigned_by"]),
        "says": threats["assessment"].astype(str),
        "where": threats["locator"].astype(str),
    })
    data = data.assign(k=data["kind"].map(kind.order())).sort_values(["k", "threat", "subsystem"])
    order = data["threat"].drop_duplicates().tolist()
    chart = alt.Chart(data.drop(columns="k").reset_index(drop=True)).mark_rect(stroke="white", strokeWidth=1).encode(
        x=alt.X("subsystem:N", sort=sub.labels, title="Regional subsystem",
                axis=alt.Axis(labelAngle=-35, orient="top", grid=False)),
        y=alt.Y("threat:N", sort=order, title="Threat named by the article", axis=alt.Axis(labelLimit=200, grid=False)),
        color=alt.Color("kind:N", **kind.encoding("Kind of threat")),
        opacity=alt.Opacity("by:N", sort=by.labels, title="Kind assigned by", scale=alt.Scale(range=[1.0, 0.5])),
        tooltip=[alt.Tooltip("threat:N", title="Threat"), alt.Tooltip("subsystem:N", title="Subsystem"),
                 alt.Tooltip("kind:N", title="Kind"), alt.Tooltip("by:N", title="Kind assigned by"),
                 alt.Tooltip("says:N", title="What the article says"), alt.Tooltip("where:N", title="Article")],
    ).properties(width=38 * int(data["subsystem"].nunique()), height=alt.Step(17))  # a number: the site refits it
    cells = data.assign(cell=data["threat"] + " (" + data["kind"] + ")")
    per_area = cells.groupby("subsystem", sort=False)["cell"].agg(", ".join).reindex(sub.labels).dropna()
    description = ("Matrix of the threats the article names against the regional subsystems it ties them to, "
                   "coloured by kind of threat. " + "; ".join(f"{a}: {t}" for a, t in per_area.items()) + ".")
    return finish(chart, title="Threats the article names, by regional subsystem",
                  source="threats by subsystem (this book), coded from Taghvaei (locators in the tooltips)",
                  description=description)
