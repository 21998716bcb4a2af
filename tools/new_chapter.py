"""Scaffold a new chapter: notebook, table schema, placeholder table, table of contents, stored outputs.

    make new-chapter NAME=sco_summits
    .venv/bin/python tools/new_chapter.py sco_summits [--title "SCO summits"] [--table sco_summits]
                                          [--source BIBKEY] [--part "New chapters"] [--no-execute]

Creates, and refuses to overwrite:

- ``book/<NN>_<slug>.ipynb`` from ``tools/templates/chapter.ipynb``: title, "What this chapter shows",
  "Data used", the imports (hidden), a cell that loads the table and draws one finished chart, a glued
  number and a closing paragraph that quotes it with ``{glue:}``;
- ``data/schemas/<table>.yaml``: a curated-table schema stub (item, year, value [count], source);
- ``data/curated/<table>.csv``: two rows that are obviously placeholders ("replace me"), citing an existing
  BibTeX key (``--source``, default ``taghvaei``), so the stub validates;
- an entry ``book/<NN>_<slug>`` in ``_toc.yml``, in the part "New chapters" (``--part``), which is created
  just before the appendices if it does not exist yet. ``_toc.yml`` is edited as text: comments and layout
  are kept, and the result is checked by parsing it.

Then it executes the new notebook (``python -m bookkit.execute <notebook> [others]``) so its outputs are
stored and recorded in ``book/_outputs_manifest.json``, together with any other notebook whose recorded
inputs the new table changed (the data dictionary in the data-and-methods appendix lists every table);
notebooks that are stale for other reasons are left to ``make execute``. If execution fails, everything
this script created is removed and ``_toc.yml`` is restored.

Chapter number NN: the lowest unused number above the highest chapter number outside the appendices and
below the first appendix (the appendices are the part of ``_toc.yml`` whose caption starts with
"Appendi"); 02 when there is no chapter yet (01 is the preface). When no such number is free (this book:
chapters 02-11, appendices 12-13), NN is one more than the highest number any file in ``book/`` uses (14),
so file-name prefixes stay unique. The prefix only names the file: the order of the book is the order of
``_toc.yml``, where the new chapter always goes before the appendices.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's bookkit, whatever the venv's editable install points at

BOOK = ROOT / "book"
TOC = ROOT / "_toc.yml"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "chapter.ipynb"
NAME = re.compile(r"[a-z][a-z0-9_]*")
NUMBERED = re.compile(r"(\d+)[a-z]?_")
DEFAULT_PART = "New chapters"
FIRST_CHAPTER = 2  # 01 is the preface (book/intro.md)


class ScaffoldError(Exception):
    """The scaffold refuses: nothing has been written."""


# --- table of contents --------------------------------------------------------------------------

def toc_files(toc: dict) -> list[str]:
    """Every `file:` entry of a parsed _toc.yml (root, chapters, sections), in order."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                out.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    if isinstance(toc.get("root"), str):
        out.append(toc["root"])
    walk(toc)
    return out


def _is_appendix(caption) -> bool:
    return str(caption or "").strip().lower().startswith("appendi")


def appendix_files(toc: dict) -> list[str]:
    return [f for part in toc.get("parts") or [] if _is_appendix(part.get("caption"))
            for f in toc_files(part)]


def _number(name: str) -> int | None:
    m = NUMBERED.match(Path(name).name)
    return int(m.group(1)) if m else None


def next_number(book_names: list[str], appendices: list[str]) -> int:
    """The chapter number for a new chapter (see the module docstring for the rule)."""
    used = {n for n in map(_number, book_names) if n is not None}
    appendix = {n for n in map(_number, appendices) if n is not None}
    chapters = used - appendix
    start = max(chapters) + 1 if chapters else FIRST_CHAPTER
    limit = min(appendix) if appendix else None
    for n in range(start, limit if limit is not None else start + 1):
        if n not in used:
            return n
    return max(used | {FIRST_CHAPTER - 1}) + 1


