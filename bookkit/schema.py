"""Table schemas (``data/schemas/<table>.yaml``) and the validation that every load goes through.

A schema is a small YAML file in the spirit of the Frictionless Table Schema: a title, a description,
where the table lives, its licence, its primary key and one entry per column (type, unit, description,
constraints).  Validation reads the CSV as *text* and checks every cell against those rules before
anything is converted, so nothing is coerced or dropped silently.  Every problem is reported with the
file, the data row (and physical line), the column and the rule broken.

The checks themselves run through pandera, which collects every failure instead of stopping at the first.
"""
from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pycountry
import yaml

from . import article

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "data" / "schemas"
BIB_DIR = ROOT / "book" / "references"

TYPES = {"string", "integer", "number", "boolean", "year", "date", "iso3", "iso3_list",
         "actor_list", "sources", "locator"}
NUMERIC = {"integer", "number", "year"}
# Organisations that may appear beside states in an `actor_list` column.
ORGANISATIONS = {"CSTO", "CST", "CIS", "NATO", "SCO", "UN", "EU", "OSCE", "GUAM", "EAEU", "UNODC", "ISAF"}
PRECISIONS = {"year": r"\d{4}", "month": r"\d{4}-\d{2}", "day": r"\d{4}-\d{2}-\d{2}"}

_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_LOCATOR = re.compile(r"§[A-Za-z-]+ ¶\d+")


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes, plus withdrawn codes still needed for history (SUN = USSR)."""
    current = {c.alpha_3 for c in pycountry.countries}
    historic = {c.alpha_3 for c in pycountry.historic_countries if c.alpha_3 in {"SUN"}}
    return frozenset(current | historic)


@lru_cache(maxsize=1)
def bib_keys() -> frozenset[str]:
    keys: set[str] = set()
    for bib in sorted(BIB_DIR.glob("*.bib")):
        keys.update(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8")))
    return frozenset(keys)


class DatasetError(ValueError):
    """A dataset broke its schema. ``problems`` lists every (file, row, line, column, value, rule)."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(f"{len(problems)} problem(s) in {problems[0].file}:\n{shown}{more}")


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (the header is row 0); None for the file as a whole
    line: int | None  # physical line in the file
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = "header" if self.row == 0 else (f"row {self.row} (line {self.line})" if self.row else "whole file")
        col = f", column '{self.column}'" if self.column else ", column: (all)"
        val = f": value {self.value!r}" if self.value is not None else ""
        return f"{self.file}, {where}{col}{val} breaks rule '{self.rule}'"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = True
    enum: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    unique: bool = False
    precision_field: str | None = None


