"""CITATION.cff is valid Citation File Format 1.2.0 and agrees with the book's configuration.

Validation uses the reference tool, cffconvert (`cffconvert --validate -i CITATION.cff`). cffconvert 2.0.0
pins jsonschema<4, which the book's Jupyter stack (jupyter-events, jupyterlab-server: jsonschema>=4.18)
cannot use, so it lives in its own small environment, `.venv/cffconvert`, which `make install` creates
from `requirements-cff.lock`. Set CFFCONVERT=/path/to/cffconvert to use another copy.
"""
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import run

from bookkit.paths import ROOT

CFF = ROOT / "CITATION.cff"


def _cffconvert() -> str:
    candidates = [os.environ.get("CFFCONVERT"),
                  Path(sys.prefix) / "cffconvert" / "bin" / "cffconvert",
                  ROOT / ".venv" / "cffconvert" / "bin" / "cffconvert",
                  shutil.which("cffconvert")]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return str(c)
    pytest.fail("cffconvert not found: `make install` creates .venv/cffconvert from requirements-cff.lock "
                "(or set CFFCONVERT to a cffconvert 2.x executable)")


@pytest.fixture(scope="module")
def cff():
    return yaml.safe_load(CFF.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff_1_2_0():
    res = run([_cffconvert(), "--validate", "-i", str(CFF)], cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "valid" in res.stdout and "1.2.0" in res.stdout, res.stdout


def test_the_validator_refuses_a_broken_file(tmp_path):
    """The check has teeth: an unknown key and a date that is not ISO 8601 are refused."""
    good = CFF.read_text(encoding="utf-8")
    not_iso = re.sub(r'^date-released: "(\d{4})-(\d{2})-(\d{2})"', r'date-released: "\3/\2/\1"', good, flags=re.M)
    assert not_iso != good, "CITATION.cff has no ISO date-released to break"
    for name, text in (("a date that is not ISO 8601", not_iso), ("an unknown key", good + "unknown-key: 1\n")):
        bad = tmp_path / "CITATION.cff"
        bad.write_text(text, encoding="utf-8")
        res = run([_cffconvert(), "--validate", "-i", str(bad)], cwd=tmp_path, timeout=120)
        assert res.returncode != 0, f"{name} was accepted: {res.stdout}"


def test_repository_url_is_the_one_in_config(cff, config):
    """_config.yml's repository.url is the one place the address is set; CITATION.cff repeats it."""
    assert cff["repository-code"] == config["repository"]["url"]


def test_title_and_version_agree_with_the_book(cff, config):
    assert cff["title"] == config["title"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert str(cff["version"]) == pyproject["project"]["version"]


def test_licences_authors_and_references(cff):
    """What a citation of the book needs. Kept general so that a fork (FORKING.md) passes it unchanged."""
    assert cff["cff-version"] == "1.2.0"
    assert cff["license"] == ["MIT", "CC-BY-4.0"]  # LICENSE (code) and LICENSE-text (text, compiled tables)
    assert cff["authors"] and all(a.get("name") or a.get("family-names") for a in cff["authors"])
    assert cff["references"]
    for ref in cff["references"]:
        assert ref.get("type") and ref.get("title") and ref.get("authors"), ref
