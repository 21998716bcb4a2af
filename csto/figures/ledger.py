"""Charts of chapter 11, the claims ledger."""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt
from bookkit.labels import coded, from_codelist


def verdict_bars(ledger: pd.DataFrame, column: str, axis_title: str) -> alt.Chart:
    """Claims per category of a coded ledger column (section, type), stacked by verdict.

    One data row per claim, counted by the chart, so the description and the tooltips count claims.
    Labels, order and colours come from the schema and the shared code list ``verdict``; verdicts no
    claim has (the code list serves other tables too) are left out of the legend.
    """
    group = coded("claims_ledger", column)
    verdict = from_codelist("verdict", "Verdict")
    words = verdict.words(ledger["verdict"])
    used = [label for label in verdict.labels if label in set(words)]
    colour = dict(zip(verdict.labels, verdict.colours, strict=True))
    plot = pd.DataFrame({"group": group.words(ledger[column]), "verdict": words,
                         "rank": words.map(verdict.order())})
    return alt.Chart(plot).mark_bar().encode(
        y=alt.Y("group:N", sort=group.labels, title=axis_title),
        x=alt.X("count():Q", title="Claims (count)"),
        color=alt.Color("verdict:N", title="Verdict", sort=used,
                        scale=alt.Scale(domain=used, range=[colour[v] for v in used])),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("group:N", title=axis_title), alt.Tooltip("verdict:N", title="Verdict"),
                 alt.Tooltip("count():Q", title="Claims")],
    ).properties(width=330)