def add_to_toc(text: str, entry: str, part: str = DEFAULT_PART) -> str:
    """Return _toc.yml's text with ``- file: entry`` added at the end of `part` (created if missing)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    caption = re.compile(r"^(\s*)- caption:\s*(.+?)\s*$")

    def caption_of(line):
        m = caption.match(line)
        return (len(m.group(1)), yaml.safe_load(m.group(2))) if m else None

    def indent(line):
        return len(line) - len(line.lstrip(" "))

    def content(line):
        return line.strip() and not line.lstrip().startswith("#")

    parts = [(i, *caption_of(line)) for i, line in enumerate(lines) if caption_of(line)]
    target = next(((i, ind) for i, ind, cap in parts if str(cap) == part), None)
    if target:
        i, ind = target
        end = i + 1
        while end < len(lines) and not (content(lines[end]) and indent(lines[end]) <= ind):
            end += 1
        while end > i + 1 and not content(lines[end - 1]):
            end -= 1  # keep blank lines and comments that belong to the next part where they are
        chapter_lines = [line for line in lines[i + 1:end] if re.match(r"^\s*- file:", line)]
        if not any(re.match(r"^\s*chapters:\s*$", line) for line in lines[i + 1:end]):
            raise ScaffoldError(f"_toc.yml: part {part!r} has no 'chapters:' list; add {entry} by hand")
        chapter_indent = min((indent(line) for line in chapter_lines), default=ind + 4)
        new = [" " * chapter_indent + f"- file: {entry}\n"]
        lines[end:end] = new
    else:
        appendix = next(((i, ind) for i, ind, cap in parts if _is_appendix(cap)), None)
        if appendix:
            at, ind = appendix
            while at > 0 and lines[at - 1].lstrip().startswith("#") and indent(lines[at - 1]) == ind:
                at -= 1  # a comment above the appendices belongs to them
        elif parts:
            at, ind = len(lines), parts[0][1]
        else:
            raise ScaffoldError("_toc.yml has no 'parts:'; add the chapter to it by hand")
        pad = " " * ind
        block = [f"{pad}- caption: {json.dumps(part) if ':' in part or '#' in part else part}\n"]
        numbered = [p.get("numbered") for p in yaml.safe_load(text).get("parts") or []]
        if numbered and numbered[0] is not None and len(set(map(str, numbered))) == 1:
            block.append(f"{pad}  numbered: {json.dumps(numbered[0])}\n")  # like every other part
        lines[at:at] = [*block, f"{pad}  chapters:\n", f"{pad}    - file: {entry}\n"]
    new_text = "".join(lines)
    parsed = toc_files(yaml.safe_load(new_text))
    if parsed.count(entry) != 1 or [f for f in parsed if f != entry] != toc_files(yaml.safe_load(text)):
        raise ScaffoldError("could not add the chapter to _toc.yml safely; add it by hand")
    return new_text


# --- the files ----------------------------------------------------------------------------------

def schema_text(table: str, title: str) -> str:
    return f"""\
# Schema stub written by tools/new_chapter.py. Describe the real table here (what one row is, units,
# allowed values, what an empty cell means), then replace the placeholder rows of the CSV.
name: {table}
title: {json.dumps(title + " (placeholder table: replace the rows and this title)")}
description: >-
  PLACEHOLDER written by `make new-chapter`. Say what one row is, where the figures come from, what an
  empty cell means and what the table leaves out. The rows of data/curated/{table}.csv whose item is
  "replace me" are placeholders and must be replaced with real, sourced rows.
kind: curated
path: data/curated/{table}.csv
licence:
  name: CC-BY-4.0
  path: https://creativecommons.org/licenses/by/4.0/
  title: "CC BY 4.0 (compilation by this book); facts from the cited sources"
