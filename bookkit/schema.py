"""Table schemas: one YAML file per table in ``data/schemas/``, read strictly.

A schema follows the Frictionless Table Schema in spirit (and the data package is generated from it):
a title, a description, where the table lives, its licence, its primary key, optional foreign keys, and
one entry per column with its type, unit, description and constraints. Coded columns carry their
categories (value, label, colour, in display order), inline or from a shared code list in
``data/schemas/_codelists.yaml``, so that a status or a verdict looks the same in every chart and table.

Unknown keys are errors: a misspelt ``requried: false`` must not silently do nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from . import paths

SCHEMA_KEYS = {"name", "title", "description", "kind", "path", "licence", "primary_key", "foreign_keys",
               "fields", "derived_from", "derived_by"}
REQUIRED_SCHEMA_KEYS = {"name", "title", "description", "kind", "path", "licence", "primary_key", "fields"}
FIELD_KEYS = {"name", "type", "title", "description", "unit", "required", "unique", "minimum", "maximum",
              "pattern", "precision_field", "enum", "categories", "codelist", "also_allowed"}
CATEGORY_KEYS = {"value", "label", "colour"}
NUMERIC = {"integer", "number", "year"}


class SchemaError(ValueError):
    """A schema file is malformed (not a data problem: the rules themselves are wrong)."""


@dataclass(frozen=True)
class Category:
    value: str
    label: str
    colour: str | None = None


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    unit: str | None = None
    required: bool = True
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    precision_field: str | None = None
    categories: tuple[Category, ...] | None = None
    also_allowed: str | None = None  # a code list whose values a list column accepts beside ISO3 codes

    @property
    def enum(self) -> tuple[str, ...] | None:
        return None if self.categories is None else tuple(c.value for c in self.categories)

    def label(self, value) -> str:
        """The words for a coded value ('partly_supported' -> 'partly supported')."""
        for c in self.categories or ():
            if c.value == value:
                return c.label
        return str(value)


@dataclass(frozen=True)
class Schema:
    name: str
    title: str
    description: str
    kind: str
    path: Path
    licence: dict  # {title, and name (an SPDX-style id) and/or path (where the terms are)}
    primary_key: tuple[str, ...]
    fields: tuple[Field, ...]
    foreign_keys: tuple[dict, ...] = ()
    derived_from: tuple[str, ...] = ()
    derived_by: str | None = None
    file: Path | None = None

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def relpath(self) -> str:
        return paths.rel(self.path)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r} (columns: {', '.join(self.columns)})")


def _error(path: Path, msg: str) -> SchemaError:
    return SchemaError(f"{paths.rel(path)}: {msg}")


def _default_label(value: str) -> str:
    return str(value).replace("_", " ")


def _categories(raw, where: str, path: Path) -> tuple[Category, ...]:
    out = []
    for item in raw:
        if not isinstance(item, dict):
            item = {"value": item}
        unknown = set(item) - CATEGORY_KEYS
        if unknown or "value" not in item:
            raise _error(path, f"{where}: a category needs 'value' and may have only {sorted(CATEGORY_KEYS)}"
                               f" (found {sorted(item)})")
        if isinstance(item["value"], bool):  # YAML reads unquoted yes/no/on/off as booleans
            raise _error(path, f"{where}: category value {item['value']!r} must be quoted")
        value = str(item["value"])
        out.append(Category(value, str(item.get("label", _default_label(value))), item.get("colour")))
    values = [c.value for c in out]
    if len(values) != len(set(values)):
        raise _error(path, f"{where}: repeated category value")
    return tuple(out)


@lru_cache(maxsize=1)
def codelists() -> dict[str, tuple[Category, ...]]:
    """Shared code lists (``data/schemas/_codelists.yaml``): name -> categories in display order."""
    if not paths.CODELISTS.exists():
        return {}
    raw = _yaml(paths.CODELISTS.read_text(encoding="utf-8")) or {}
    return {name: _categories(items, f"code list {name!r}", paths.CODELISTS) for name, items in raw.items()}


def codelist(name: str) -> tuple[Category, ...]:
    try:
        return codelists()[name]
    except KeyError:
        raise KeyError(f"no code list {name!r} in {paths.rel(paths.CODELISTS)}") from None


def _field(spec: dict, path: Path, known_types: set[str]) -> Field:
    where = f"field {spec.get('name')!r}"
    unknown = set(spec) - FIELD_KEYS
    if unknown:
        raise _error(path, f"{where}: unknown key(s) {sorted(unknown)} (allowed: {sorted(FIELD_KEYS)})")
    for key in ("name", "type", "description"):
        if not spec.get(key):
            raise _error(path, f"{where}: '{key}' missing")
    if spec["type"] not in known_types:
        raise _error(path, f"{where}: type must be one of {sorted(known_types)}")
    if spec["type"] in {"integer", "number"} and not spec.get("unit"):
        raise _error(path, f"{where}: numeric fields need a unit")
    coded = [k for k in ("enum", "categories", "codelist") if k in spec]
    if len(coded) > 1:
        raise _error(path, f"{where}: give one of enum, categories, codelist (found {coded})")
    categories = None
    if "enum" in spec:
        categories = _categories(spec["enum"], where, path)
    elif "categories" in spec:
        categories = _categories(spec["categories"], where, path)
    elif "codelist" in spec:
        categories = codelist(spec["codelist"])
    if spec.get("also_allowed"):
        codelist(spec["also_allowed"])  # must exist
    return Field(
        name=spec["name"], type=spec["type"], title=str(spec.get("title") or _default_label(spec["name"]).capitalize()),
        description=" ".join(str(spec["description"]).split()), unit=spec.get("unit"),
        required=bool(spec.get("required", True)), unique=bool(spec.get("unique", False)),
        minimum=spec.get("minimum"), maximum=spec.get("maximum"), pattern=spec.get("pattern"),
        precision_field=spec.get("precision_field"), categories=categories, also_allowed=spec.get("also_allowed"))


def _yaml(text: str):
    """YAML parsed with libyaml when PyYAML has it (ten times faster than the pure-Python parser)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_schema(path: Path) -> Schema:
    """The schema in ``path``, parsed again only when the file changes (loading a table reads them all)."""
    stat = path.stat()
    return _read_schema(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_schema(path: Path, _mtime_ns: int, _size: int) -> Schema:
    from .types import known_types  # the cell types, including the book's own (registered by its plugin)

    spec = _yaml(path.read_text(encoding="utf-8"))
    if not isinstance(spec, dict):
        raise _error(path, "a schema is a YAML mapping")
    unknown = set(spec) - SCHEMA_KEYS
    if unknown:
        raise _error(path, f"unknown key(s) {sorted(unknown)} (allowed: {sorted(SCHEMA_KEYS)})")
    missing = REQUIRED_SCHEMA_KEYS - set(spec)
    if missing:
        raise _error(path, f"schema lacks {sorted(missing)}")
    if spec["name"] != path.name.removesuffix(".yaml"):
        raise _error(path, f"name {spec['name']!r} differs from the file name")
    licence = spec["licence"]
    if not isinstance(licence, dict) or not licence.get("title") or not (licence.get("name") or licence.get("path")) \
            or set(licence) - {"name", "path", "title"}:
        raise _error(path, "licence is {title: ..., name: <id> and/or path: <url of the terms>}")
    if spec["kind"] not in {"curated", "derived"}:
        raise _error(path, "kind must be 'curated' or 'derived'")
    if spec["kind"] == "derived" and not (spec.get("derived_by") and spec.get("derived_from")):
        raise _error(path, "a derived table declares derived_by (module) and derived_from (its inputs)")
    types = known_types()
    fields = tuple(_field(f, path, types) for f in spec["fields"])
    names = [f.name for f in fields]
    if len(names) != len(set(names)):
        raise _error(path, "a column name is repeated")
    for key in spec["primary_key"]:
        if key not in names:
            raise _error(path, f"primary key column {key!r} is not a field")
    for f in fields:
        if f.precision_field and f.precision_field not in names:
            raise _error(path, f"field {f.name!r}: precision_field {f.precision_field!r} is not a field")
    foreign = []
    for fk in spec.get("foreign_keys", []):
        if set(fk) != {"fields", "reference"} or set(fk["reference"]) != {"resource", "fields"}:
            raise _error(path, "a foreign key is {fields: col, reference: {resource: table, fields: col}}")
        if fk["fields"] not in names:
            raise _error(path, f"foreign key column {fk['fields']!r} is not a field")
        foreign.append(fk)
    return Schema(
        name=spec["name"], title=str(spec["title"]), description=" ".join(str(spec["description"]).split()),
        kind=spec["kind"], path=paths.ROOT / spec["path"], licence=dict(licence),
        primary_key=tuple(spec["primary_key"]), fields=fields, foreign_keys=tuple(foreign),
        derived_from=tuple(spec.get("derived_from", ())), derived_by=spec.get("derived_by"), file=path)


def schema_files() -> list[Path]:
    return sorted(p for p in paths.SCHEMAS.glob("*.yaml") if not p.name.startswith("_"))


def all_schemas(record: bool = True) -> dict[str, Schema]:
    """Every table's schema. Code that reads them all (a data dictionary) depends on the whole folder:
    the folder is recorded as an input, so a new table makes it stale. The engine's own bookkeeping
    (which derived table to rebuild) passes ``record=False``: what it reads is recorded table by table."""
    if record:
        from .loader import record as record_input

        record_input(paths.SCHEMAS)
    return {p.name.removesuffix(".yaml"): read_schema(p) for p in schema_files()}


def get_schema(name: str) -> Schema:
    path = paths.SCHEMAS / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(p.stem for p in schema_files())
        raise KeyError(f"no schema data/schemas/{name}.yaml (known: {known})")
    return read_schema(path)
