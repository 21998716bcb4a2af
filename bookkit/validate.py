"""Validation: a CSV file checked cell by cell against its schema before anything is converted.

The file is read as text (every cell a string, nothing guessed), then each column is checked against
its type, its allowed values and its constraints, and the rows against the rules that span columns
(a date written to the precision its precision column states; the primary key; foreign keys in
``validate_all``). Nothing is coerced, filled or dropped: the first problem found in a cell is reported,
once, with the file, the data row, the physical line, the column(s) and the rule.

Speed matters for large tables, so the work is vectorised with Apache Arrow: the CSV reader is Arrow's
(every column read as a string), patterns run as RE2 regular expressions over whole columns,
membership rules (country codes, BibTeX keys, categories) are checked on the distinct values only, and
the columns are checked side by side on every core (Arrow's kernels release the GIL). When
a file is not plain (a ragged row, a blank line, a line break or control character inside a cell, bad
UTF-8), it is re-read slowly with Python's csv module to say exactly where.
"""
from __future__ import annotations

import csv
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import paths, types
from .schema import NUMERIC, Field, Schema, all_schemas
from .types import DATE_LENGTH


class DatasetError(ValueError):
    """A table broke its schema. ``problems`` lists every problem found, one per bad cell."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(f"{len(problems)} problem(s) in {problems[0].file}:\n{shown}{more}")


def _names(items: tuple[str, ...], what: str) -> str:
    quoted = [f"'{i}'" for i in items]
    if len(quoted) == 1:
        return f"{what} {quoted[0]}"
    return f"{what}s " + ", ".join(quoted[:-1]) + " and " + quoted[-1]


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (the header is row 0); None for the file as a whole
    line: int | None  # physical line in the file
    columns: tuple[str, ...]  # () when the rule concerns the whole row or file
    values: tuple[str, ...]
    rule: str

    @property
    def column(self) -> str | None:
        return self.columns[0] if self.columns else None

    def __str__(self) -> str:
        where = "header" if self.row == 0 else (f"row {self.row} (line {self.line})" if self.row else "whole file")
        cols = ", " + _names(self.columns, "column") if self.columns else ""
        vals = ": " + _names(tuple(repr(v)[1:-1] for v in self.values), "value") if self.values else ""
        return f"{self.file}, {where}{cols}{vals} breaks rule '{self.rule}'"


CONTROL_RULE = "text: no control characters (such as line breaks or tabs) inside a cell"
REQUIRED_RULE = "required: cell must not be empty"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 controls, DEL and C1 controls
# A precision cell's length in bytes -> the length of a date at the precision a word of that length names
# (the words differ in length); -1 where no word has that length, the last slot for any longer cell.
_DATE_LENGTH_BY_WORD_LENGTH = np.full(max(map(len, DATE_LENGTH)) + 2, -1)
for _word, _length in DATE_LENGTH.items():
    _DATE_LENGTH_BY_WORD_LENGTH[len(_word)] = _length


def TEXT():
    """The Arrow type of text cells: large_string, which pandas' string dtype holds as it is (no copy)."""
    import pyarrow as pa

    return pa.large_string()


def _map(func, items) -> list:
    """``[func(i) for i in items]``, the items spread over the cores (for per-column Arrow work)."""
    items = list(items)
    if len(items) < 2 or (os.cpu_count() or 1) < 2:
        return [func(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count())) as pool:
        return list(pool.map(func, items))


# --- reading ---------------------------------------------------------------------------------

