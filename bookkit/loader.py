"""``load(name)``: a validated, typed table, and a record of what was read.

Notebooks never read a CSV themselves. ``load`` finds the table's schema, validates the file against
it and returns typed columns; a broken table stops the notebook with a DatasetError naming the file,
row, column and rule. Every file read this way (data, schema, code lists, bibliography, and any file a
book module passes to ``record``) is noted, so that the execution manifest knows exactly which inputs
a notebook's outputs depend on: when ``BOOKKIT_READS`` names a file, each path is appended to it.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import paths

READS_ENV = "BOOKKIT_READS"
_seen: set[str] = set()


def record(path: Path | str) -> None:
    """Note that the running code read ``path`` (a file inside the repository)."""
    rel = paths.rel(Path(path))
    if rel in _seen:
        return
    _seen.add(rel)
    target = os.environ.get(READS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(rel + "\n")


def reads() -> list[str]:
    return sorted(_seen)


def record_modules() -> None:
    """Record the repository's own Python modules this process has imported (the engine, the book's
    package): a notebook's outputs depend on exactly those, not on every file of the packages."""
    import sys

    for module in list(sys.modules.values()):
        origin = getattr(module, "__file__", None)
        if origin and Path(origin).resolve().is_relative_to(paths.ROOT) and ".venv" not in Path(origin).parts:
            record(origin)


def load(name: str):
    """Validated, typed table ``name`` (schema: data/schemas/<name>.yaml)."""
    from .schema import get_schema
    from .validate import validate_file

    schema = get_schema(name)
    if schema.kind == "derived":
        from .derive import ensure_fresh

        ensure_fresh(name)  # an edit to an input (a curated row, a raw file) is picked up here
    record(schema.file)
    if paths.CODELISTS.exists():
        record(paths.CODELISTS)
    if not schema.path.exists():
        hint = " (run `make data`)" if schema.kind == "derived" else ""
        raise FileNotFoundError(f"{schema.relpath} not found{hint}")
    record(schema.path)
    if any(f.type == "sources" for f in schema.fields):
        for bib in sorted(paths.REFERENCES.glob("*.bib")):
            record(bib)
    return validate_file(schema.path, schema)
