"""The data dictionary, generated from the schemas (never written twice).

``describe(schema)`` returns a Markdown section for one table: what it holds, where it comes from,
its licence, key, row count, a download link and one line per column.
"""
from __future__ import annotations

import pandas as pd

from .data import load
from .schema import Schema, all_schemas


def _allowed(f) -> str:
    parts = []
    if f.enum:
        parts.append(", ".join(f"`{v}`" for v in f.enum))
    if f.minimum is not None:
        parts.append(f"≥ {f.minimum}")
    if f.maximum is not None:
        parts.append(f"≤ {f.maximum}")
    if f.pattern:
        parts.append(f"pattern `{f.pattern}`")
    if f.precision_field:
        parts.append(f"precision in `{f.precision_field}`")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary() -> pd.DataFrame:
    """One row per table: name, kind, rows, columns, licence."""
    rows = []
    for name, s in all_schemas().items():
        df = load(name)
        rows.append({"table": name, "kind": s.kind, "rows": len(df), "columns": len(s.fields),
                     "title": s.title, "licence": s.licence})
    return pd.DataFrame(rows)


def describe(schema: Schema, depth: int = 2) -> str:
    df = load(schema.name)
    sources = sorted({k for v in df.get("source", pd.Series(dtype="string")).dropna() for k in str(v).split(";")})
    h = "#" * depth
    lines = [f"{h} `{schema.name}`: {schema.title}", "", schema.description, "",
             f"- **Kind:** {schema.kind}" + (f", derived by `{schema.derived_by}` from "
                                             + ", ".join(f"`{p}`" for p in schema.derived_from)
                                             if schema.kind == "derived" else ", compiled by hand, a source on every row"),
             f"- **Rows:** {len(df)}; **primary key:** " + ", ".join(f"`{k}`" for k in schema.primary_key),
             f"- **Licence:** {schema.licence}",
             f"- **Download:** {{download}}`{schema.path.name} <../{schema.relpath}>`",
             "- **Sources cited in the rows:** " + (", ".join(f"{{cite:t}}`{k}`" for k in sources) or "see the table"),
             "", "| column | type | unit | required | allowed values | meaning |", "|---|---|---|---|---|---|"]
    for f in schema.fields:
        lines.append(f"| `{f.name}` | {f.type} | {f.unit or ''} | {'yes' if f.required else 'no (empty = unknown)'} "
                     f"| {_cell(_allowed(f))} | {_cell(f.description)} |")
    return "\n".join(lines) + "\n"