def _decode(raw: bytes, rel: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        lines = raw.splitlines()
        header = next(csv.reader([lines[0].decode("utf-8", errors="replace")]))
        cells = next(csv.reader([lines[line - 1].decode("utf-8", errors="replace")]), [])
        col = next((header[i] for i, c in enumerate(cells) if "\ufffd" in c and i < len(header)), None)
        raise DatasetError([Problem(rel, line - 1, line, (col,) if col else (), (),
                                    f"encoding: file must be UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})")]) from None


def _header(path: Path, rel: str, schema: Schema) -> list[str]:
    with open(path, "rb") as fh:
        start = fh.read(65536)
        if not start.strip() and not fh.read(1):
            raise DatasetError([Problem(rel, None, None, (), (), "non_empty: file must hold a header row")])
        fh.seek(0)
        first = fh.readline()
    first = first.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    header = next(csv.reader([_decode(first, rel)]))
    problems = [Problem(rel, 0, 1, (c,), (), "columns: required column missing from header")
                for c in schema.columns if c not in header]
    problems += [Problem(rel, 0, 1, (c,), (), "columns: column not declared in the schema")
                 for c in header if c not in schema.columns]
    if len(set(header)) != len(header):
        problems.append(Problem(rel, 0, 1, (), (), "columns: header repeats a column name"))
    if problems:
        raise DatasetError(problems)
    return header


def _chunks(col) -> list:
    return col.chunks if hasattr(col, "chunks") else [col]


def _text_buffers(chunk) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of one text chunk, as NumPy views of its Arrow buffers, for ``len(chunk)`` cells."""
    import pyarrow as pa

    _, offsets, data = chunk.buffers()
    wide = np.int64 if pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type) else np.int32
    offsets = np.frombuffer(offsets, dtype=wide)[chunk.offset:chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return offsets, data


def _byte_lengths(col) -> np.ndarray:
    """Each cell's length in bytes, read off the offsets (no Arrow kernel, no copy of the text)."""
    parts = [np.diff(_text_buffers(chunk)[0]) for chunk in _chunks(col) if len(chunk)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _plain_ascii(col) -> bool:
    """True if the column's text is printable ASCII only, read off the raw bytes (smallest and largest)."""
    for chunk in _chunks(col):
        if len(chunk) == 0:
            continue
        offsets, data = _text_buffers(chunk)
        data = data[offsets[0]:offsets[-1]]
        if len(data) and (data.min() < 0x20 or data.max() > 0x7e):
            return False
    return True


def _valid_utf8(col) -> bool:
    """True if a text column read without Arrow's UTF-8 check holds valid UTF-8 (for non-ASCII text)."""
    import pyarrow as pa

    try:
        for chunk in _chunks(col):
            chunk.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _has_control(col) -> bool:
    """True if any cell of a text column that is not plain ASCII holds a control character."""
    import pyarrow.compute as pc

    plain = pc.ascii_is_printable(col)
    if pc.all(plain).as_py() is not False:
        return False
    others = pc.filter(col, pc.invert(plain)).to_pylist()
    return any(_CONTROL.search(v) for v in others)


def _read_fast(path: Path, header: list[str]):
    """Arrow's reader, every column as text; None when the file needs the slow, exact reader."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            path, read_options=pacsv.ReadOptions(block_size=4 << 20),  # fewer chunks than 1 MB blocks (measured)
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            # UTF-8 is checked column by column, beside the other checks (see _check), and only where a
            # column is not plain ASCII: Arrow's own check over every cell costs a fifth of the read.
            convert_options=pacsv.ConvertOptions(column_types={c: TEXT() for c in header}, check_utf8=False,
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # a ragged row, a quoted line break, or bytes that are not UTF-8
    return table if table.column_names == header else None


def _read_slow(path: Path, rel: str, header: list[str]):
    """Parse with the csv module: every ragged row and control character reported with its line."""
    import pyarrow as pa

    text = _decode(Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf"), rel)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines, problems, controls = [], [], [], []
    try:
        next(reader)
        while True:
            start = reader.line_num + 1  # a quoted line break makes a row end on a later line
            row = next(reader, None)
            if row is None:
                break
            number = len(rows) + len(problems) + 1
            if len(row) != len(header):
                rule = ("shape: blank line (the row has no fields)" if not row
                        else f"shape: row has {len(row)} field(s), header has {len(header)}")
                problems.append(Problem(rel, number, start, (), (), rule))
                continue
            for name, cell in zip(header, row):
                if _CONTROL.search(cell):
                    controls.append((len(rows), name, cell))
            rows.append(row)
            lines.append(start)
    except csv.Error as err:
        raise DatasetError([Problem(rel, None, reader.line_num, (), (), f"csv: {err}")]) from None
    if problems:
        raise DatasetError(problems)
    columns = list(zip(*rows)) if rows else [() for _ in header]
    table = pa.table({name: pa.array(col, type=TEXT()) for name, col in zip(header, columns)})
    return table, np.asarray(lines), controls


# --- cell rules --------------------------------------------------------------------------------

def _pattern_ok(col, live: np.ndarray, pattern: str, quick=None) -> np.ndarray:
    """Cells matching ``pattern`` in full; ``quick`` (a cheap Arrow test) clears most cells first."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ok = np.zeros(len(live), dtype=bool)
    if quick is not None:
        ok = quick(col).to_numpy(zero_copy_only=False) & live
    rest = live & ~ok
    if rest.all():  # nothing to leave out: no copy of the column
        return pc.match_substring_regex(col, f"^(?:{pattern})$").to_numpy(zero_copy_only=False)
    if rest.any():
        matched = pc.match_substring_regex(pc.filter(col, pa.array(rest)), f"^(?:{pattern})$")
        ok[np.flatnonzero(rest)] = matched.to_numpy(zero_copy_only=False)
    return ok


def _decimal(col):
    import pyarrow.compute as pc

    return pc.ascii_is_decimal(col)


def _four_digits(col):
    import pyarrow.compute as pc

    return pc.and_(pc.ascii_is_decimal(col), pc.equal(pc.binary_length(col), 4))


QUICK = {"integer": _decimal, "number": _decimal, "year": _four_digits}


def _membership_bad(col, live: np.ndarray, check, field: Field) -> dict[int, str]:
    """Run a distinct-values check; return {row index: rule override ('' = the type's rule)}."""
    import pyarrow as pa
    import pyarrow.compute as pc

    candidates = col if live.all() else pc.filter(col, pa.array(live))
    distinct = set(pc.unique(candidates).to_pylist())
    bad = check(distinct, field)
    if not bad:
        return {}
    hit = pc.is_in(col, value_set=pa_strings(sorted(bad))).to_numpy(zero_copy_only=False)
    values = col.to_pylist() if hit.any() else []
    return {int(i): bad[values[i]] for i in np.flatnonzero(hit & live)}


def _value_rules(col, field: Field, empty: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The first rule of ``field`` that each value of ``col`` breaks, the rules that depend on the value alone.

    Returns an array holding, per cell, an index into the returned list of rules (-1: breaks none).
    """
    import pyarrow.compute as pc

    first = np.full(len(col), -1, dtype=np.int16)
    rules: list[str] = []

    def mark(mask: np.ndarray, rule: str) -> np.ndarray:
        new = mask & (first < 0)
        if new.any():
            if rule not in rules:
                rules.append(rule)
            first[new] = rules.index(rule)
        return (first < 0) & ~empty

    live = (first < 0) & ~empty
    if field.required:
        live = mark(empty, REQUIRED_RULE)
    cell_type = types.get(field.type)
    if cell_type.pattern and live.any():
        live = mark(live & ~_pattern_ok(col, live, cell_type.pattern, QUICK.get(field.type)), cell_type.rule)
    if cell_type.check and live.any():
        for i, rule in _membership_bad(col, live, cell_type.check, field).items():
            live = mark(_one(len(col), i), rule or cell_type.rule)
    if field.enum is not None and live.any():
        allowed = set(field.enum)
        rule = f"enum: one of {sorted(allowed)}"
        for i in _membership_bad(col, live, lambda vals, f: {v: "" for v in vals if v not in allowed}, field):
            live = mark(_one(len(col), i), rule)
    if field.pattern and live.any():
        live = mark(live & ~_pattern_ok(col, live, field.pattern), f"pattern: matches /{field.pattern}/")
    if field.type in NUMERIC and (field.minimum is not None or field.maximum is not None) and live.any():
        numbers = np.full(len(col), np.nan)
        numbers[live] = pc.cast(pc.filter(col, live), "float64").to_numpy()
        if field.minimum is not None:
            live = mark(live & (numbers < field.minimum), f"minimum: >= {field.minimum}")
        if field.maximum is not None:
            mark(live & (numbers > field.maximum), f"maximum: <= {field.maximum}")
    return first, rules


def _repeats_often(col, field: Field, sample: int = 65536) -> bool:
    """Whether checking distinct values pays: the field has rules on values, and in the first ``sample``
    cells a value repeats four times on average (ids and free text do not)."""
    import pyarrow.compute as pc

    cell_type = types.get(field.type)
    if not (cell_type.pattern or cell_type.check or field.enum is not None or field.pattern
            or field.minimum is not None or field.maximum is not None):
        return False
    head = col.slice(0, sample)
    return 4 * len(pc.unique(head)) <= len(head)


def _column_problems(col, field: Field, empty: np.ndarray, distinct=None,
                     key: bool = False) -> list[tuple[int, str]]:
    """(row index, rule) for the first rule each cell breaks.

    Rules that depend on the value alone are checked once per distinct value when values repeat (dates,
    codes, sources: ``distinct`` holds them, see ``_repeats_often``), then spread to the cells holding
    that value. ``key``: the column is the whole primary key, whose own check reports repeats.
    """
    import pyarrow.compute as pc

    if distinct is not None:
        per_value, rules = _value_rules(distinct, field, pc.equal(distinct, "").to_numpy(zero_copy_only=False))
        # Spread to the cells only when some value breaks a rule (valid columns skip this step).
        first = None
        if (per_value >= 0).any():
            first = per_value[pc.index_in(col, value_set=distinct).to_numpy(zero_copy_only=False)]
    else:
        first, rules = _value_rules(col, field, empty)
    broken = np.zeros(len(col), dtype=bool) if first is None else first >= 0
    found = [(int(i), rules[first[i]]) for i in np.flatnonzero(broken)]
    live = ~broken & ~empty
    if field.unique and not key and live.any() and _has_repeats(col):
        import pandas as pd

        repeated = live & pd.Series(col.to_pylist()).duplicated(keep="first").to_numpy()
        found += [(int(i), "unique: no repeated value") for i in np.flatnonzero(repeated)]
    return sorted(found)


def _strictly_increasing(col) -> bool:
    """A column sorted with no ties has no repeats: a cheap answer for tables kept in key order."""
    import pyarrow.compute as pc

    return len(col) < 2 or bool(pc.all(pc.greater(col.slice(1), col.slice(0, len(col) - 1))).as_py())


def _has_repeats(col) -> bool:
    import pyarrow.compute as pc

    filled = pc.filter(col, pc.not_equal(col, ""))
    return not _strictly_increasing(filled) and len(pc.unique(filled)) < len(filled)


def _one(n: int, i: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[i] = True
    return mask


# --- the file ------------------------------------------------------------------------------------

def check_table(path: Path, schema: Schema):
    """Validate ``path`` against ``schema``; return the Arrow table of text cells, or raise DatasetError."""
    return _check(path, schema)[0]


def _check(path: Path, schema: Schema, exact: bool = False, convert: bool = False):
    """(text table, typed Arrow columns if ``convert`` else None), or raise DatasetError.

    ``exact``: use the slow reader, which names exact lines. ``convert``: also convert each column to its
    type, alongside its checks (the work is thrown away if a problem is found).
    """
    import pyarrow.compute as pc

    rel = paths.rel(path)
    header = _header(path, rel, schema)
    # Free text has no rule of its own that a control character would break: search it for them here.
    # (The slow reader has searched every column already.)
    free_text = {f.name for f in schema.fields if f.type == "string" and f.categories is None and not f.pattern}
    table = None if exact else _read_fast(path, header)
    controls: list = []
    if table is None:
        exact = True
        table, lines, controls = _read_slow(path, rel, header)
    else:
        lines = None  # one row per line: line = row + 1
    if table.num_rows == 0:
        raise DatasetError([Problem(rel, None, None, (), (), "non_empty: table must hold at least one data row")])

    n = table.num_rows
    line_of = (lambda i: int(lines[i])) if lines is not None else (lambda i: i + 2)
    problems: list[Problem] = []

    def report(i: int, cols: tuple[str, ...], rule: str) -> None:
        vals = tuple(table.column(c)[i].as_py() for c in cols)
        problems.append(Problem(rel, i + 1, line_of(i), cols, vals, rule))

    def check_column(f: Field):
        col = table.column(f.name)
        distinct = pc.unique(col) if _repeats_often(col, f) else None
        text = col if distinct is None else distinct  # a repeated value's text is checked once
        if not exact and not _plain_ascii(text):
            if not _valid_utf8(text) or (f.name in free_text and _has_control(text)):
                return None  # bytes that are not UTF-8, or a control character: the slow reader says where
        lengths = _byte_lengths(col)
        empty = lengths == 0
        found = _column_problems(col, f, empty, distinct, key=schema.primary_key == (f.name,))
        mismatch = precision_mismatch(f, lengths) if f in dated else None
        return empty, found, _convert(col, f, empty) if convert and not found else None, mismatch

    def precision_mismatch(f: Field, lengths: np.ndarray) -> np.ndarray:
        """Cells of date ``f`` not written to the precision its precision column gives (both non-empty).

        ``lengths``: the date cells' lengths in bytes (a date cell that is not ASCII has failed its own
        rule already)."""
        precision = table.column(f.precision_field)
        # A precision cell's length names the word it can be; the few cells that look wrong are then
        # compared with the words themselves.
        slots = _DATE_LENGTH_BY_WORD_LENGTH
        expected = slots[np.minimum(_byte_lengths(precision), len(slots) - 1)]
        mismatch = (lengths > 0) & (expected > 0) & (lengths != expected)
        rows = np.flatnonzero(mismatch)
        if len(rows):
            words = precision.take(rows).to_pylist()
            mismatch[rows] = [DATE_LENGTH.get(w, n) != n for w, n in zip(words, lengths[rows])]
        return mismatch

    def key_repeats(key: tuple[str, ...]) -> np.ndarray | None:
        """Rows whose primary key an earlier row holds already (None: no repeats)."""
        joined = table.column(key[0]) if len(key) == 1 else pc.binary_join_element_wise(
            *[table.column(k) for k in key], pa_strings(["\x1f"])[0])
        if _strictly_increasing(joined) or len(pc.unique(joined)) == n:
            return None
        import pandas as pd

        return pd.Series(joined.to_pylist()).duplicated(keep="first").to_numpy()

    dated = [f for f in schema.fields if f.type == "date" and f.precision_field]
    # Every column's own rules, and the rules across columns, side by side.
    results = _map(lambda task: task[0](task[1]), [(check_column, f) for f in schema.fields]
                   + ([(key_repeats, schema.primary_key)] if schema.primary_key else []))
    checked = results[:len(schema.fields)]
    repeated_keys = results[-1] if schema.primary_key else None
    if any(c is None for c in checked):
        return _check(path, schema, exact=True, convert=convert)
    empties = {f.name: c[0] for f, c in zip(schema.fields, checked)}
    bad = {f.name: np.zeros(n, dtype=bool) for f in schema.fields}
    # A blank line reads as a row of empty cells: one problem for the row, not one per column.
    # (A column with no empty cell rules blank lines out without the row-by-row pass.)
    blank = (np.logical_and.reduce([empties[name] for name in header])
             if all(empties[name].any() for name in header) else np.zeros(n, dtype=bool))
    for i in np.flatnonzero(blank) if len(header) > 1 else []:
        problems.append(Problem(rel, int(i) + 1, line_of(int(i)), (), (), "shape: blank line (the row has no fields)"))
        for name in header:
            bad[name][i] = True
    for i, name, _cell in controls:
        bad[name][i] = True
        report(i, (name,), CONTROL_RULE)
    for f, (_, found, _, _) in zip(schema.fields, checked):
        for i, rule in found:
            if not bad[f.name][i]:  # not part of a blank line or a cell with a control character
                bad[f.name][i] = True
                report(i, (f.name,), rule)

    # A date written to its precision column's precision (only where both cells passed on their own).
    for f, (_, _, _, mismatch) in zip(schema.fields, checked):
        for i in np.flatnonzero(mismatch & ~bad[f.name] & ~bad[f.precision_field]) if mismatch is not None else []:
            bad[f.name][i] = True
            report(int(i), (f.name, f.precision_field),
                   f"date_precision: '{f.name}' written to the precision in '{f.precision_field}'")

    if repeated_keys is not None:
        key = schema.primary_key
        for i in np.flatnonzero(repeated_keys & ~blank):
            report(int(i), tuple(key), f"primary_key: ({', '.join(key)}) identifies one row")

    if problems:
        if not exact:  # read again exactly: a control character elsewhere may have shifted the lines
            return _check(path, schema, exact=True, convert=convert)
        problems.sort(key=lambda p: (p.row or 0, schema.columns.index(p.columns[0]) if p.columns else -1, p.rule))
        raise DatasetError(problems)
    converted = dict(zip(schema.columns, (c[2] for c in checked))) if convert else None
    return table.select(schema.columns), converted


def pa_strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=TEXT())


def _empty_as_null(col, empty: np.ndarray):
    """The column with empty cells as nulls, sharing the text's buffers (only a validity bitmap is new).

    ``empty``: a NumPy mask of the empty cells, one per cell of ``col``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks, start = [], 0
    for chunk in col.chunks:
        gaps = empty[start:start + len(chunk)]
        start += len(chunk)
        if chunk.offset or chunk.null_count:  # not as the CSV reader makes them: copy
            chunks.append(pc.if_else(pa.array(gaps), pa.scalar(None, TEXT()), chunk))
            continue
        valid = pa.py_buffer(np.packbits(~gaps, bitorder="little"))
        chunks.append(pa.Array.from_buffers(TEXT(), len(chunk), [valid, *chunk.buffers()[1:]]))
    return pa.chunked_array(chunks, TEXT())


def _convert(col, f: Field, empty: np.ndarray):
    """A validated text column as its type: numbers, booleans, and strings with null for empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = _empty_as_null(col, empty)
    if f.type in {"integer", "year"}:
        return pc.cast(missing, pa.int64())
    if f.type == "number":
        return pc.cast(missing, pa.float64())
    if f.type == "boolean":
        return pc.equal(missing, "true")
    return missing


def _frame(columns: dict):
    """Typed Arrow columns as a DataFrame with pandas' nullable dtypes."""
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype(),
               TEXT(): pd.StringDtype()}
    frame = pa.table(columns).to_pandas(types_mapper=mapping.get)
    frame.index = pd.RangeIndex(len(frame))
    return frame


def validate_file(path: Path, schema: Schema):
    """Check ``path`` against ``schema`` and return it as a typed DataFrame (or raise DatasetError)."""
    return _frame(_check(path, schema, convert=True)[1])


def foreign_key_problems(schemas: dict[str, Schema], tables: dict) -> list[Problem]:
    """Values of foreign-key columns that the referenced table does not hold (one per bad cell)."""
    problems = []
    for name, schema in schemas.items():
        for fk in schema.foreign_keys:
            target = fk["reference"]["resource"]
            allowed = set(tables[target].column(fk["reference"]["fields"]).to_pylist())
            field = schema.field(fk["fields"])
            for i, cell in enumerate(tables[name].column(fk["fields"]).to_pylist()):
                items = [c for c in (cell.split(";") if field.type.endswith("_list") else [cell]) if c]
                if any(item not in allowed for item in items):
                    problems.append(Problem(schema.relpath, i + 1, i + 2, (fk["fields"],), (cell,),
                                            f"foreign_key: value found in {target}.{fk['reference']['fields']}"))
    return problems


def validate_all(names: list[str] | None = None) -> dict[str, int]:
    """Validate every table (or the named ones) and the foreign keys between them; return row counts."""
    schemas = all_schemas()
    chosen = {n: s for n, s in schemas.items() if not names or n in names}
    tables = {}
    for name, schema in schemas.items():
        if name in chosen or any(fk["reference"]["resource"] == name for s in chosen.values() for fk in s.foreign_keys):
            tables[name] = check_table(schema.path, schema)
    problems = foreign_key_problems(chosen, tables)
    if problems:
        raise DatasetError(problems)
    return {name: tables[name].num_rows for name in chosen}
