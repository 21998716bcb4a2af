"""FORKING.md's commands work: the guide is run, block by block, in a throw-away copy of the repository.

Convention: every ```bash block in FORKING.md is preceded by a marker line, either `<!-- test: run -->`
(run here, in document order, each block in a fresh `bash -euo pipefail` at the copy's root) or
`<!-- test: skip ... -->` (shown only, e.g. `make test`, which takes minutes). Runnable blocks call
`.venv/bin/...`, which is pointed at this interpreter's environment (the copy has no .venv), with
PYTHONPATH=<copy> as the Makefile sets it; they may not call `make`, which would install a venv.
"""
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_repo, run

from bookkit.paths import ROOT

GUIDE = ROOT / "FORKING.md"
BIN = Path(sys.executable).parent
BLOCK = re.compile(r"(?:^(<!--\s*test:\s*(\w+)[^>]*-->)[ \t]*\n)?^```bash[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def blocks() -> list[tuple[str | None, str]]:
    """(marker, code) for every bash block of the guide, in order."""
    return [(m.group(2), m.group(3)) for m in BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))]


def test_every_bash_block_is_marked_run_or_skip():
    found = blocks()
    assert found, "FORKING.md has no ```bash blocks"
    unmarked = [code.splitlines()[0] for marker, code in found if marker not in {"run", "skip"}]
    assert not unmarked, f"bash blocks without <!-- test: run --> or <!-- test: skip -->: {unmarked}"
    runnable = [code for marker, code in found if marker == "run"]
    assert len(runnable) >= 5
    assert not [c for c in runnable if re.search(r"(^|[;&|(]\s*)make\b", c, re.M)], "runnable blocks may not call make"


@pytest.mark.slow  # builds the whole book in a copy
def test_the_guide_turns_a_copy_into_another_book(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    env = {**os.environ, "PYTHONPATH": str(repo)}
    for i, (marker, code) in enumerate(blocks(), 1):
        if marker != "run":
            continue
        script = code.replace(".venv/bin/", f"{BIN}/")
        res = run(["bash", "-euo", "pipefail", "-c", script], cwd=repo, env=env)
        assert res.returncode == 0, (f"FORKING.md bash block {i} failed (exit {res.returncode}):\n{code}\n"
                                     f"--- stdout\n{res.stdout[-3000:]}\n--- stderr\n{res.stderr[-3000:]}")

    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    assert config["title"] == "The SCO and Central Asian security"
    assert "book/references/sco.bib" in config["bibtex_bibfiles"]
    chapter = list((repo / "book").glob("*_sco_members.ipynb"))
    assert len(chapter) == 1
    assert f"book/{chapter[0].stem}" in (repo / "_toc.yml").read_text(encoding="utf-8")
    page = (repo / "_build" / "html" / "book" / f"{chapter[0].stem}.html").read_text(encoding="utf-8")
    assert re.search(r"<h1>\d+\. Who founded the SCO</h1>", page)  # numbered by its place in _toc.yml
    assert 'class="bookkit-chart"' in page and "sco_2001_declaration" in page
    assert re.search(r"holds (?:<[^>]+>)*2(?:</[^>]+>)* rows", page)  # the glued number, not the role
    assert (repo / "data" / "raw" / "sco_documents" / "PROVENANCE.md").exists()
