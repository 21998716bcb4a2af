"""Every table validates against its schema, and every kind of bad input is refused loudly.

The bad-input suite makes corrupted copies of each real table (missing column, ragged row, wrong type,
unknown country code, impossible date, duplicate key, negative count, unknown source, unresolvable
locator, empty file, wrong encoding) and checks that validation stops with a message naming the file,
the row, the column and the rule.
"""
import csv
import dataclasses
import io
from pathlib import Path

import pytest

from bookkit import load
from bookkit.derive import build
from bookkit.paths import ROOT
from bookkit.schema import all_schemas
from bookkit.types import DATE_LENGTH
from bookkit.validate import DatasetError, validate_file

SCHEMAS = all_schemas()


def _rows(schema):
    text = schema.path.read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def _write(path: Path, rows, encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    # Characters latin-1 lacks become "?"; the injected é in row 1 is the first non-UTF-8 byte.
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    return path


def _first(schema, types):
    return next((f for f in schema.fields if f.type in types), None)


def corruptions(schema):
    """(variant, rows-or-bytes, expected row, expected column, expected rule prefix)."""
    rows = _rows(schema)
    header, first = rows[0], rows[1]
    out = []
    col0 = schema.fields[0].name
    out.append(("missing_column", [r[1:] for r in rows], 0, col0, "columns"))
    out.append(("ragged_row", [header, first + ["extra"], *rows[2:]], 1, None, "shape"))
    out.append(("duplicate_key", [header, first, first, *rows[2:]], 2, None, "primary_key"))
    out.append(("empty_file", b"", None, None, "non_empty"))
    text_col = next((f for f in schema.fields if f.type == "string" and not f.enum and not f.pattern), None)
    if text_col:
        i = header.index(text_col.name)
        row1 = [*first[:i], "Caf\u00e9 r\u00e9sum\u00e9", *first[i + 1:]]
        # The decoder stops at the first non-ASCII byte of row 1, which may sit in an earlier cell.
        hit = next(header[j] for j, cell in enumerate(row1) if not cell.isascii())
        out.append(("wrong_encoding", ("latin-1", [header, row1, *rows[2:]]), 1, hit, "encoding"))
    typed = _first(schema, {"integer", "number", "year", "boolean", "date"})
    if typed:
        i = header.index(typed.name)
        out.append(("wrong_type", [header, [*first[:i], "n/a?", *first[i + 1:]], *rows[2:]], 1, typed.name,
                    typed.type))
    country = _first(schema, {"iso3", "iso3_list"})
    if country:
        i = header.index(country.name)
        out.append(("unknown_country", [header, [*first[:i], "XYZ", *first[i + 1:]], *rows[2:]], 1,
                    country.name, country.type))
    date = _first(schema, {"date"})
    if date:
        i = header.index(date.name)
        out.append(("impossible_date", [header, [*first[:i], "2010-02-30", *first[i + 1:]], *rows[2:]], 1,
                    date.name, "date"))
    negative = next((f for f in schema.fields if f.type in {"integer", "number"} and (f.minimum or 0) >= 0
                     and f.minimum is not None), None)
    if negative:
        i = header.index(negative.name)
        out.append(("negative_count", [header, [*first[:i], "-5", *first[i + 1:]], *rows[2:]], 1,
                    negative.name, "minimum"))
    sources = _first(schema, {"sources"})
    if sources:
        i = header.index(sources.name)
        out.append(("unknown_source", [header, [*first[:i], "no_such_key_1999", *first[i + 1:]], *rows[2:]], 1,
                    sources.name, "sources"))
    locator = _first(schema, {"locator"})
    if locator:
        i = header.index(locator.name)
        out.append(("bad_locator", [header, [*first[:i], "§Formation ¶999", *first[i + 1:]], *rows[2:]], 1,
                    locator.name, "locator"))
    return out


CASES = [(name, *c) for name, s in SCHEMAS.items() for c in corruptions(s)]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_table_validates_and_loads_every_row(name):
    schema = SCHEMAS[name]
    df = load(name)
    assert len(df) == len(_rows(schema)) - 1, "a row was dropped between the file and the loaded table"
    assert list(df.columns) == schema.columns


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_table_has_at_least_five_bad_input_cases(name):
    assert len(corruptions(SCHEMAS[name])) >= 5


@pytest.mark.parametrize("name,variant,content,row,column,rule", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_bad_input_is_refused_with_file_row_column_rule(tmp_path, name, variant, content, row, column, rule):
    schema = SCHEMAS[name]
    path = tmp_path / schema.path.name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, tuple):
        _write(path, content[1], encoding=content[0])
    else:
        _write(path, content)
    with pytest.raises(DatasetError) as err:
        validate_file(path, schema)
    message = str(err.value)
    assert schema.path.name in message
    assert f"breaks rule '{rule}" in message, message
    if row is not None:
        assert (f"row {row} (line" in message) or (row == 0 and "header" in message), message
    if column is not None:
        assert f"column '{column}'" in message, message


def test_derived_tables_rebuild_identically_from_raw(tmp_path):
    """`make data` is deterministic: rebuilding the tidy tables (into a temporary folder, never into the
    checkout) reproduces the committed files byte for byte."""
    build(out_dir=tmp_path)
    derived = [s for s in SCHEMAS.values() if s.kind == "derived"]
    changed = [s.relpath for s in derived if (tmp_path / s.path.name).read_bytes() != s.path.read_bytes()]
    assert not changed, f"derived tables differ from a fresh build: {changed} (run `make data` and commit)"


def test_every_table_has_a_schema_and_every_schema_a_table():
    csvs = {p.resolve() for d in ("curated", "tidy") for p in (ROOT / "data" / d).glob("*.csv")}
    declared = {s.path.resolve() for s in SCHEMAS.values()}
    assert csvs == declared, f"tables without schema: {csvs - declared}; schemas without table: {declared - csvs}"


def test_every_raw_source_has_provenance():
    for folder in (ROOT / "data" / "raw").iterdir():
        if folder.is_dir():
            assert (folder / "PROVENANCE.md").exists(), f"{folder} lacks PROVENANCE.md"


# --- hardening: one message per bad cell, ASCII digits, no control characters ----------------------

def _one_bad_cell(tmp_path, table, column, value, row=1):
    schema = SCHEMAS[table]
    rows = _rows(schema)
    rows[row][rows[0].index(column)] = value
    path = _write(tmp_path / schema.path.name, rows)
    with pytest.raises(DatasetError) as err:
        validate_file(path, schema)
    return err.value.problems


@pytest.mark.parametrize("value", ["\u0661\u0669\u0669\u0662", "\uff11\uff19\uff19\uff12", "199\u0662"],
                         ids=["arabic-indic", "fullwidth", "mixed"])
def test_digits_of_other_scripts_are_refused_in_numbers_and_dates(tmp_path, value):
    for table, column in (("member_years", "year"), ("membership_history", "date")):
        problems = _one_bad_cell(tmp_path, table, column, value)
        assert len(problems) == 1 and problems[0].columns == (column,), problems
        assert "ASCII digits" in problems[0].rule


@pytest.mark.parametrize("char", ["\t", "\x07", "\x85", "\u200b\x00"], ids=["tab", "bell", "C1", "nul"])
def test_control_characters_are_refused_in_text_cells(tmp_path, char):
    problems = _one_bad_cell(tmp_path, "crisis_responses", "label", f"Kyrgyzstan{char}unrest")
    assert len(problems) == 1, problems
    assert problems[0].columns == ("label",) and problems[0].rule.startswith("text: no control characters")


def test_a_line_break_inside_a_cell_is_named_with_its_line(tmp_path):
    problems = _one_bad_cell(tmp_path, "crisis_responses", "label", "two\nlines", row=2)
    assert [(p.row, p.line, p.columns) for p in problems] == [(2, 3, ("label",))], problems


def test_a_date_at_the_wrong_precision_is_one_message_naming_both_columns(tmp_path):
    schema = SCHEMAS["membership_history"]
    rows = _rows(schema)
    i, j = rows[0].index("date"), rows[0].index("date_precision")
    rows[1][i], rows[1][j] = "1992-05", "day"
    path = _write(tmp_path / schema.path.name, rows)
    with pytest.raises(DatasetError) as err:
        validate_file(path, schema)
    problems = err.value.problems
    assert len(problems) == 1 and problems[0].columns == ("date", "date_precision"), problems
    assert "columns 'date' and 'date_precision'" in str(problems[0])


@pytest.mark.parametrize("date", ["1992", "1992-05", "1992-05-15"])
@pytest.mark.parametrize("precision", ["year", "month", "day", "dya", "weeks"])
def test_the_precision_rule_holds_for_every_form_of_date_and_every_precision_cell(tmp_path, date, precision):
    # The rule is found from the cells' lengths first: words of the same length as a precision word
    # ('dya') or longer ('weeks') must break only their own rule.
    schema = SCHEMAS["membership_history"]
    rows = _rows(schema)
    i, j = rows[0].index("date"), rows[0].index("date_precision")
    rows[1][i], rows[1][j] = date, precision
    path = _write(tmp_path / schema.path.name, rows)
    expected = DATE_LENGTH.get(precision)
    if expected == len(date):
        validate_file(path, schema)
        return
    with pytest.raises(DatasetError) as err:
        validate_file(path, schema)
    [problem] = err.value.problems
    if expected is None:
        assert problem.columns == ("date_precision",) and problem.rule.startswith("enum"), problem
    else:
        assert problem.columns == ("date", "date_precision") and problem.rule.startswith("date_precision"), problem


def test_an_impossible_date_is_one_message_not_one_per_column(tmp_path):
    problems = _one_bad_cell(tmp_path, "membership_history", "date", "1992-02-30")
    assert len(problems) == 1 and problems[0].columns == ("date",), problems


def test_a_blank_line_is_one_message(tmp_path):
    schema = SCHEMAS["readings"]
    lines = schema.path.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / schema.path.name
    path.write_text(lines[0] + lines[1] + "\n" + "".join(lines[2:]), encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        validate_file(path, schema)
    assert [(p.row, p.rule) for p in err.value.problems] == [(2, "shape: blank line (the row has no fields)")]


def test_a_bad_value_repeated_in_a_long_table_is_reported_in_every_cell(tmp_path):
    """Values that repeat are checked once per distinct value: every cell holding a bad one is still named."""
    schema = SCHEMAS["post_2011_events"]
    rows = _rows(schema)
    header, body = rows[0], rows[1:]
    i, j = header.index("id"), header.index("actors")
    long = [[*r[:i], f"pz{n:03d}", *r[i + 1:]] for n, r in enumerate(body * 4)]  # unique ids
    for n in (3, 250, 700):
        long[n][j] = "RUS;XXX"
    path = _write(tmp_path / schema.path.name, [header, *long])
    schema = dataclasses.replace(schema, fields=tuple(
        dataclasses.replace(f, pattern="pz[0-9]{3}") if f.name == "id" else f for f in schema.fields))
    with pytest.raises(DatasetError) as err:
        validate_file(path, schema)
    assert [(p.row, p.columns) for p in err.value.problems] == [(4, ("actors",)), (251, ("actors",)), (701, ("actors",))]
