"""Loading tables for the notebooks, and building the derived ones (`make data`).

Notebooks never read a CSV directly: ``load(name)`` finds the table's schema, validates the file
against it and returns typed columns.  A broken table stops the notebook with a DatasetError that
names the file, row, column and rule.
"""
from __future__ import annotations

import importlib
import sys

import pandas as pd

from .schema import DatasetError, Schema, all_schemas, get_schema, to_typed, validate_file


def load(name: str) -> pd.DataFrame:
    """Validated, typed table ``name`` (see data/schemas/<name>.yaml)."""
    schema = get_schema(name)
    if not schema.path.exists():
        hint = " (run `make data`)" if schema.kind == "derived" else ""
        raise FileNotFoundError(f"{schema.relpath} not found{hint}")
    return to_typed(validate_file(schema.path, schema), schema)


def date_start(dates: pd.Series) -> pd.Series:
    """First day of each partial ISO date ('1993' -> 1993-01-01, '1993-09' -> 1993-09-01)."""
    completed = dates.map(lambda d: d if pd.isna(d) else (d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10])
    return pd.to_datetime(completed, format="%Y-%m-%d")


def write_table(frame: pd.DataFrame, schema: Schema) -> None:
    """Write a derived table deterministically: schema column order, sorted by primary key, LF endings."""
    missing = [c for c in schema.columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{schema.derived_by} did not produce column(s) {missing} for {schema.name}")
    frame = frame[schema.columns].sort_values(list(schema.primary_key), kind="stable")
    schema.path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(schema.path, index=False, lineterminator="\n")


def build_derived(names: list[str] | None = None) -> list[str]:
    """Run each derived table's builder and validate what it wrote."""
    built = []
    for name, schema in all_schemas().items():
        if schema.kind != "derived" or (names and name not in names):
            continue
        frame = importlib.import_module(schema.derived_by).build()
        write_table(frame, schema)
        validate_file(schema.path, schema)
        built.append(f"{schema.relpath} ({len(frame)} rows)")
    return built


def validate_all(names: list[str] | None = None) -> dict[str, int]:
    """Validate every table (or the named ones); return row counts. Raises on the first bad table."""
    counts = {}
    for name, schema in all_schemas().items():
        if names and name not in names:
            continue
        counts[name] = len(validate_file(schema.path, schema))
    return counts


def main(argv: list[str]) -> int:
    """`python -m bookkit build|validate [table ...]`."""
    cmd, names = (argv[0] if argv else "validate"), argv[1:]
    try:
        if cmd == "build":
            for line in build_derived(names):
                print("built", line)
        for name, n in validate_all(names).items():
            print(f"ok  {name}: {n} rows")
    except DatasetError as err:
        print(err, file=sys.stderr)
        return 1
    return 0