primary_key: [item, year]
fields:
  - name: item
    type: string
    title: Item
    description: What is counted
  - name: year
    type: year
    title: Year
    description: Year the count refers to
  - name: value
    type: integer
    title: Count
    unit: count
    minimum: 0
    description: The count for the item in the year
  - name: source
    type: sources
    title: Sources
    description: BibTeX key(s) of the source(s) in book/references/*.bib, separated by ';'
"""


def csv_text(source: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([
        ["item", "year", "value", "source"],
        ["replace me", "2024", "1", source],
        ["replace me too", "2025", "2", source],
    ])
    return buf.getvalue()


def notebook(slug: str, table: str, title: str, source: str, number: str):
    nb = nbformat.read(TEMPLATE, as_version=4)
    literal = title.replace("\\", "\\\\").replace('"', '\\"')  # the title sits in "..." in code cells
    for i, cell in enumerate(nb.cells):
        text = cell.source.replace("{{TITLE}}", literal if cell.cell_type == "code" else title)
        text = text.replace("{{NUMBER}}", str(int(number)))  # the title's number is the file's: 14_x -> "14."
        cell.source = text.replace("{{TABLE}}", table).replace("{{SLUG}}", slug).replace("{{SOURCE}}", source)
        cell.id = hashlib.sha256(f"{number}_{slug}/{i}".encode()).hexdigest()[:8]
    leftover = [c.source for c in nb.cells if "{{" in c.source]
    if leftover:
        raise ScaffoldError(f"template placeholder left unfilled in {TEMPLATE.name}: {leftover[0][:80]!r}")
    nbformat.validate(nb)
    return nb


# --- main ---------------------------------------------------------------------------------------

def plan(slug: str, table: str, title: str, source: str, part: str) -> dict:
    """Check everything and compute what to write; raise ScaffoldError before anything is written."""
    from bookkit.bib import keys as bib_keys

    for what, value in (("chapter name", slug), ("table name", table)):
        if not NAME.fullmatch(value):
            raise ScaffoldError(f"{what} {value!r}: use lower-case letters, digits and '_', starting with a letter")
    if "\n" in title or not title.strip():
        raise ScaffoldError("--title must be one non-empty line")
    if source not in bib_keys():
        raise ScaffoldError(f"--source {source!r} is not a BibTeX key in book/references/*.bib")
    toc_text = TOC.read_text(encoding="utf-8")
    toc = yaml.safe_load(toc_text)
    listed = toc_files(toc)
    clash = [p.name for p in BOOK.iterdir() if re.fullmatch(rf"(\d+[a-z]?_)?{re.escape(slug)}", p.stem)]
    clash += [f for f in listed if re.fullmatch(rf"(.*/)?(\d+[a-z]?_)?{re.escape(slug)}", f)]
    if clash:
        raise ScaffoldError(f"a chapter named {slug!r} exists already: {sorted(set(clash))}")
    schema = ROOT / "data" / "schemas" / f"{table}.yaml"
    data = ROOT / "data" / "curated" / f"{table}.csv"
    tidy = ROOT / "data" / "tidy" / f"{table}.csv"
    existing = [p.relative_to(ROOT).as_posix() for p in (schema, data, tidy) if p.exists()]
    if existing:
        raise ScaffoldError(f"table {table!r} exists already ({', '.join(existing)}); choose another --table")
    number = f"{next_number([p.name for p in BOOK.iterdir()], appendix_files(toc)):02d}"
    nb_path = BOOK / f"{number}_{slug}.ipynb"
    entry = f"book/{nb_path.stem}"
    return {
        "notebook": (nb_path, notebook(slug, table, title, source, number)),
        "files": {schema: schema_text(table, title), data: csv_text(source)},
        "toc": (toc_text, add_to_toc(toc_text, entry, part)),
    }


def notebooks_in_book() -> list[Path]:
    return sorted(BOOK.glob("*.ipynb"))


