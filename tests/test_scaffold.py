"""`make new-chapter NAME=<slug>` (tools/new_chapter.py) gives a chapter that executes, validates and passes nbval.

The end-to-end test scaffolds a chapter in a throw-away copy of the repository (run with this interpreter and
PYTHONPATH=<copy>, as the Makefile does), runs nbval on the new notebook, validates the new table, checks the
stored outputs are recorded as fresh, and checks that a second run refuses to overwrite anything. That such a
chapter builds into the site (numbered title, chart, glued numbers) is checked once, in tests/test_forking.py,
whose guide scaffolds a chapter the same way and builds the book. The other tests exercise the numbering and
_toc.yml rules directly.
"""
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_repo, run

from bookkit.paths import ROOT

BIN = Path(sys.executable).parent
SLUG, TABLE = "demo_counts", "demo_tally"


def _tool():
    spec = importlib.util.spec_from_file_location("new_chapter", ROOT / "tools" / "new_chapter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stale(repo, env) -> set[str]:
    """Notebooks whose stored outputs are not recorded as fresh (`python -m bookkit.execute --check`)."""
    res = run([sys.executable, "-m", "bookkit.execute", "--check"], cwd=repo, env=env)
    return set(re.findall(r"^(book/\S+\.ipynb): stored outputs predate", res.stdout, re.M))


def _toc_files(repo):
    return _tool().toc_files(yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8")))


def test_scaffolded_chapter_executes_validates_and_passes_nbval(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    env = {**os.environ, "PYTHONPATH": str(repo)}
    before = {p.name for p in (repo / "book").iterdir()}
    stale_before = _stale(repo, env)

    made = run([sys.executable, "tools/new_chapter.py", SLUG, "--title", 'Demo "counts"', "--table", TABLE],
               cwd=repo, env=env)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    new = sorted({p.name for p in (repo / "book").iterdir()} - before)
    assert len(new) == 1 and new[0].endswith(f"_{SLUG}.ipynb"), new
    nb = repo / "book" / new[0]
    entry = f"book/{nb.stem}"
    assert _toc_files(repo).count(entry) == 1
    appendices = _tool().appendix_files(yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8")))
    assert all(_toc_files(repo).index(entry) < _toc_files(repo).index(a) for a in appendices)
    assert (repo / "data" / "schemas" / f"{TABLE}.yaml").exists()
    assert "replace me" in (repo / "data" / "curated" / f"{TABLE}.csv").read_text(encoding="utf-8")

    # Outputs stored and recorded; notebooks that depend on every table or notebook were refreshed.
    assert _stale(repo, env) <= stale_before
    stored = nb.read_text(encoding="utf-8")
    assert "application/vnd.vegalite.v6+json" in stored and f"{SLUG}_total" in stored

    valid = run([sys.executable, "-m", "bookkit", "validate", TABLE], cwd=repo, env=env)
    assert valid.returncode == 0 and f"ok  {TABLE}: 2 rows" in valid.stdout, valid.stdout + valid.stderr

    nbval = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval",
                 "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", f"book/{nb.name}"], cwd=repo, env=env)
    assert nbval.returncode == 0, nbval.stdout[-3000:]

    # The title as given (quotes kept); that such a chapter builds into a numbered page with its chart
    # and its glued numbers is checked on the chapter FORKING.md makes (tests/test_forking.py).
    title = next(c for c in json.loads(stored)["cells"] if c["cell_type"] == "markdown")["source"]
    assert 'Demo "counts"' in "".join(title)

    # A second run refuses, and writes nothing.
    snapshot = {p: p.read_bytes() for p in [repo / "_toc.yml", nb, *(repo / "data").rglob(f"{TABLE}.*")]}
    again = run([sys.executable, "tools/new_chapter.py", SLUG, "--table", "other_table"], cwd=repo, env=env)
    assert again.returncode != 0 and "exists already" in again.stderr, again.stderr
    clash = run([sys.executable, "tools/new_chapter.py", "another_one", "--table", TABLE], cwd=repo, env=env)
    assert clash.returncode != 0 and "exists already" in clash.stderr, clash.stderr
    assert all(p.read_bytes() == data for p, data in snapshot.items())
    assert not (repo / "data" / "schemas" / "other_table.yaml").exists()
    assert not list((repo / "book").glob("*_another_one.ipynb"))


def test_a_chapter_that_fails_to_execute_is_rolled_back(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    env = {**os.environ, "PYTHONPATH": str(repo)}
    template = repo / "tools" / "templates" / "chapter.ipynb"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '"data = load(', '"raise RuntimeError(\\"broken chapter\\")\\n",\n    "data = load(', 1), encoding="utf-8")
    watched = [repo / "_toc.yml", repo / "book" / "_outputs_manifest.json", *sorted((repo / "book").glob("*.ipynb"))]
    before = {p: p.read_bytes() for p in watched}
    res = run([sys.executable, "tools/new_chapter.py", SLUG], cwd=repo, env=env)
    assert res.returncode == 1 and "broken chapter" in res.stdout + res.stderr, res.stdout[-2000:] + res.stderr[-2000:]
    assert "removed and _toc.yml restored" in res.stderr
    assert {p: p.read_bytes() for p in watched} == before
    assert not list((repo / "book").glob(f"*_{SLUG}.ipynb"))
    assert not list((repo / "data").rglob(f"{SLUG}.*"))


@pytest.mark.parametrize("names,appendices,expected", [
    (["02_a.ipynb", "09_b.ipynb", "12_x.ipynb", "13_y.md"], ["book/12_x", "book/13_y"], 10),
    (["02_a.ipynb", "04b_s.ipynb", "11_b.ipynb", "12_x.ipynb", "12b_z.ipynb", "13_y.md"],
     ["book/12_x", "book/12b_z", "book/13_y"], 14),           # this book: nothing free before 12
    (["12_x.ipynb", "13_y.md", "intro.md"], ["book/12_x", "book/13_y"], 2),  # a fork with no chapter yet
    (["02_a.ipynb", "03_b.ipynb"], [], 4),                     # no appendices
])
def test_chapter_number(names, appendices, expected):
    assert _tool().next_number(names, appendices) == expected


TOC = """\
# comment kept
format: jb-book
root: book/intro
parts:
  - caption: Beyond
    numbered: true
    chapters:
      - file: book/10_a
        sections:
          - file: book/10b_s   # a section
  # the appendices
  - caption: Appendices
    numbered: true
    chapters:
      - file: book/12_x
"""


def test_toc_gets_a_new_part_before_the_appendices_then_grows_it():
    tool = _tool()
    once = tool.add_to_toc(TOC, "book/14_new")
    assert "# comment kept" in once and "# a section" in once
    assert once.index("- caption: New chapters") < once.index("# the appendices")
    assert tool.toc_files(yaml.safe_load(once)) == ["book/intro", "book/10_a", "book/10b_s", "book/14_new",
                                                    "book/12_x"]
    part = yaml.safe_load(once)["parts"][1]
    assert part == {"caption": "New chapters", "numbered": True, "chapters": [{"file": "book/14_new"}]}
    twice = tool.add_to_toc(once, "book/15_other")
    assert tool.toc_files(yaml.safe_load(twice))[-3:] == ["book/14_new", "book/15_other", "book/12_x"]
    assert twice.count("- caption: New chapters") == 1
