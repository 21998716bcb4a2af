"""Execute notebooks and keep their stored outputs in step with their inputs.

The book renders the outputs stored in the notebooks (it does not execute while building). To make
sure those outputs can never silently disagree with the data, each execution records, in
``book/_outputs_manifest.json``, a hash of everything the notebook's outputs depend on: its own code
and Markdown, every table it ``load``s with that table's schema, any files its metadata lists under
``bookkit.depends_on`` (the data dictionary lists every table), the bibliography, and the bookkit
package itself. ``make book`` re-executes exactly the notebooks whose inputs changed; ``make test``
then re-runs every notebook under nbval and compares the real outputs.

    python -m bookkit.execute [--stale|--check] [NOTEBOOK ...]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from .schema import ROOT, SCHEMA_DIR, get_schema

BOOK = ROOT / "book"
MANIFEST = BOOK / "_outputs_manifest.json"
_LOAD = re.compile(r"""load\(\s*["']([A-Za-z0-9_]+)["']""")
TIMEOUT = 600


def notebooks() -> list[Path]:
    return sorted(p for p in BOOK.glob("*.ipynb"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _code_hash() -> str:
    """The package, the bibliography and the article index: inputs shared by every notebook."""
    parts = sorted([*(ROOT / "bookkit").rglob("*.py"), *(BOOK / "references").glob("*.bib"),
                    ROOT / "data" / "raw" / "article" / "paragraph_index.csv",
                    *(ROOT / "data" / "raw" / "world_atlas_2.0.2").glob("*.json")])
    h = hashlib.sha256()
    for p in (p for p in parts if p.exists()):  # a fork may drop the article index or the atlas
        h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def inputs_of(nb_path: Path) -> dict[str, str]:
    """Every input of a notebook with its hash."""
    nb = nbformat.read(nb_path, as_version=4)
    source = "\n\0".join(f"{c.cell_type}\0{c.source}" for c in nb.cells)
    deps = {"notebook": _sha(source.encode()), "bookkit+references": _code_hash()}
    tables = set(_LOAD.findall(source))
    # Extra inputs named in the notebook's metadata, e.g. {"bookkit": {"depends_on": ["book/*.ipynb"]}}.
    for pattern in nb.metadata.get("bookkit", {}).get("depends_on", []):
        for dep in sorted(ROOT.glob(pattern)):
            if dep != nb_path.resolve():
                deps[dep.relative_to(ROOT).as_posix()] = _sha(dep.read_bytes())
    for table in sorted(tables):
        schema = get_schema(table)
        deps[schema.relpath] = _sha(schema.path.read_bytes()) if schema.path.exists() else "missing"
        schema_file = SCHEMA_DIR / f"{table}.yaml"
        deps[schema_file.relative_to(ROOT).as_posix()] = _sha(schema_file.read_bytes())
    return deps


def read_manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}


def stale(paths: list[Path]) -> dict[Path, list[str]]:
    """Notebooks whose recorded inputs differ from the current ones, with what changed."""
    manifest = read_manifest()
    out = {}
    for p in paths:
        rel = p.relative_to(ROOT).as_posix()
        recorded = manifest.get(rel, {})
        current = inputs_of(p)
        changed = [k for k in sorted(set(current) | set(recorded)) if current.get(k) != recorded.get(k)]
        if changed:
            out[p] = changed
    return out


def _clean(nb) -> None:
    """Drop what varies between runs and is not output: timings and widget state."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.outputs:
                out.get("metadata", {}).pop("execution", None)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-")


def assign_figures(nb, stem: str) -> int:
    """Make every chart a numbered figure: caption = chart title, label = fig-<chapter>-<title>.

    myst-nb wraps a cell's display output in a figure when the cell has ``mystnb.figure`` metadata;
    Sphinx numbers it and ``{numref}`fig-...``` refers to it. An author's own caption or name is kept.
    """
    from .charts import VEGALITE_MIME

    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        specs = [o["data"][VEGALITE_MIME] for o in cell.get("outputs", [])
                 if o.get("output_type") in ("display_data", "execute_result") and VEGALITE_MIME in o.get("data", {})]
        if len(specs) != 1:  # one figure per cell, so its label stays unique
            continue
        title = specs[0].get("title", {})
        title = title.get("text", "") if isinstance(title, dict) else str(title or "")
        figure = cell.metadata.setdefault("mystnb", {}).setdefault("figure", {})
        figure.setdefault("caption", title)
        figure.setdefault("name", f"fig-{_slug(stem)}-{_slug(title)}")
        count += 1
    return count


def execute_one(path_str: str) -> tuple[str, float]:
    from nbclient import NotebookClient

    path = Path(path_str)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    _clean(nb)
    assign_figures(nb, path.stem)
    nbformat.write(nb, path)
    return path_str, time.perf_counter() - start


def execute(paths: list[Path], jobs: int | None = None) -> dict[str, float]:
    """Execute notebooks (in parallel, one kernel each), store outputs, record their inputs."""
    if not paths:
        return {}
    jobs = jobs or min(len(paths), os.cpu_count() or 1)
    timings = {}
    # Pages that report on other notebooks (metadata bookkit.run_last) run after those notebooks.
    last = [p for p in paths if nbformat.read(p, as_version=4).metadata.get("bookkit", {}).get("run_last")]
    for batch in ([p for p in paths if p not in last], last):
        if not batch:
            continue
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(batch)))) as pool:
            for path_str, seconds in pool.map(execute_one, [str(p) for p in batch]):
                timings[Path(path_str).relative_to(ROOT).as_posix()] = round(seconds, 2)
                print(f"executed {Path(path_str).relative_to(ROOT)} in {seconds:.1f} s", flush=True)
        _record(batch)
    return timings


def _record(paths: list[Path]) -> None:
    """Store the current inputs of freshly executed notebooks in the manifest."""
    manifest = read_manifest()
    for p in paths:
        manifest[p.relative_to(ROOT).as_posix()] = inputs_of(p)
    known = {p.relative_to(ROOT).as_posix() for p in notebooks()}
    manifest = {k: v for k, v in sorted(manifest.items()) if k in known}
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path)
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--stale", action="store_true", help="execute only notebooks whose inputs changed")
    group.add_argument("--check", action="store_true", help="fail if any notebook's stored outputs are stale")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or notebooks()
    if args.check or args.stale:
        todo = stale(paths)
        for p, changed in todo.items():
            print(f"{p.relative_to(ROOT)}: stored outputs predate changes to {', '.join(changed)}", flush=True)
        if args.check:
            if todo:
                print("run `make execute` (or `make book`) to refresh them", file=sys.stderr)
            return 1 if todo else 0
        paths = list(todo)
        if paths and args.stale:  # pages that report on other notebooks follow them
            paths += [p for p in notebooks() if p not in paths
                      and nbformat.read(p, as_version=4).metadata.get("bookkit", {}).get("run_last")]
        if not paths:
            print("all notebook outputs are up to date")
    execute(paths, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