def affected_by(paths: list[Path]) -> list[Path]:
    """Notebooks whose recorded inputs are out of date because of the files in `paths` (or that are new)."""
    from bookkit import execute

    rels = {p.relative_to(ROOT).as_posix() for p in paths}
    def touched(changed: list[str]) -> bool:  # a recorded input is a file, or a folder (every schema)
        return any(r == c or r.startswith(c + "/") for r in rels for c in changed)

    return [nb for nb, changed in execute.stale(notebooks_in_book()).items()
            if touched(changed) or nb.relative_to(ROOT).as_posix() in rels]


def _execute(args: list[str]) -> int:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-m", "bookkit.execute", *args], cwd=ROOT, env=env).returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="tools/new_chapter.py", usage="make new-chapter NAME=<slug>  |  %(prog)s <slug> [options]",
        description="Scaffold a chapter: notebook, schema stub, placeholder table, _toc.yml entry, outputs.")
    ap.add_argument("slug", help="chapter name: lower-case letters, digits and '_' (e.g. sco_summits)")
    ap.add_argument("--title", help="chapter title (default: the name, capitalised)")
    ap.add_argument("--table", help="name of the new curated table (default: the chapter name)")
    ap.add_argument("--source", default="taghvaei",
                    help="existing BibTeX key cited by the placeholder rows (default: taghvaei)")
    ap.add_argument("--part", default=DEFAULT_PART, help=f"_toc.yml part to add it to (default: {DEFAULT_PART!r})")
    ap.add_argument("--no-execute", action="store_true", help="do not execute the notebook (run `make execute` later)")
    args = ap.parse_args(argv)
    title = args.title or args.slug.replace("_", " ").capitalize()
    try:
        todo = plan(args.slug, args.table or args.slug, title, args.source, args.part)
    except ScaffoldError as err:
        print(f"new_chapter: {err}; nothing was written", file=sys.stderr)
        return 2

    nb_path, nb = todo["notebook"]
    old_toc, new_toc = todo["toc"]
    created: list[Path] = []
    for path, text in todo["files"].items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(text)
        created.append(path)
    with nb_path.open("x", encoding="utf-8", newline="\n") as fh:
        nbformat.write(nb, fh)
    created.append(nb_path)
    TOC.write_text(new_toc, encoding="utf-8")
    for p in created:
        print(f"created {p.relative_to(ROOT)}")
    print(f"added book/{nb_path.stem} to _toc.yml (part {args.part!r})")

    if not args.no_execute:
        # The new notebook and every notebook whose recorded inputs it or the new table changed (the data
        # dictionary lists every table; a build-report page may read every notebook), again until none is
        # left. Notebooks that are stale for other reasons are `make execute`'s business.
        manifest = BOOK / "_outputs_manifest.json"
        stored = {p: p.read_bytes() for p in [*notebooks_in_book(), manifest] if p.exists() and p not in created}
        changed = list(created)
        todo_now = [nb_path, *[p for p in affected_by(changed) if p != nb_path]]
        for _ in range(5):
            if _execute([str(p) for p in todo_now]) != 0:
                for p in created:
                    p.unlink(missing_ok=True)
                for p, data in stored.items():  # outputs (and their record) that may list the removed table
                    p.write_bytes(data)
                TOC.write_text(old_toc, encoding="utf-8")
                print("new_chapter: executing the notebooks failed (see above): the files this script created "
                      "were removed and _toc.yml restored. Use --no-execute to keep them and run `make execute` "
                      "later.", file=sys.stderr)
                return 1
            changed += [p for p in todo_now if p not in changed]
            todo_now = affected_by(changed)
            if not todo_now:
                break
        else:
            print("new_chapter: some notebooks are still stale; run `make execute`", file=sys.stderr)
    rel = nb_path.relative_to(ROOT)
    print(f"\nNext: replace the placeholder rows in data/curated/{args.table or args.slug}.csv and describe the "
          f"table in its schema,\nwrite the chapter in {rel} (`make lab`), then `make book` and `make test`.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
