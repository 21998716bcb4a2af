"""Charts of chapter 3 (concepts): which tests bear on each function of a security pact."""
from __future__ import annotations

import pandas as pd

from bookkit.charts import alt, finish
from bookkit.labels import coded


def function_test_grid(functions: pd.DataFrame, tests: pd.DataFrame) -> pd.DataFrame:
    """One row per function and test bearing on it (the functions' ``linked_tests``), in words."""
    aim = coded("security_pact_functions", "aim")
    named = tests.assign(name=tests["id"] + " " + tests["short"]).set_index("id")
    pairs = functions.assign(test=functions["linked_tests"].str.split(";")).explode("test")
    return pd.DataFrame({
        "function": pairs["short_label"].astype(str),
        "meaning": pairs["function"].astype(str),
        "aim": aim.words(pairs["aim"]),
        "test": pairs["test"].map(named["name"]).astype(str),
        "question": pairs["test"].map(named["question"]).astype(str),
    }).reset_index(drop=True)


def functions_by_test(functions: pd.DataFrame, tests: pd.DataFrame) -> alt.Chart:
    """Grid of the article's functions of security pacts (rows) against the book's tests (columns):
    a square where a test bears on a function, coloured by what the function is directed at."""
    aim = coded("security_pact_functions", "aim")
    grid = function_test_grid(functions, tests)
    test_order = (tests["id"] + " " + tests["short"]).astype(str).tolist()
    chart = alt.Chart(grid).mark_square(size=210).encode(
        x=alt.X("test:N", sort=test_order, title="Test of the readings (chapters 9 and 10 score them)",
                axis=alt.Axis(labelAngle=-50, labelLimit=170, orient="top")),
        y=alt.Y("function:N", sort=functions["short_label"].astype(str).tolist(),
                title="Function of a security pact (article's order)", axis=alt.Axis(labelLimit=170)),
        color=alt.Color("aim:N", **aim.encoding("Directed at"), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("function:N", title="Function"), alt.Tooltip("meaning:N", title="What it means"),
                 alt.Tooltip("aim:N", title="Directed at"), alt.Tooltip("test:N", title="Test"),
                 alt.Tooltip("question:N", title="Question")],
    ).properties(width=260, height=alt.Step(24))  # a number, so that the site can fit it to a phone
    links = grid.groupby("function", sort=False)["test"].agg(", ".join)
    description = ("Grid of the article's functions of security pacts against the tests of the readings that bear "
                   "on them, coloured by what each function is directed at. "
                   + "; ".join(f"{f}: {t}" for f, t in links.items()) + ".")
    return finish(chart, title="Which tests bear on each function of a security pact",
                  source="functions of security pacts and tests (this book), from Taghvaei, §Theory ¶7-¶15",
                  description=description)
