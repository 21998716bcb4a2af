"""Every verdict is one row of one table, and every place that states it says the same.

- The verdict tables are complete: each test has a verdict for each reading and horizon, and a summary
  of the evidence for each horizon; each reading has an overall verdict per horizon; each function of
  security pacts a score per horizon.
- A reading that predicts nothing on a test gets "predicts nothing here", and only then.
- Every verdict glued in a notebook (v_*, f_*) equals the word the table gives.
- A claim of the ledger that is also a test carries the test's verdict on the evidence up to 2025.
- No chapter states a verdict in its own words: the verdict words appear in prose only inside glue roles
  (the chapters that explain the scale are exempt).
"""
import json
import re

import pytest

from bookkit import load
from bookkit.labels import from_codelist
from bookkit.paths import BOOK
from bookkit.stats import glued
from csto.verdicts import tested_by as split_tested_by

VERDICT = from_codelist("verdict")
READINGS = from_codelist("reading").values
HORIZONS = from_codelist("horizon").values
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def test_every_test_has_a_verdict_per_reading_and_horizon():
    tests, verdicts, evidence = load("tests"), load("verdicts"), load("evidence")
    want = {(t, r, h) for t in tests["id"] for r in READINGS for h in HORIZONS}
    have = set(zip(verdicts["test"], verdicts["reading"], verdicts["horizon"]))
    assert want == have, (want - have, have - want)
    assert set(zip(evidence["test"], evidence["horizon"])) == {(t, h) for t in tests["id"] for h in HORIZONS}


def test_every_reading_and_function_is_scored_per_horizon():
    overall = load("reading_verdicts")
    assert set(zip(overall["reading"], overall["horizon"])) == {(r, h) for r in READINGS for h in HORIZONS}
    scores, functions = load("function_scores"), load("security_pact_functions")
    assert set(zip(scores["function"], scores["horizon"])) == {(f, h) for f in functions["id"] for h in HORIZONS}


def test_no_prediction_exactly_where_the_reading_is_silent():
    tests = load("tests").set_index("id")
    for row in load("verdicts").itertuples(index=False):
        silent = not isinstance(tests.loc[row.test, f"predicts_{row.reading}"], str)
        assert silent == (row.verdict == "no_prediction"), (row.test, row.reading, row.horizon, row.verdict)


def _expected() -> dict[str, str]:
    words = {}
    for r in load("verdicts").itertuples(index=False):
        words[f"v_{r.test}_{r.reading}_{r.horizon}"] = VERDICT.word(r.verdict)
    for r in load("reading_verdicts").itertuples(index=False):
        words[f"v_{r.reading}_{r.horizon}"] = VERDICT.word(r.verdict)
    for r in load("function_scores").itertuples(index=False):
        words[f"f_{r.function}_{r.horizon}"] = VERDICT.word(r.verdict)
    for r in load("claims_ledger").itertuples(index=False):
        words[f"v_{r.id}"] = VERDICT.word(r.verdict)
    return words


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_glued_verdicts_match_their_tables(nb_path):
    expected = _expected()
    stored = {k: v for k, v in glued(nb_path).items() if re.fullmatch(r"[vf]_\w+", k) and k in expected}
    wrong = {k: (v, expected[k]) for k, v in stored.items() if v.strip("'\"") != expected[k]}
    assert not wrong, f"{nb_path.name}: glued verdict differs from its table (stored, table): {wrong}"


def test_ledger_claims_that_are_tests_carry_the_tests_verdict():
    ledger = load("claims_ledger")
    verdicts = load("verdicts").set_index(["test", "reading", "horizon"])["verdict"]
    overall = load("reading_verdicts").set_index(["reading", "horizon"])["verdict"]
    tested = ledger[ledger["tested_by"].notna()]
    assert len(tested) >= 5
    for row in tested.itertuples(index=False):
        test, reading, horizon = split_tested_by(row.tested_by)
        expected = verdicts[(test, reading, horizon)] if test else overall[(reading, horizon)]
        assert row.verdict == expected, (row.id, row.verdict, row.tested_by, expected)


# A verdict stated in words: the scale's own phrases, or "is supported" and the like ("Russia supported
# the plan" is ordinary English and passes).
VERDICT_WORDS = re.compile(r"\b(partly supported|not checkable|contradict(?:ed|s)|"
                           r"(?:is|are|was|were|remains|stays) supported)\b", re.I)
# The chapters that define the verdict scale itself may name its words.
EXPLAINS_SCALE = {"11_claims_ledger", "12_data_methods"}


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_verdict_is_typed_by_hand(nb_path):
    if nb_path.stem in EXPLAINS_SCALE:
        pytest.skip("this chapter explains the verdict scale")
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    typed = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = re.sub(r"\{glue[^}]*\}`[^`]*`", "", "".join(cell["source"]))
            typed += VERDICT_WORDS.findall(text)
    assert not typed, f"{nb_path.name} states verdicts in its own words: {typed} (glue them from the tables)"
