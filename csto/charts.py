"""Charts shared by several chapters: the scorecard of the readings, and which readings predict what.

Labels, colours and order come from the schemas (bookkit.labels), so a verdict or a reading looks the
same in chapter 2, chapter 9 and chapter 10.
"""
from __future__ import annotations

import pandas as pd

from bookkit import load
from bookkit.charts import alt, finish
from bookkit.labels import from_codelist

VERDICT = from_codelist("verdict", "Verdict")
READING = from_codelist("reading", "Reading")
HORIZON = from_codelist("horizon", "Evidence")


def _test_labels(tests: pd.DataFrame) -> pd.Series:
    return tests["id"] + " " + tests["short"]


def predictions_grid() -> alt.Chart:
    """Tests × readings: which reading predicts something on each test (the predictions in the tooltip)."""
    tests = load("tests")
    rows = []
    for t in tests.itertuples(index=False):
        for reading in READING.values:
            text = getattr(t, f"predicts_{reading}")
            rows.append({"test": f"{t.id} {t.short}", "reading": READING.word(reading),
                         "predicts": "makes a prediction" if isinstance(text, str) else "predicts nothing here",
                         "prediction": text if isinstance(text, str) else "no prediction"})
    grid = pd.DataFrame(rows)
    chart = alt.Chart(grid).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("reading:N", sort=READING.labels, title="Reading",
                axis=alt.Axis(labelAngle=-30, labelLimit=180, grid=False, orient="top")),
        y=alt.Y("test:N", sort=list(_test_labels(tests)), title="Test", axis=alt.Axis(grid=False)),
        color=alt.Color("predicts:N", title="", scale=alt.Scale(
            domain=["makes a prediction", "predicts nothing here"], range=[READING.colour("R1"), "#e5e5e5"])),
        tooltip=[alt.Tooltip("test:N", title="Test"), alt.Tooltip("reading:N", title="Reading"),
                 alt.Tooltip("prediction:N", title="Prediction")],
    ).properties(width=280, height=300)
    return finish(chart, title="What each reading predicts, test by test",
                  subtitle="A test can tell readings apart only where they predict different things.",
                  source="tests and readings (this book), from the article and the works cited there")


def scorecard(horizon: str) -> alt.Chart:
    """Tests × readings coloured by the verdict on the evidence up to ``horizon`` (table verdicts)."""
    verdicts = load("verdicts")
    tests = load("tests")
    evidence = load("evidence")
    chosen = verdicts[verdicts["horizon"] == horizon].merge(
        tests[["id", "short", "question"]], left_on="test", right_on="id").merge(
        evidence[evidence["horizon"] == horizon][["test", "summary"]], on="test")
    grid = pd.DataFrame({
        "test": chosen["test"] + " " + chosen["short"],
        "reading": READING.words(chosen["reading"]),
        "verdict": VERDICT.words(chosen["verdict"]),
        "why": chosen["reason"].astype(str),
        "question": chosen["question"].astype(str),
    })
    chart = alt.Chart(grid).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("reading:N", sort=READING.labels, title="Reading",
                axis=alt.Axis(labelAngle=-30, labelLimit=180, grid=False, orient="top")),
        y=alt.Y("test:N", sort=list(_test_labels(tests)), title="Test", axis=alt.Axis(grid=False)),
        color=alt.Color("verdict:N", **VERDICT.encoding("Verdict")),
        tooltip=[alt.Tooltip("test:N", title="Test"), alt.Tooltip("question:N", title="Question"),
                 alt.Tooltip("reading:N", title="Reading"), alt.Tooltip("verdict:N", title="Verdict"),
                 alt.Tooltip("why:N", title="Why")],
    ).properties(width=280, height=300)
    return finish(chart, title=f"Scorecard of the readings, {HORIZON.word(horizon)}",
                  source="verdicts, tests and evidence (this book); evidence in the chapters named in each test")
