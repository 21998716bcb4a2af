"""python -m bookkit.dist: the offline downloads, written into ``_build/html/downloads/``.

- ``<name>-html.zip``: the built site (``_build/html`` without ``downloads/``), under one folder
  ``<name>-html/``: unzip it and open ``index.html``; everything works from file://, with no network.
- ``<name>-data.zip``: ``datapackage.json`` and the tables and schemas it describes (``data/curated``,
  ``data/tidy``, ``data/schemas``), under one folder ``<name>-data/``, plus every ``PROVENANCE.md`` and
  licence file under ``data/raw`` and the raw files smaller than ``RAW_LIMIT`` (1 MB): small extracts
  are what a derived table is rebuilt from, while a large raw download is better fetched from its
  publisher (its PROVENANCE.md says where). The repository's licence files and CITATION.cff go in too.
- ``<name>.pdf``: copied from ``_build/pdf/`` when the PDF edition was built (``python -m bookkit.pdf``).

The archives are deterministic: entries sorted by name, every timestamp set from SOURCE_DATE_EPOCH,
permissions fixed (0644), no extra fields, no directory entries, deflate at level 9. Two runs over the
same files give byte-identical archives.

``<name>`` is ``[tool.bookkit] datapackage_name`` in pyproject.toml, or else the repository's folder name.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from . import paths

RAW_LIMIT = 1_000_000  # bytes: raw files below this size travel in the data archive
LICENCE_NAME = re.compile(r"^(licen[cs]e|copying|notice)([._-].*)?$", re.I)
DATA_FOLDERS = ("curated", "tidy", "schemas")
ROOT_EXTRAS = ("CITATION.cff",)  # with the root's licence files (LICENSE, LICENSE-text, ...)


def edition_name() -> str:
    """The short name of the book's downloads and data package: ``datapackage_name`` or the folder's name."""
    name = paths.settings().get("datapackage_name") or paths.ROOT.name
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "book"


def source_date_epoch(root: Path | None = None) -> int:
    """The build's fixed date: SOURCE_DATE_EPOCH, else the release date in CITATION.cff, else 1980-01-01."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    cff = Path(root or paths.ROOT) / "CITATION.cff"
    found = re.search(r"^date-released:\s*\"?(\d{4}-\d{2}-\d{2})", cff.read_text(encoding="utf-8"), re.M) \
        if cff.exists() else None
    day = datetime.strptime(found.group(1), "%Y-%m-%d").replace(tzinfo=UTC) if found else datetime(1980, 1, 1, tzinfo=UTC)
    return int(day.timestamp())


def _zip_time(epoch: int) -> tuple:
    # Zip stores local time without a zone and cannot go below 1980: the UTC time, clamped.
    t = datetime.fromtimestamp(max(epoch, 315532800), tz=UTC)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def write_zip(out: Path, members: dict[str, Path], epoch: int | None = None) -> Path:
    """Write ``members`` (name in the archive -> file on disk) to ``out``, deterministically."""
    stamp = _zip_time(source_date_epoch() if epoch is None else epoch)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(members):
            if name.startswith("/") or ".." in name.split("/"):
                raise ValueError(f"refusing a non-relative archive name: {name}")
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3                 # Unix, so the permissions below mean what they say
            info.external_attr = 0o100644 << 16    # a regular file, rw-r--r--
            info.extra = b""
            zf.writestr(info, members[name].read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    tmp.replace(out)
    return out


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.startswith(".ipynb_checkpoints"))


def html_members(html: Path, prefix: str) -> dict[str, Path]:
    """Every file of the built site except ``downloads/``."""
    html = Path(html)
    if not (html / "index.html").exists():
        raise FileNotFoundError(f"{paths.rel(html)}/index.html is missing: build the HTML book first")
    return {f"{prefix}/{p.relative_to(html).as_posix()}": p for p in _files(html)
            if p.relative_to(html).parts[0] != "downloads"}


