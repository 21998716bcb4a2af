"""Verdicts, read from the tables that hold them, and the sentences that state them.

Every verdict of the book is one row of one table:
- ``claims_ledger``: one verdict per claim of the article;
- ``verdicts``: one verdict per test, reading and horizon (what each reading predicted, against the
  evidence up to 2011 or up to 2025), with the evidence summarised in ``evidence``;
- ``reading_verdicts``: one overall verdict per reading and horizon;
- ``function_scores``: one verdict per function of security pacts and horizon.
Chapters and the preface state a verdict only through these functions (glued with ``put``), so the
same verdict reads the same everywhere and a test can check that no chapter says otherwise.
"""
from __future__ import annotations

from functools import cache

from bookkit import load, put
from bookkit.labels import from_codelist

VERDICT = from_codelist("verdict", "Verdict")
READING = from_codelist("reading", "Reading")
HORIZON = from_codelist("horizon", "Evidence")


@cache
def _table(name: str):
    return load(name)


def claim(claim_id: str) -> str:
    """The ledger's verdict on one claim, in words ('partly supported')."""
    rows = _table("claims_ledger")
    row = rows[rows["id"] == claim_id]
    if len(row) != 1:
        raise KeyError(f"no claim {claim_id!r} in claims_ledger")
    return VERDICT.word(row["verdict"].iloc[0])


def verdict(test: str, reading: str, horizon: str) -> str:
    rows = _table("verdicts")
    row = rows[(rows["test"] == test) & (rows["reading"] == reading) & (rows["horizon"] == horizon)]
    if len(row) != 1:
        raise KeyError(f"no verdict for {test}, {reading}, {horizon}")
    return VERDICT.word(row["verdict"].iloc[0])


def sentence(test: str, reading: str, horizon: str) -> str:
    """'The evidence up to 2025 contradicts ...' for one test and reading, with the reason."""
    rows = _table("verdicts")
    row = rows[(rows["test"] == test) & (rows["reading"] == reading) & (rows["horizon"] == horizon)].iloc[0]
    tests = _table("tests").set_index("id")
    word = VERDICT.word(row["verdict"])
    return (f"{tests.loc[test, 'short']}, {READING.word(reading)}: {word} on the "
            f"{HORIZON.word(horizon)} ({row['reason']})")


def overall(reading: str, horizon: str) -> str:
    """The overall verdict on a reading, in words."""
    rows = _table("reading_verdicts")
    row = rows[(rows["reading"] == reading) & (rows["horizon"] == horizon)]
    if len(row) != 1:
        raise KeyError(f"no overall verdict for {reading}, {horizon}")
    return VERDICT.word(row["verdict"].iloc[0])


def put_claims(*claim_ids: str) -> None:
    """Glue the ledger's verdict on each claim as v_<id> (e.g. {glue}`v_C068`)."""
    for cid in claim_ids:
        put(f"v_{cid}", claim(cid))


def put_readings(horizon: str) -> None:
    """Glue every verdict of a horizon: v_<test>_<reading>_<horizon> and v_<reading>_<horizon>."""
    rows = _table("verdicts")
    for r in rows[rows["horizon"] == horizon].itertuples(index=False):
        put(f"v_{r.test}_{r.reading}_{horizon}", VERDICT.word(r.verdict))
    for r in _table("reading_verdicts").itertuples(index=False):
        if r.horizon == horizon:
            put(f"v_{r.reading}_{horizon}", VERDICT.word(r.verdict))


def put_functions(horizon: str) -> None:
    """Glue the score of every function of security pacts for a horizon as f_<function>_<horizon>."""
    for r in _table("function_scores").itertuples(index=False):
        if r.horizon == horizon:
            put(f"f_{r.function}_{horizon}", VERDICT.word(r.verdict))


def functions_scored(horizon: str):
    """The functions of security pacts scored for a horizon, for a table: 'F1 Deter attacks on oneself'."""
    names = _table("security_pact_functions").set_index("id")["short_label"]
    scores = _table("function_scores")
    out = scores.loc[scores["horizon"] == horizon, ["function", "verdict", "reason"]].copy()
    out["function"] = out["function"] + " " + out["function"].map(names)
    return out


def tested_by(code: str) -> tuple[str | None, str, str]:
    """Split a ledger ``tested_by`` code into (test or None, reading, horizon).

    "T8:Ha" is test T8's verdict on reading Ha; "Ha" is the overall verdict on Ha; a trailing ":2011"
    picks the horizon, which is otherwise the latest (2025).
    """
    parts = code.split(":")
    horizon = parts.pop() if parts[-1] in HORIZON.values else "2025"
    return (parts[0], parts[1], horizon) if len(parts) == 2 else (None, parts[0], horizon)


def tested_claims(ledger):
    """The ledger's claims that are also verdicts of the test of the readings, with the test in words."""
    tests = _table("tests").set_index("id")
    rows = ledger[ledger["tested_by"].notna()].copy()
    described = []
    for code in rows["tested_by"]:
        test, reading, horizon = tested_by(code)
        what = f"{test} ({tests.loc[test, 'short'].lower()})" if test else "overall verdict"
        described.append(f"{what}, {READING.word(reading)}, {HORIZON.word(horizon)}")
    rows["tested_by"] = described
    return rows
