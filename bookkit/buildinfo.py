"""Facts about how the book was built: notebook status and exact package versions.

Used by the build-information page; everything here is read from the repository and the installed
environment, so the page reproduces whenever the inputs are the same.
"""
from __future__ import annotations

import re
from importlib import metadata

import nbformat
import pandas as pd

from . import execute
from .charts import VEGALITE_MIME
from .schema import ROOT


def notebook_status() -> pd.DataFrame:
    """One row per chapter notebook: title, tables it loads, code cells, charts, errors, output status."""
    stale = execute.stale(execute.notebooks())
    rows = []
    for path in execute.notebooks():
        nb = nbformat.read(path, as_version=4)
        if nb.metadata.get("bookkit", {}).get("run_last"):
            continue  # this page itself
        code = [c for c in nb.cells if c.cell_type == "code"]
        outputs = [o for c in code for o in c.get("outputs", [])]
        first_md = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
        title = re.sub(r"^#\s*", "", first_md.splitlines()[0]) if first_md else path.stem
        source = "\n".join(c.source for c in code)
        rows.append({
            "notebook": path.name,
            "title": title,
            "tables loaded": ", ".join(sorted(set(execute._LOAD.findall(source)))) or "(all, via the data dictionary)",
            "code cells": len(code),
            "charts": sum(VEGALITE_MIME in o.get("data", {}) for o in outputs),
            "errors": sum(o.get("output_type") == "error" for o in outputs),
            "stored outputs": "stale: inputs changed" if path in stale else "match their inputs",
        })
    return pd.DataFrame(rows)


def locked_packages() -> pd.DataFrame:
    """Every package pinned in requirements.lock, with the version installed in this environment."""
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^ \\\n]+)", (ROOT / "requirements.lock").read_text(), re.M)
    rows = []
    for name, version in sorted(pins, key=lambda p: p[0].lower()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        rows.append({"package": name, "pinned": version, "installed": installed,
                     "match": "yes" if installed == version else "NO"})
    return pd.DataFrame(rows)


def javascript_libraries() -> pd.DataFrame:
    """The Vega libraries shipped with the book, with their SHA-256."""
    rows = []
    for line in (ROOT / "book" / "_static" / "vendor" / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        lib, version = re.fullmatch(r"\./(.+)-(\d+\.\d+\.\d+)\.min\.js", name).groups()
        rows.append({"library": lib, "version": version, "sha256": digest})
    return pd.DataFrame(rows)
