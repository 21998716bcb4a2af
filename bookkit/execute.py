"""Execute notebooks and keep their stored outputs in step with their inputs.

The book renders the outputs stored in the notebooks (it does not execute while building). So that
those outputs can never silently disagree with the data, every execution records in
``book/_outputs_manifest.json`` the hash of each input the outputs depend on:

- the notebook's own cells;
- every file the kernel read through ``bookkit.load`` or ``bookkit.record`` (tables, schemas, code
  lists, bibliography, raw files a book module reads): the loader itself writes them down, so nothing
  has to be guessed from the notebook's source;
- the repository's own Python modules the kernel imported (recorded when the run ends) and the project
  settings (pyproject.toml), so editing a module no notebook uses stales nothing.

``make book`` re-executes exactly the notebooks whose recorded inputs changed (``--stale``); ``make test``
re-runs every notebook under nbval and compares the real outputs.

    python -m bookkit.execute [--stale|--check] [--jobs N] [NOTEBOOK ...]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import paths
from .loader import READS_ENV

TIMEOUT = 600
VEGALITE_MIME = "application/vnd.vegalite.v6+json"


def notebooks() -> list[Path]:
    return sorted(paths.BOOK.glob("*.ipynb"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_nb(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def shared_inputs() -> list[Path]:
    """Inputs of every notebook besides what its kernel records: the project settings."""
    return [paths.ROOT / "pyproject.toml"]


def shared_hash() -> str:
    h = hashlib.sha256()
    for p in shared_inputs():
        if p.exists():
            h.update(paths.rel(p).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def cells_hash(nb) -> str:
    return _sha("\n\0".join(f"{c.cell_type}\0{c.source}" for c in nb.cells).encode())


def read_manifest() -> dict:
    return json.loads(paths.MANIFEST.read_text(encoding="utf-8")) if paths.MANIFEST.exists() else {}


def _file_hash(rel: str) -> str:
    """sha256 of a file; of a folder, over its files' names and contents (a new file changes it)."""
    path = paths.ROOT / rel
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(paths.rel(f).encode() + b"\0" + f.read_bytes() + b"\0")
        return h.hexdigest()
    return _sha(path.read_bytes()) if path.is_file() else "missing"


def _input_hash(rel: str, reader: str, manifest: dict) -> str:
    """A file's hash as an input of notebook ``reader``; a page reporting on the manifest (``manifest``,
    as stored) depends on the other notebooks' entries, not on its own (which changes every time it runs)."""
    if rel != paths.rel(paths.MANIFEST):
        return _file_hash(rel)
    others = {k: v for k, v in manifest.items() if k != reader}
    return _sha(json.dumps(others, sort_keys=True).encode())


def changes(path: Path, manifest: dict | None = None) -> list[str]:
    """What changed since ``path``'s outputs were stored (empty list: fresh)."""
    manifest = read_manifest() if manifest is None else manifest
    entry = manifest.get(paths.rel(path))
    if not entry:
        return ["never executed"]
    out = []
    if entry.get("cells") != cells_hash(_read_nb(path)):
        out.append("its cells")
    if entry.get("shared") != shared_hash():
        out.append("the project settings (pyproject.toml)")
    reader = paths.rel(path)
    out += [rel for rel, digest in sorted(entry.get("inputs", {}).items()) if _input_hash(rel, reader, manifest) != digest]
    return out


def stale(paths_: list[Path]) -> dict[Path, list[str]]:
    """Notebooks whose stored outputs predate a change to their inputs, with what changed."""
    manifest = read_manifest()
    return {p: c for p in paths_ if (c := changes(p, manifest))}


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
    Sphinx numbers it and {numref}`fig-...` refers to it. An author's own caption or name is kept.
    """
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


def execute_one(path_str: str) -> tuple[str, float, list[str]]:
    """Run one notebook in a fresh kernel, store its outputs; return (path, seconds, files it read)."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = Path(path_str)
    nb = _read_nb(path)
    # A last cell, removed again, records which of the repository's modules the kernel imported.
    nb.cells.append(nbformat.v4.new_code_cell("import bookkit.loader\nbookkit.loader.record_modules()"))
    with tempfile.TemporaryDirectory() as tmp:
        reads = Path(tmp) / "reads"
        reads.touch()
        start = time.perf_counter()
        # IPC sockets in a private folder: parallel kernels cannot collide on TCP ports.
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(tmp) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=TIMEOUT, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(env={**os.environ, READS_ENV: str(reads)})
        finally:  # a kernel manager passed in is not shut down by nbclient itself
            if km.has_kernel:
                km.shutdown_kernel(now=True)
        seconds = time.perf_counter() - start
        read = sorted(set(reads.read_text(encoding="utf-8").split()))
    nb.cells.pop()
    _clean(nb)
    assign_figures(nb, path.stem)
    nbformat.write(nb, path)
    return path_str, seconds, read


def execute(paths_: list[Path], jobs: int | None = None) -> dict[str, float]:
    """Execute notebooks (in parallel, one kernel each), store outputs, record their inputs."""
    if not paths_:
        return {}
    jobs = jobs or min(len(paths_), os.cpu_count() or 1)
    timings = {}
    # Pages that report on other notebooks (metadata bookkit.run_last) run after those notebooks.
    last = [p for p in paths_ if _read_nb(p).metadata.get("bookkit", {}).get("run_last")]
    for batch in ([p for p in paths_ if p not in last], last):
        if not batch:
            continue
        recorded = {}
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(batch)))) as pool:
            for path_str, seconds, read in pool.map(execute_one, [str(p) for p in batch]):
                rel = paths.rel(Path(path_str))
                timings[rel] = round(seconds, 2)
                recorded[rel] = read
                print(f"executed {rel} in {seconds:.1f} s", flush=True)
        _record(recorded)
    return timings


def _record(recorded: dict[str, list[str]]) -> None:
    """Store the inputs of freshly executed notebooks in the manifest."""
    manifest = read_manifest()
    stored = dict(manifest)  # as on disk: what a report on the manifest read
    shared = shared_hash()
    for rel, read in recorded.items():
        manifest[rel] = {"cells": cells_hash(_read_nb(paths.ROOT / rel)), "shared": shared,
                         "inputs": {r: _input_hash(r, rel, stored) for r in read if r != rel}}
    known = {paths.rel(p) for p in notebooks()}
    manifest = {k: v for k, v in sorted(manifest.items()) if k in known}
    paths.MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path)
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--stale", action="store_true", help="execute only notebooks whose inputs changed")
    group.add_argument("--check", action="store_true", help="fail if any notebook's stored outputs are stale")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args(argv)
    chosen = [p.resolve() for p in args.notebooks] or notebooks()
    if args.check or args.stale:
        todo = stale(chosen)
        for p, changed in todo.items():
            print(f"{paths.rel(p)}: stored outputs predate changes to {', '.join(changed)}", flush=True)
        if args.check:
            if todo:
                print("run `make execute` (or `make book`) to refresh them", file=sys.stderr)
            return 1 if todo else 0
        chosen = list(todo)
        if chosen:  # pages that report on other notebooks follow them
            chosen += [p for p in notebooks() if p not in chosen and _read_nb(p).metadata.get("bookkit", {}).get("run_last")]
        else:
            print("all notebook outputs are up to date")
    execute(chosen, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
