"""Charts of chapter 4b (collective forces, exercises, the Kanal anti-drug operations).

Every coded column is shown in the words of its schema (``bookkit.labels.coded``), so a force, an
exercise series or a Kanal scope reads the same in the charts, the tables and the data dictionary.
Descriptions for screen readers are written from the charts' own data.
"""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt, finish
from bookkit.countries import name
from bookkit.dates import date_start, long_date
from bookkit.labels import coded

SHAPES = ["square", "circle"]  # the article's figures, other sources' figures


def _dates(values: pd.Series) -> list[str]:
    return [long_date(v) for v in values.astype(str)]


def _names(codes: pd.Series, empty: str) -> list[str]:
    return [", ".join(name(c) for c in str(v).split(";")) if isinstance(v, str) else empty for v in codes]


def force_totals(forces: pd.DataFrame) -> alt.Chart:
    """Dots: every figure for the total size of a force in persons, by the date of the figure."""
    unit, by = coded("collective_forces", "unit"), coded("collective_forces", "reported_by")
    qualifier, kind = coded("collective_forces", "qualifier"), coded("collective_forces", "figure_type")
    tot = forces[(forces["measure"] == "total_size") & (forces["value_unit"] == "persons")]
    dots = pd.DataFrame({
        "date": date_start(tot["date"]).dt.strftime("%Y-%m-%d"),
        "when": _dates(tot["date"]),
        "force": unit.words(tot["unit"]),
        "persons": tot["value"].astype(int),
        "qualifier": qualifier.words(tot["qualifier"]),
        "kind": kind.words(tot["figure_type"]),
        "by": by.words(tot["reported_by"]),
        "source": tot["source"].astype(str),
    }).sort_values(["date", "force"], kind="stable").reset_index(drop=True)
    chart = alt.Chart(dots).mark_point(size=90, filled=True, opacity=0.85).encode(
        x=alt.X("date:T", title="Date of the figure (year)", axis=alt.Axis(format="%Y")),
        y=alt.Y("persons:Q", title="Declared or reported size (persons)"),
        color=alt.Color("force:N", **unit.encoding("Force")),
        shape=alt.Shape("by:N", title="Figure from", scale=alt.Scale(domain=by.labels, range=SHAPES)),
        tooltip=[alt.Tooltip("force:N", title="Force"), alt.Tooltip("when:N", title="Date"),
                 alt.Tooltip("persons:Q", title="Persons", format=","), alt.Tooltip("qualifier:N", title="Qualifier"),
                 alt.Tooltip("kind:N", title="Kind of figure"), alt.Tooltip("by:N", title="Figure from"),
                 alt.Tooltip("source:N", title="Sources")],
    )
    told = "; ".join(f"{f}: {len(g)} figures from {g['persons'].min():,} to {g['persons'].max():,} persons"
                     for f, g in dots.groupby("force", sort=False))
    return finish(chart, title="Size of the CSTO collective forces, as declared or reported",
                  subtitle="Squares: the article's figures. Plans, press figures and estimates together (see the tooltip).",
                  source="collective forces (this book), from the article and the sources cited in each row",
                  description=f"Dot chart of the total size of each force by the date of the figure. {told}.")


