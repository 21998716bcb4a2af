"""The data dictionary, generated from the schemas (the data package is generated from the same ones).

``describe(schema)`` returns a Markdown section for one table: what it holds, how it is made, its
licence, key, row count, a download link, the sources its rows cite, and one line per column.
"""
from __future__ import annotations

import pandas as pd

from .. import bib
from ..loader import load
from ..schema import Field, Schema, all_schemas


def _allowed(f: Field) -> str:
    parts = []
    if f.categories:
        parts.append("; ".join(f"`{c.value}` = {c.label}" if c.label != c.value else f"`{c.value}`"
                               for c in f.categories))
    if f.also_allowed:
        parts.append(f"ISO3 codes or codes of the list `{f.also_allowed}`")
    if f.minimum is not None:
        parts.append(f"≥ {f.minimum}")
    if f.maximum is not None:
        parts.append(f"≤ {f.maximum}")
    if f.pattern:
        parts.append(f"pattern `{f.pattern}`")
    if f.precision_field:
        parts.append(f"written to the precision in `{f.precision_field}`")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def cited_keys(schema: Schema, frame: pd.DataFrame) -> list[str]:
    keys = set()
    for f in schema.fields:
        if f.type == "sources":
            keys |= {k for v in frame[f.name].dropna() for k in str(v).split(";")}
    return sorted(keys)


def summary() -> pd.DataFrame:
    """One row per table: name, kind, rows, columns, licence."""
    rows = []
    for name, s in all_schemas().items():
        rows.append({"table": name, "title": s.title, "kind": s.kind, "rows": len(load(name)),
                     "columns": len(s.fields), "licence": s.licence["title"]})
    return pd.DataFrame(rows)


def describe(schema: Schema, depth: int = 2) -> str:
    df = load(schema.name)
    keys = cited_keys(schema, df)
    types = pd.Series([bib.entries()[k].get("sourcetype", "unknown") for k in keys]).value_counts()
    h = "#" * depth
    made = (f"derived by `{schema.derived_by}` from " + ", ".join(f"`{p}`" for p in schema.derived_from)
            if schema.kind == "derived" else "compiled by hand, a source on every row")
    lines = [f"{h} {schema.title}", "", f"Table `{schema.name}`. {schema.description}", "",
             f"- **Made:** {made}",
             f"- **Rows:** {len(df)}; **primary key:** " + ", ".join(f"`{k}`" for k in schema.primary_key)]
    for fk in schema.foreign_keys:
        lines.append(f"- **Refers to:** `{fk['fields']}` → table `{fk['reference']['resource']}`, "
                     f"column `{fk['reference']['fields']}`")
    lines += [f"- **Licence:** {schema.licence['title']}",
              f"- **Download:** {{download}}`{schema.path.name} <../{schema.relpath}>`"]
    if keys:
        lines.append(f"- **Sources cited in the rows:** {len(keys)} ("
                     + ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in types.items()) + ")")
    lines += ["", "| column | type | unit | required | allowed values | meaning |", "|---|---|---|---|---|---|"]
    for f in schema.fields:
        lines.append(f"| {f.title} (`{f.name}`) | {f.type} | {f.unit or ''} "
                     f"| {'yes' if f.required else 'no (empty = unknown)'} | {_cell(_allowed(f))} | {_cell(f.description)} |")
    return "\n".join(lines) + "\n"
