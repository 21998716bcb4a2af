"""``datapackage.json``: the book's tables as a Frictionless Data Package (v2), generated from the schemas.

One resource per table, with its Table Schema (types, constraints, categories with their labels,
primary and foreign keys), its licence, where it comes from (the sources its rows cite, or the raw
folders it is derived from) and how it is made. The same schemas produce the data dictionary page,
so the two cannot disagree. ``python -m bookkit datapackage`` writes it; ``make test`` validates it
with the frictionless library.
"""
from __future__ import annotations

import json

from .. import bib, paths
from ..dist import edition_name
from ..loader import load
from ..schema import Field, Schema, all_schemas
from .dictionary import cited_keys

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_SCHEMA = "https://datapackage.org/profiles/2.0/tableschema.json"
# Our cell types -> Table Schema types (partial dates and coded lists stay strings with a pattern).
TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "year": "year",
         "date": "string", "iso3": "string", "iso3_list": "string", "sources": "string", "locator": "string"}
PATTERNS = {"date": r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", "iso3": "[A-Z]{3}",
            "iso3_list": "[A-Z]{2,5}(;[A-Z]{2,5})*", "locator": "§[A-Za-z-]+ ¶[0-9]+(; §[A-Za-z-]+ ¶[0-9]+)*"}
FORMATS = {"date": "ISO 8601 date written to the precision of its precision column (YYYY, YYYY-MM or YYYY-MM-DD)",
           "iso3": "ISO 3166-1 alpha-3 country code", "iso3_list": "';'-separated ISO 3166-1 alpha-3 codes",
           "sources": "';'-separated BibTeX keys of book/references/*.bib", "locator": "paragraph of the source article"}


def _field(f: Field) -> dict:
    out: dict = {"name": f.name, "title": f.title, "type": TYPES[f.type], "description": f.description}
    if f.type in FORMATS:
        out["description"] += f" ({FORMATS[f.type]})"
    if f.unit:
        out["unit"] = f.unit  # a custom property: Table Schema v2 has no unit
    if f.type == "boolean":
        out.update(trueValues=["true"], falseValues=["false"])
    constraints: dict = {"required": f.required}
    if f.unique:
        constraints["unique"] = True
    if f.categories:
        constraints["enum"] = list(f.enum)
        out["categories"] = [{"value": c.value, "label": c.label} for c in f.categories]
    if f.minimum is not None:
        constraints["minimum"] = f.minimum
    if f.maximum is not None:
        constraints["maximum"] = f.maximum
    pattern = f.pattern or PATTERNS.get(f.type)
    if pattern and not f.categories:
        constraints["pattern"] = pattern
    out["constraints"] = constraints
    return out


def _sources(schema: Schema) -> list[dict]:
    if schema.kind == "derived":
        return [{"title": f"{p} (see its PROVENANCE.md)" if (paths.ROOT / p).is_dir() else p, "path": p}
                for p in schema.derived_from]
    entries = bib.entries()
    out = []
    for key in cited_keys(schema, load(schema.name)):
        e = entries[key]
        source = {"title": f"{e.get('author', '').strip('{}')}: {e.get('title', key)}".strip(": ")}
        if e.get("url"):
            source["path"] = e["url"]
        out.append(source)
    return out


def resource(schema: Schema) -> dict:
    table_schema = {"$schema": TABLE_SCHEMA, "fields": [_field(f) for f in schema.fields],
                    "primaryKey": list(schema.primary_key), "missingValues": [""]}
    if schema.foreign_keys:
        table_schema["foreignKeys"] = [{"fields": [fk["fields"]],
                                        "reference": {"resource": fk["reference"]["resource"],
                                                      "fields": [fk["reference"]["fields"]]}}
                                       for fk in schema.foreign_keys if not schema.field(fk["fields"]).type.endswith("_list")]
    made = (f"Derived by {schema.derived_by} from {', '.join(schema.derived_from)}" if schema.kind == "derived"
            else "Compiled by hand for this book; every row names its sources")
    return {"name": schema.name, "title": schema.title, "description": schema.description, "path": schema.relpath,
            "type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "licenses": [schema.licence], "sources": _sources(schema), "derivation": made,
            "schema": table_schema}


def descriptor() -> dict:
    import yaml

    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    return {
        "$schema": PROFILE,
        "name": edition_name(),  # the same name as the PDF and the archives
        "title": f"Data of the book: {config['title']}",
        "description": ("Every table the book uses, compiled by hand (data/curated) or derived by code from raw "
                        "extracts (data/tidy), with their schemas. Raw data keep their publishers' terms; see each "
                        "resource's licence and the PROVENANCE.md files under data/raw."),
        "homepage": config.get("repository", {}).get("url", ""),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (compilations and "
                      "wording of this book)", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [resource(s) for s in all_schemas().values()],
    }


def write(path=None) -> str:
    path = path or paths.DATAPACKAGE
    path.write_text(json.dumps(descriptor(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return paths.rel(path)
