"""Derived tables: built by code from declared inputs, written deterministically, then validated.

Each schema of kind ``derived`` names the module that builds the table (``derived_by``, a module with a
``build()`` returning a DataFrame) and the files or folders it is built from (``derived_from``, paths
in the repository). That is the whole dependency graph of the data: ``python -m bookkit build`` runs
the builders in dependency order (a table built from another derived table comes after it), writes a
file only when its content changed, and validates what it wrote. The Makefile reruns it whenever a file
under ``data/`` changes.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import io
import json
import os
from pathlib import Path

from . import paths
from .schema import Schema, all_schemas
from .validate import check_table

# What each derived table was last built from: {table: {input path: sha256}}. A table whose inputs
# changed since is rebuilt before it is loaded, so a re-runner who edits a curated row sees it.
MANIFEST = paths.TIDY / "_inputs.json"


def inputs(name: str) -> list[Path]:
    """The declared inputs of derived table ``name`` (what its builder may read)."""
    schema = all_schemas(record=False)[name]
    return [paths.ROOT / p for p in schema.derived_from]


def order(schemas: dict[str, Schema]) -> list[str]:
    """Derived tables in an order where each comes after the derived tables it is built from."""
    derived = {n: s for n, s in schemas.items() if s.kind == "derived"}
    produced = {s.relpath: n for n, s in derived.items()}
    done: list[str] = []

    def visit(name: str, trail: tuple[str, ...] = ()) -> None:
        if name in done:
            return
        if name in trail:
            raise ValueError(f"derived tables depend on each other in a circle: {' -> '.join(trail + (name,))}")
        for dep in derived[name].derived_from:
            if dep in produced:
                visit(produced[dep], trail + (name,))
        done.append(name)

    for name in sorted(derived):
        visit(name)
    return done


def to_csv(frame, schema: Schema) -> bytes:
    """Schema column order, rows sorted by the primary key, LF line ends: the same bytes every time."""
    missing = [c for c in schema.columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{schema.derived_by} did not produce column(s) {missing} for {schema.name}")
    frame = frame[schema.columns].sort_values(list(schema.primary_key), kind="stable").copy()
    for f in schema.fields:  # booleans are written as the schema's 'true' / 'false'
        if f.type == "boolean":
            frame[f.name] = frame[f.name].map({True: "true", False: "false"})
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def input_hashes(schema: Schema) -> dict[str, str]:
    """sha256 of every file the table is built from, and of the module that builds it."""
    files: list[Path] = []
    for p in schema.derived_from:
        path = paths.ROOT / p
        files += sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
    module = importlib.util.find_spec(schema.derived_by)
    if module and module.origin:
        files.append(Path(module.origin))
    return {paths.rel(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


def _recorded() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}


def ensure_fresh(name: str, schemas: dict[str, Schema] | None = None) -> bool:
    """Rebuild derived table ``name`` (after the derived tables it is built from) if an input changed.

    Returns True if something was rebuilt."""
    schemas = schemas or all_schemas(record=False)
    schema = schemas[name]
    if schema.kind != "derived":
        return False
    produced = {s.relpath: n for n, s in schemas.items() if s.kind == "derived"}
    rebuilt = False
    for dep in schema.derived_from:
        if dep in produced:
            rebuilt |= ensure_fresh(produced[dep], schemas)
    if rebuilt or not schema.path.exists() or _recorded().get(name) != input_hashes(schema):
        build([name])
        return True
    return False


def build(names: list[str] | None = None, out_dir: Path | None = None) -> list[str]:
    """Run the builders (all, or the named tables); write into ``out_dir`` instead of data/ if given."""
    schemas = all_schemas(record=False)
    report = []
    for name in order(schemas):
        if names and name not in names:
            continue
        schema = schemas[name]
        missing = [p for p in schema.derived_from if not (paths.ROOT / p).exists()]
        if missing:
            raise FileNotFoundError(f"{name}: declared input(s) {missing} not found")
        content = to_csv(importlib.import_module(schema.derived_by).build(), schema)
        target = (out_dir / schema.path.name) if out_dir else schema.path
        changed = not target.exists() or target.read_bytes() != content
        if changed:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(target, content)
        rows = check_table(target, schema).num_rows
        report.append(f"{paths.rel(target)} ({rows} rows{', rewritten' if changed else ', unchanged'})")
        if out_dir is None:
            recorded = _recorded()
            if recorded.get(name) != input_hashes(schema):
                recorded[name] = input_hashes(schema)
                _write_atomic(MANIFEST, (json.dumps(dict(sorted(recorded.items())), indent=1, sort_keys=True)
                                         + "\n").encode("utf-8"))
    return report


def _write_atomic(path: Path, content: bytes) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)
