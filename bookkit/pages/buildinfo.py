"""Facts about how the book was built: each notebook's status and inputs, and exact package versions.

Everything is read from the repository (the execution manifest, requirements.lock, the vendored
JavaScript checksums) and the installed environment, so the page reproduces when the inputs do.
"""
from __future__ import annotations

import re
from importlib import metadata

import pandas as pd

from .. import execute, paths
from ..loader import record


def notebook_status() -> pd.DataFrame:
    """One row per chapter notebook: title, tables it read, charts, errors, whether outputs are fresh."""
    import nbformat

    manifest = execute.read_manifest()
    record(paths.MANIFEST)
    rows = []
    for path in execute.notebooks():
        record(path)
        nb = nbformat.read(path, as_version=4)
        if nb.metadata.get("bookkit", {}).get("run_last"):
            continue  # this page itself
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        first_md = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
        title = re.sub(r"^#\s*", "", first_md.splitlines()[0]) if first_md else path.stem
        inputs = manifest.get(paths.rel(path), {}).get("inputs", {})
        tables = sorted(p.split("/")[-1].removesuffix(".csv") for p in inputs if p.endswith(".csv"))
        changed = execute.changes(path, manifest)
        rows.append({
            "Notebook": path.name, "Title": title, "Tables read": ", ".join(tables) or "none",
            "Code cells": sum(c.cell_type == "code" for c in nb.cells),
            "Charts": sum(execute.VEGALITE_MIME in o.get("data", {}) for o in outputs),
            "Errors": sum(o.get("output_type") == "error" for o in outputs),
            "Stored outputs": "match their inputs" if not changed else "stale: " + ", ".join(changed),
        })
    return pd.DataFrame(rows)


def locked_packages() -> pd.DataFrame:
    """Every package pinned in requirements.lock, with the version installed in this environment."""
    lock = paths.ROOT / "requirements.lock"
    record(lock)
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^ \\\n]+)", lock.read_text(), re.M)
    rows = []
    for name, version in sorted(pins, key=lambda p: p[0].lower()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        rows.append({"Package": name, "Pinned": version, "Installed": installed,
                     "Match": "yes" if installed == version else "NO"})
    return pd.DataFrame(rows)


def javascript_libraries() -> pd.DataFrame:
    """The Vega libraries shipped with the book, with their SHA-256."""
    sums = paths.STATIC / "vendor" / "SHA256SUMS"
    record(sums)
    rows = []
    for line in sums.read_text().splitlines():
        digest, name = line.split()
        lib, version = re.fullmatch(r"\./(.+)-(\d+\.\d+\.\d+)\.min\.js", name).groups()
        rows.append({"Library": lib, "Version": version, "SHA-256": digest})
    return pd.DataFrame(rows)
