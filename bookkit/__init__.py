"""bookkit: the engine of an executable book, with nothing in it about any one book's subject.

- ``load(name)``: a validated, typed table (schema in data/schemas/<name>.yaml); what it reads is recorded.
- ``put(name, value)``: a number or words for the prose (myst-nb glue), formatted one way everywhere.
- ``bookkit.charts``: the chart theme, ``finish`` and the renderer (site, JupyterLab, static image).
- ``bookkit.labels``: labels, colours and order of coded columns, from the schemas.
- ``bookkit.tables.show``: a table with full text and column titles from the schema.
Imports are lazy, so ``import bookkit`` costs almost nothing; Altair loads with ``bookkit.charts``.
"""
from __future__ import annotations

import importlib
import sys

# jsonschema (which Altair imports) loads rfc3987_syntax when it is installed, and that module builds a
# grammar at import time: about 1.2 s in every kernel. Altair validates specs without format checks, so
# the module is never used here; marking it absent before jsonschema loads saves that second. Notebooks
# therefore import Altair through bookkit (``from bookkit.charts import alt``), never before it.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

_EXPORTS = {
    "load": "bookkit.loader", "record": "bookkit.loader", "put": "bookkit.glue", "date_start": "bookkit.dates",
    "long_date": "bookkit.dates", "DatasetError": "bookkit.validate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'bookkit' has no attribute {name!r}")