def crrf_shares(forces: pd.DataFrame) -> alt.Chart:
    """Grouped bars: each member's pledge to the rapid reaction force in persons, one bar per figure
    (named by who gives it and when)."""
    by = coded("collective_forces", "reported_by")
    rows = forces[(forces["unit"] == "crrf_2009") & (forces["measure"] == "national_contribution")
                  & (forces["value_unit"] == "persons")].sort_values("date", kind="stable")
    figure = [f"{w}, {long_date(d, 'month')}" for w, d in zip(by.words(rows["reported_by"]), rows["date"].astype(str))]
    labels = list(dict.fromkeys(figure))
    bars = pd.DataFrame({
        "state": [name(c) for c in rows["country"]],
        "figure": figure,
        "persons": rows["value"].astype(int),
        "qualifier": coded("collective_forces", "qualifier").words(rows["qualifier"]),
        "when": _dates(rows["date"]),
    }).sort_values(["persons", "state"], ascending=[False, True], kind="stable").reset_index(drop=True)
    order = list(dict.fromkeys(bars["state"]))
    chart = alt.Chart(bars).mark_bar().encode(
        y=alt.Y("state:N", sort=order, title="Contributing state"),
        yOffset=alt.YOffset("figure:N", sort=labels),
        x=alt.X("persons:Q", title="Troops pledged (persons)"),
        color=alt.Color("figure:N", sort=labels, title="Figure from"),
        tooltip=[alt.Tooltip("state:N", title="State"), alt.Tooltip("figure:N", title="Figure from"),
                 alt.Tooltip("persons:Q", title="Persons", format=","), alt.Tooltip("qualifier:N", title="Qualifier"),
                 alt.Tooltip("when:N", title="Date")],
    ).properties(height=alt.Step(14))
    told = "; ".join(f"{s}: " + " and ".join(f"{p:,} ({f})" for p, f in zip(g["persons"], g["figure"]))
                     for s, g in bars.groupby("state", sort=False))
    return finish(chart, title="National pledges to the Collective Rapid Reaction Force",
                  subtitle="Only pledges given in persons; pledges of one battalion are in the table's notes",
                  source="collective forces (this book); Muzalevsky 2009, Jones 2009, Atlantic Council 2010",
                  description=f"Bar chart of troops pledged by each member, one bar per source. {told}.")


def exercise_calendar(exercises: pd.DataFrame) -> alt.LayerChart:
    """Dots by year and host: one per exercise and host state, coloured by series, shaped by status;
    the article's statements as open squares on top."""
    series, status = coded("exercises", "series"), coded("exercises", "status")
    by = coded("exercises", "reported_by")
    ex = exercises.drop_duplicates(["exercise", "reported_by"]).assign(
        host=exercises["host_countries"].str.split(";")).explode("host")
    dots = pd.DataFrame({
        "year": ex["year"].astype(int),
        "host": [name(h) if isinstance(h, str) else "host unknown" for h in ex["host"]],
        "series": series.words(ex["series"]),
        "status": status.words(ex["status"]),
        "exercise": ex["exercise"].astype(str),
        "by": by.words(ex["reported_by"]),
        "when": _dates(ex["start_date"]),
        "troops": ex["troops_text"].astype(object).fillna("not reported"),
        "taking_part": _names(ex["participants"], "not listed"),
    }).sort_values(["year", "host", "series"], kind="stable").reset_index(drop=True)
    tips = [alt.Tooltip("exercise:N", title="Exercise"), alt.Tooltip("when:N", title="Start"),
            alt.Tooltip("host:N", title="Host"), alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("troops:N", title="Troops (as reported)"), alt.Tooltip("taking_part:N", title="Taking part"),
            alt.Tooltip("by:N", title="Row from")]
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d", labelAngle=-45, tickMinStep=1),
              scale=alt.Scale(domain=[int(dots["year"].min()) - 0.5, int(dots["year"].max()) + 0.5], nice=False))
    y = alt.Y("host:N", title="Host state", sort=sorted(set(dots["host"]) - {"host unknown"}) + ["host unknown"])
    offset = alt.YOffset("series:N", sort=series.labels)
    base = alt.Chart(dots)
    others = base.transform_filter(alt.datum.by == by.word("other")).mark_point(size=60, filled=True).encode(
        x=x, y=y, yOffset=offset, color=alt.Color("series:N", **series.encoding("Series")),
        shape=alt.Shape("status:N", sort=status.labels, title="Status",
                        scale=alt.Scale(domain=status.labels, range=["circle", "triangle-up", "diamond", "cross"])),
        tooltip=tips)
    article = base.transform_filter(alt.datum.by == by.word("article")).mark_point(
        size=220, shape="square", filled=False, color="#000000", strokeWidth=1.5).encode(
        x=x, y=y, yOffset=offset, tooltip=tips)
    told = f"{dots['exercise'].nunique()} exercises and statements, {len(dots)} dots"
    return finish(alt.layer(others, article).properties(height=300),
                  title="CSTO exercises found in the sources, by year and host state",
                  subtitle=["Open squares: exercises as the article reports them.",
                            "A year without a dot means that none was found, not that none took place."],
                  source="exercises (this book), from the article and the news and CSTO sources cited in each row",
                  description=(f"Dot chart with years across and host states down, one dot per exercise and host, "
                               f"coloured by series and shaped by status ({told}); the article's "
                               f"{int((dots['by'] == by.word('article')).sum())} statements are open squares."))


