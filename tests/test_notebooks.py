"""The notebooks' stored outputs are honest.

`make test` runs every notebook under nbval (pytest --nbval book/). These tests check the machinery
around it: stored outputs are recorded as fresh for their current inputs, and nbval really fails when a
single value in a dataset changes (so the chart spec and its data are compared, not sanitized away).
A cell shows a chart, a table or nothing: no bare text result (a stray '5' under hidden code).
"""
import csv
import io
import json
import os
import re
import sys

import pytest
from conftest import run

from bookkit import execute
from bookkit.paths import ROOT
from bookkit.schema import get_schema

# (notebook, table, column) whose change must be visible in the notebook's outputs.
TEETH = [("book/04_formation.ipynb", "membership_history", "date"),
         ("book/12_data_methods.ipynb", "article_structure", "paragraphs")]


def test_stored_outputs_are_fresh_for_their_inputs():
    stale = execute.stale(execute.notebooks())
    assert not stale, f"run `make execute`: {[str(p.relative_to(ROOT)) for p in stale]}"


def test_no_cell_shows_a_bare_text_result():
    stray = []
    for nb_path in execute.notebooks():
        for index, cell in enumerate(json.loads(nb_path.read_text(encoding="utf-8"))["cells"]):
            for out in cell.get("outputs", []):
                if out["output_type"] == "execute_result" and set(out["data"]) == {"text/plain"}:
                    stray.append(f"{nb_path.name} cell {index}: {''.join(out['data']['text/plain'])[:40]}")
    assert not stray, f"cells that end in a bare value (end them with a statement): {stray}"


def test_every_notebook_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    missing = [p.stem for p in execute.notebooks() if f"book/{p.stem}" not in toc]
    assert not missing


def _mutate(csv_path, column):
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"), newline="")))
    i = rows[0].index(column)
    old = rows[1][i]
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", old):
        new = str(int(old[:4]) - 1) + old[4:]          # same precision, one year earlier
    else:
        new = str(int(old) + 1)
    rows[1][i] = new
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    csv_path.write_text(buf.getvalue(), encoding="utf-8")
    return old, new


@pytest.mark.parametrize("notebook,table,column", [t for t in TEETH if (ROOT / t[0]).exists()][:1])
def test_nbval_fails_when_one_dataset_value_changes(repo_copy, notebook, table, column):
    rel = get_schema(table).path.relative_to(ROOT)
    old, new = _mutate(repo_copy / rel, column)
    env = {**os.environ, "PYTHONPATH": str(repo_copy)}
    base = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval", notebook]
    # The unmodified copy passes: the failure below is caused by the one changed value.
    changed = run(base, cwd=repo_copy, env=env)
    assert changed.returncode != 0, f"nbval did not notice {table}.{column}: {old} -> {new}\n{changed.stdout[-2000:]}"
    assert "failed" in changed.stdout
    (repo_copy / rel).write_bytes((ROOT / rel).read_bytes())
    same = run(base, cwd=repo_copy, env=env)
    assert same.returncode == 0, same.stdout[-3000:]
