"""Citations of the source article resolve, and no sentence of it is copied into the book."""
import re
import subprocess
import sys

import nbformat
import pytest

from bookkit.paths import ROOT
from csto import article

SHARED = ROOT.parent / "shared"
SEED = sorted((SHARED / "seed").glob("*.txt")) if (SHARED / "seed").exists() else []
NO_COPY = SHARED / "tools" / "check_no_copy.py"


def _book_text():
    for p in sorted((ROOT / "book").glob("*.md")):
        yield p.name, p.read_text(encoding="utf-8")
    for p in sorted((ROOT / "book").glob("*.ipynb")):
        nb = nbformat.read(p, as_version=4)
        yield p.name, "\n".join(c.source for c in nb.cells)


def test_every_locator_in_the_prose_names_a_real_paragraph():
    counts = article.read_index()
    bad = []
    for name, text in _book_text():
        for sec, par in re.findall(r"§([A-Za-z-]+) ¶(\d+)", text):
            if not article.resolves(f"§{sec} ¶{par}", counts):
                bad.append(f"{name}: §{sec} ¶{par}")
    assert not bad, bad


@pytest.mark.skipif(not SEED, reason="the article text (../shared/seed) is not beside this checkout")
def test_paragraph_index_matches_the_article():
    paragraphs = article.split(SEED[0].read_text(encoding="utf-8"))
    rows = (article.INDEX_PATH.read_text(encoding="utf-8").splitlines())[1:]
    assert len(rows) == len(paragraphs)
    for row, p in zip(rows, paragraphs):
        section, number, _stage, chars, digest = row.split(",")
        assert (section, int(number), int(chars), digest) == (p.section, p.number, len(p.text), article.short_hash(p.text))


@pytest.mark.skipif(not NO_COPY.exists(), reason="../shared/tools/check_no_copy.py is not beside this checkout")
def test_no_run_of_the_article_is_copied():
    res = subprocess.run([sys.executable, str(NO_COPY), str(ROOT)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout


def test_bibliography_keys_are_unique_across_files():
    seen, dupes = {}, []
    for bib in sorted((ROOT / "book" / "references").glob("*.bib")):
        for key in re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8")):
            if key in seen:
                dupes.append(f"{key} in {seen[key]} and {bib.name}")
            seen[key] = bib.name
    assert not dupes, dupes