@dataclass(frozen=True)
class Schema:
    name: str
    title: str
    description: str
    kind: str
    path: Path
    licence: str
    primary_key: tuple[str, ...]
    fields: tuple[Field, ...]
    derived_from: tuple[str, ...] = ()
    derived_by: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def relpath(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


def _schema_error(path: Path, msg: str) -> ValueError:
    return ValueError(f"{path.relative_to(ROOT)}: {msg}")


def read_schema(path: Path) -> Schema:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("name", "title", "description", "kind", "path", "licence", "primary_key", "fields"):
        if key not in spec:
            raise _schema_error(path, f"schema lacks '{key}'")
    if spec["name"] != path.name.removesuffix(".yaml"):
        raise _schema_error(path, f"name '{spec['name']}' differs from the file name")
    if spec["kind"] not in {"curated", "derived"}:
        raise _schema_error(path, "kind must be 'curated' or 'derived'")
    fields = []
    for f in spec["fields"]:
        if f.get("type") not in TYPES:
            raise _schema_error(path, f"field {f.get('name')!r}: type must be one of {sorted(TYPES)}")
        if f["type"] in {"integer", "number"} and not f.get("unit"):
            raise _schema_error(path, f"field {f['name']!r}: numeric fields need a unit")
        if not f.get("description"):
            raise _schema_error(path, f"field {f['name']!r}: description missing")
        fields.append(Field(
            name=f["name"], type=f["type"], description=str(f["description"]).strip(), unit=f.get("unit"),
            required=f.get("required", True), enum=tuple(f["enum"]) if "enum" in f else None,
            minimum=f.get("minimum"), maximum=f.get("maximum"), pattern=f.get("pattern"),
            unique=f.get("unique", False), precision_field=f.get("precision_field")))
    names = [f.name for f in fields]
    for key in spec["primary_key"]:
        if key not in names:
            raise _schema_error(path, f"primary key column {key!r} is not a field")
    known = {"name", "title", "description", "kind", "path", "licence", "primary_key", "fields",
             "derived_from", "derived_by"}
    return Schema(
        name=spec["name"], title=spec["title"], description=str(spec["description"]).strip(),
        kind=spec["kind"], path=ROOT / spec["path"], licence=spec["licence"],
        primary_key=tuple(spec["primary_key"]), fields=tuple(fields),
        derived_from=tuple(spec.get("derived_from", ())), derived_by=spec.get("derived_by"),
        extra={k: v for k, v in spec.items() if k not in known})


def all_schemas() -> dict[str, Schema]:
    return {p.name.removesuffix(".yaml"): read_schema(p) for p in sorted(SCHEMA_DIR.glob("*.yaml"))}


def get_schema(name: str) -> Schema:
    path = SCHEMA_DIR / f"{name}.yaml"
    if not path.exists():
        raise KeyError(f"no schema data/schemas/{name}.yaml (known: {', '.join(all_schemas())})")
    return read_schema(path)


# ---------------------------------------------------------------------------------------------
# Cell rules. Each returns (rule name, predicate on one non-empty text cell).

def _is_date(text: str) -> bool:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m:
        return False
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    return True


def _list_ok(text: str, allowed: frozenset[str] | set[str]) -> bool:
    items = text.split(";")
    return len(items) == len(set(items)) and all(i in allowed for i in items)


def _cell_rules(f: Field) -> list[tuple[str, callable]]:
    rules: list[tuple[str, callable]] = []
    t = f.type
    if t == "integer":
        rules.append(("integer: whole number, digits only, no separators", _INTEGER.fullmatch))
    elif t == "number":
        rules.append(("number: decimal with '.' and no thousands separators", _NUMBER.fullmatch))
    elif t == "year":
        rules.append(("year: four digits", lambda s: re.fullmatch(r"\d{4}", s)))
    elif t == "boolean":
        rules.append(("boolean: 'true' or 'false'", lambda s: s in {"true", "false"}))
    elif t == "date":
        rules.append(("date: ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD that exists in the calendar", _is_date))
    elif t == "iso3":
        rules.append(("iso3: ISO 3166-1 alpha-3 country code", lambda s: s in iso3_codes()))
    elif t == "iso3_list":
        rules.append(("iso3_list: ';'-separated ISO 3166-1 alpha-3 codes, no spaces or repeats",
                      lambda s: _list_ok(s, iso3_codes())))
    elif t == "actor_list":
        rules.append(("actor_list: ';'-separated ISO 3166-1 alpha-3 or organisation codes, no spaces or repeats",
                      lambda s: _list_ok(s, iso3_codes() | ORGANISATIONS)))
    elif t == "sources":
        rules.append(("sources: ';'-separated BibTeX keys found in book/references/*.bib",
                      lambda s: _list_ok(s, bib_keys())))
    elif t == "locator":
        counts = article.read_index()
        rules.append(("locator: '§Section ¶n' (joined by '; ') naming a real paragraph of the article",
                      lambda s: all(_LOCATOR.fullmatch(x) and article.resolves(x, counts) for x in s.split("; "))))
    if f.enum is not None:
        allowed = {str(v) for v in f.enum}
        rules.append((f"enum: one of {sorted(allowed)}", lambda s: s in allowed))
    if f.pattern:
        rules.append((f"pattern: matches /{f.pattern}/", lambda s, p=re.compile(f.pattern): p.fullmatch(s)))
    if t in NUMERIC:
        num = _NUMBER.fullmatch
        if f.minimum is not None:
            rules.append((f"minimum: >= {f.minimum}", lambda s, m=f.minimum: not num(s) or float(s) >= m))
        if f.maximum is not None:
            rules.append((f"maximum: <= {f.maximum}", lambda s, m=f.maximum: not num(s) or float(s) <= m))
    return rules


def _pandera_schema(schema: Schema, present: list[str]) -> pa.DataFrameSchema:
    columns = {}
    for f in schema.fields:
        if f.name not in present:
            continue
        checks = []
        if f.required:
            checks.append(pa.Check(lambda s: s != "", element_wise=True, name="required: cell must not be empty"))
        for name, rule in _cell_rules(f):
            checks.append(pa.Check(lambda s, rule=rule: s == "" or bool(rule(s)), element_wise=True, name=name))
        if f.unique:
            checks.append(pa.Check(lambda s: s.eq("") | ~s.duplicated(keep="first"), name="unique: no repeated value"))
        columns[f.name] = pa.Column(str, checks=checks, nullable=False)

    frame_checks = []
    if schema.primary_key and all(k in present for k in schema.primary_key):
        key = list(schema.primary_key)
        frame_checks.append(pa.Check(lambda df: ~df.duplicated(subset=key, keep="first"),
                                     name=f"primary_key: ({', '.join(key)}) identifies one row"))
    for f in schema.fields:
        if f.type == "date" and f.precision_field and {f.name, f.precision_field} <= set(present):
            def matches(df, d=f.name, p=f.precision_field):
                return pd.Series([not dv or pv not in PRECISIONS or bool(re.fullmatch(PRECISIONS[pv], dv))
                                  for dv, pv in zip(df[d], df[p])], index=df.index)
            frame_checks.append(pa.Check(matches, name=f"date_precision: '{f.name}' written to the precision "
                                                       f"in '{f.precision_field}'"))
    return pa.DataFrameSchema(columns, checks=frame_checks, strict=False, coerce=False)


# ---------------------------------------------------------------------------------------------

def _read_text_rows(path: Path, rel: str) -> tuple[list[str], list[list[str]], list[int]]:
    raw = path.read_bytes()
    if not raw.strip():
        raise DatasetError([Problem(rel, None, None, None, None, "non_empty: file must hold a header row")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        bad_line = raw.splitlines()[line - 1].decode("utf-8", errors="replace")
        header = next(csv.reader([raw.splitlines()[0].decode("utf-8", errors="replace")]))
        cells = next(csv.reader([bad_line]), [])
        col = next((header[i] for i, c in enumerate(cells) if "\ufffd" in c and i < len(header)), None)
        raise DatasetError([Problem(rel, line - 1, line, col, None,
                                    f"encoding: file must be UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        rows, lines, problems = [], [], []
        for row in reader:
            if len(row) != len(header):
                problems.append(Problem(rel, len(rows) + len(problems) + 1, reader.line_num, None, None,
                                        f"shape: row has {len(row)} field(s), header has {len(header)}"))
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as err:
        raise DatasetError([Problem(rel, None, reader.line_num, None, None, f"csv: {err}")])
    if problems:
        raise DatasetError(problems)
    return header, rows, lines


def validate_file(path: Path, schema: Schema) -> pd.DataFrame:
    """Check ``path`` against ``schema``; return the table as text, or raise DatasetError."""
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    header, rows, lines = _read_text_rows(path, rel)
    problems = []
    for col in schema.columns:
        if col not in header:
            problems.append(Problem(rel, 0, 1, col, None, "columns: required column missing from header"))
    for col in header:
        if col not in schema.columns:
            problems.append(Problem(rel, 0, 1, col, None, "columns: column not declared in the schema"))
    if len(set(header)) != len(header):
        problems.append(Problem(rel, 0, 1, None, None, "columns: header repeats a column name"))
    if problems:
        raise DatasetError(problems)
    if not rows:
        raise DatasetError([Problem(rel, None, None, None, None, "non_empty: table must hold at least one data row")])
    frame = pd.DataFrame(rows, columns=header, dtype=str)[schema.columns]
    try:
        _pandera_schema(schema, header).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        for rec in fc.itertuples(index=False):
            idx = None if pd.isna(rec.index) else int(rec.index)
            col = None if pd.isna(rec.column) or rec.column == schema.name else str(rec.column)
            value = None if col is None else str(rec.failure_case)
            if idx is None:
                continue
            problems.append(Problem(rel, idx + 1, lines[idx], col, value, str(rec.check)))
        problems.sort(key=lambda p: (p.row or 0, p.column or "", p.rule))
        raise DatasetError(problems or [Problem(rel, None, None, None, None, str(err).splitlines()[0])])
    return frame


def to_typed(frame: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Convert validated text to typed columns. Empty optional cells become <NA> (unknown)."""
    out = {}
    for f in schema.fields:
        s = frame[f.name].mask(frame[f.name] == "")
        if f.type in {"integer", "year"}:
            out[f.name] = s.astype("Int64")
        elif f.type == "number":
            out[f.name] = s.astype("Float64")
        elif f.type == "boolean":
            out[f.name] = s.map({"true": True, "false": False}).astype("boolean")
        else:
            out[f.name] = s.astype("string")
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