def kanal_figures(kanal: pd.DataFrame) -> alt.FacetChart:
    """One panel per scope (several years, one year, one stage, one country's share): each seizure figure
    drawn as a line over the period it covers, with a dot at its end; each panel has its own scale."""
    scope, substance = coded("antidrug_operations", "scope"), coded("antidrug_operations", "substance")
    qualifier, by = coded("antidrug_operations", "qualifier"), coded("antidrug_operations", "reported_by")
    k = kanal[kanal["quantity"].notna()]
    last = k["period_end"].fillna(k["period_start"])
    precision = k["period_end_precision"].fillna(k["period_start_precision"])
    end = date_start(last)
    end = end.where(precision != "year", end + pd.offsets.YearEnd(0))
    end = end.where(precision != "month", end + pd.offsets.MonthEnd(0))
    plot = pd.DataFrame({
        "operation": k["operation"].astype(str),
        "scope": scope.words(k["scope"]),
        "start": date_start(k["period_start"]).dt.strftime("%Y-%m-%d"),
        "end": end.dt.strftime("%Y-%m-%d"),
        "period": [f"{long_date(a)} to {long_date(b)}" for a, b in zip(k["period_start"].astype(str), last.astype(str))],
        "substance": substance.words(k["substance"]),
        "tonnes": k["quantity"].astype(float),
        "qualifier": qualifier.words(k["qualifier"]),
        "as_reported": k["reported_text"].astype(str),
        "by": by.words(k["reported_by"]),
    }).sort_values(["scope", "start", "substance"], kind="stable").reset_index(drop=True)
    tips = [alt.Tooltip("operation:N", title="Operation"), alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("substance:N", title="Substance"), alt.Tooltip("tonnes:Q", title="Tonnes"),
            alt.Tooltip("qualifier:N", title="Qualifier"), alt.Tooltip("as_reported:N", title="As reported"),
            alt.Tooltip("by:N", title="Figure from")]
    y = alt.Y("tonnes:Q", title="Seized (tonnes)")
    colour = alt.Color("substance:N", **substance.encoding("Substance"))
    span = alt.Chart().mark_rule(strokeWidth=3, opacity=0.7).encode(
        x=alt.X("start:T", title="Period covered (year)", axis=alt.Axis(format="%Y")), x2="end:T", y=y,
        color=colour, tooltip=tips)
    dot = alt.Chart().mark_point(size=70, filled=True).encode(
        x=alt.X("end:T", title="Period covered (year)"), y=y, color=colour,
        shape=alt.Shape("by:N", title="Figure from", scale=alt.Scale(domain=by.labels, range=SHAPES)), tooltip=tips)
    chart = alt.layer(span, dot, data=plot).properties(height=110).facet(
        row=alt.Row("scope:N", sort=scope.labels, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                      labelFontWeight="bold")),
    ).resolve_scale(y="independent")
    told = " ".join(f"{s}: " + "; ".join(f"{r.operation}, {r.substance}, {r.tonnes:g} t ({r.qualifier})"
                                       for r in g.itertuples()) + "."
                    for s, g in plot.groupby("scope", sort=False))
    return finish(chart, title="Reported seizures of the Kanal operation, by what each figure covers",
                  subtitle="Not an annual series: panels differ in scope and scale; many figures are lower bounds",
                  source="anti-drug operations (this book), from the article and the sources cited in each row",
                  description=f"Seizure figures in tonnes, each drawn over the period it covers, one panel per scope. {told}")
