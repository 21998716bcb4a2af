"""Where everything lives, defined once, and the project's few settings.

The engine knows a book only through this module: the folders below and the ``[tool.bookkit]``
table of ``pyproject.toml`` (which plugin module registers the book's own cell types, which source
types are not independent, short country names).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
CURATED = DATA / "curated"
TIDY = DATA / "tidy"
SCHEMAS = DATA / "schemas"
CODELISTS = SCHEMAS / "_codelists.yaml"
BOOK = ROOT / "book"
REFERENCES = BOOK / "references"
STATIC = BOOK / "_static"
MANIFEST = BOOK / "_outputs_manifest.json"
BUILD = ROOT / "_build"
DATAPACKAGE = ROOT / "datapackage.json"


def rel(path: Path) -> str:
    """A path as written in messages and manifests: relative to the repository, with '/'."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


@lru_cache(maxsize=1)
def settings() -> dict:
    """``[tool.bookkit]`` from pyproject.toml (empty if absent)."""
    pyproject = ROOT / "pyproject.toml"
    if not pyproject.exists():
        return {}
    return tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("bookkit", {})
