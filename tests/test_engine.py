"""The engine (bookkit/) knows nothing of this book, and its contracts hold.

- No CSTO word in the engine's code: a fork keeps bookkit/ whole and replaces csto/, data/ and book/.
- A schema with an unknown key is an error, not silently ignored.
- ``import bookkit`` is cheap: it loads neither Altair nor pandas until they are used.
- Notebooks are thin: no function or class defined in them, Altair taken from bookkit, and the total
  lines of notebook code stay within budget.
- Glued values read as prose: a count with a noun agrees with it ("no years", "1 year").
"""
import re
import subprocess
import sys

import pytest
import yaml

from bookkit.paths import BOOK, ROOT
from bookkit.schema import SchemaError, read_schema
from bookkit.stats import code_cells, code_lines

BOOK_WORDS = re.compile(r"CSTO|Taghvaei|Collective Security|Kyrgyz|SIPRI|UCDP|membership_history", re.I)
CODE_BUDGET = 900


def test_the_engine_names_nothing_of_this_book():
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in sorted((ROOT / "bookkit").rglob("*.py"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if BOOK_WORDS.search(line)]
    assert not hits, hits


def test_unknown_schema_keys_are_errors(tmp_path):
    spec = yaml.safe_load((ROOT / "data/schemas/readings.yaml").read_text(encoding="utf-8"))
    spec["fields"][1]["requried"] = False  # a misspelt key
    path = tmp_path / "readings.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(SchemaError, match="unknown key"):
        read_schema(path)
    spec["fields"][1].pop("requried")
    spec["colour"] = "red"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(SchemaError, match="unknown key"):
        read_schema(path)


def test_importing_the_engine_is_cheap():
    code = "import sys, bookkit; print(int('altair' in sys.modules), int('pandas' in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "0"], out


def _code_cells():
    for path in sorted(BOOK.glob("*.ipynb")):
        for src in code_cells(path):
            yield path.name, src


def test_no_function_or_class_is_defined_in_a_notebook():
    found = [f"{name}: {m.group(0).strip()}" for name, src in _code_cells()
             for m in re.finditer(r"^\s*(?:async\s+)?(?:def|class)\s+\w+", src, re.M)]
    found += [f"{name}: lambda" for name, src in _code_cells() if re.search(r"\blambda\b", src)]
    assert not found, found


def test_notebooks_take_altair_from_the_engine():
    direct = sorted({name for name, src in _code_cells() if re.search(r"^\s*(?:import|from) altair\b", src, re.M)})
    assert not direct, f"import Altair through bookkit (from bookkit.charts import alt): {direct}"


def test_notebook_code_stays_thin():
    lines = sum(code_lines(path) for path in BOOK.glob("*.ipynb"))
    print(f"notebook code: {lines} lines")
    assert lines <= CODE_BUDGET, f"{lines} lines of notebook code (budget {CODE_BUDGET})"


@pytest.mark.parametrize("value, kwargs, text", [
    (2011, {"fmt": "d"}, "2011"),
    (2030, {}, "2,030"),
    (3, {"noun": "analysis"}, "3 analyses"),
    (1, {"noun": "year"}, "1 year"),
    (0, {"noun": "year"}, "no years"),
    (None, {}, "unknown"),
    (95.23, {"fmt": "percent"}, "95.2 per cent"),
])
def test_glued_words_read_as_prose(value, kwargs, text):
    from bookkit.glue import words
    assert words(value, **kwargs) == text