def _resource_paths(descriptor: dict) -> list[str]:
    out = []
    for res in descriptor.get("resources", []):
        for key in ("path", "schema", "dialect"):
            value = res.get(key)
            values = value if isinstance(value, list) else [value]
            out += [v for v in values if isinstance(v, str) and "://" not in v]
    return out


def data_members(root: Path, prefix: str, raw_limit: int = RAW_LIMIT) -> dict[str, Path]:
    """datapackage.json, every file it names, the tables and schemas, provenance and licences."""
    root = Path(root)
    package = root / "datapackage.json"
    if not package.exists():
        raise FileNotFoundError("datapackage.json is missing: run `python -m bookkit datapackage` first")
    data = root / "data"
    chosen: set[Path] = {package}
    for sub in DATA_FOLDERS:
        if (data / sub).is_dir():
            chosen.update(_files(data / sub))
    if (data / "raw").is_dir():
        for p in _files(data / "raw"):
            if p.name == "PROVENANCE.md" or LICENCE_NAME.match(p.name) or p.stat().st_size < raw_limit:
                chosen.add(p)
    chosen.update(p for p in root.iterdir() if p.is_file() and (LICENCE_NAME.match(p.name) or p.name in ROOT_EXTRAS))
    named = _resource_paths(json.loads(package.read_text(encoding="utf-8")))
    missing = [n for n in named if not (root / n).is_file()]
    if missing:
        raise FileNotFoundError(f"datapackage.json names files that do not exist: {missing[:5]}")
    chosen.update(root / n for n in named)
    return {f"{prefix}/{p.relative_to(root).as_posix()}": p for p in chosen}


def build_html_zip(out_dir: Path, html: Path | None = None, name: str | None = None,
                   epoch: int | None = None) -> Path:
    name = name or edition_name()
    return write_zip(Path(out_dir) / f"{name}-html.zip",
                     html_members(html or paths.BUILD / "html", f"{name}-html"), epoch)


def build_data_zip(out_dir: Path, root: Path | None = None, name: str | None = None,
                   epoch: int | None = None) -> Path:
    name = name or edition_name()
    return write_zip(Path(out_dir) / f"{name}-data.zip", data_members(root or paths.ROOT, f"{name}-data"), epoch)


def copy_pdf(out_dir: Path, pdf_dir: Path | None = None, name: str | None = None) -> Path | None:
    name = name or edition_name()
    pdf = Path(pdf_dir or paths.BUILD / "pdf") / f"{name}.pdf"
    if not pdf.exists():
        return None
    target = Path(out_dir) / pdf.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, target)
    os.utime(target, (source_date_epoch(),) * 2)
    return target


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bookkit.dist", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=paths.BUILD / "html" / "downloads", help="output folder")
    ap.add_argument("--name", default=None, help="the downloads' short name (default: edition_name())")
    ap.add_argument("--no-datapackage", action="store_true", help="do not regenerate datapackage.json first")
    args = ap.parse_args(argv)
    start = time.monotonic()
    if not args.no_datapackage:
        res = subprocess.run([sys.executable, "-m", "bookkit", "datapackage"], cwd=paths.ROOT,
                             capture_output=True, text=True)
        if res.returncode:
            print(res.stdout + res.stderr, file=sys.stderr)
            return res.returncode
    name = args.name or edition_name()
    try:
        written = [build_html_zip(args.out, name=name), build_data_zip(args.out, name=name)]
    except (FileNotFoundError, ValueError) as err:
        print(f"dist: {err}", file=sys.stderr)
        return 1
    pdf = copy_pdf(args.out, name=name)
    written += [pdf] if pdf else []
    note = "" if pdf else f"; no PDF (_build/pdf/{name}.pdf not built)"
    print(f"dist: {paths.rel(args.out)}: " + ", ".join(f"{p.name} {_size(p)}" for p in written)
          + f"{note}; {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
