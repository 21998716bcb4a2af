"""Sources a scholar accepts: every entry typed, one key per work, no fact on weak sources alone.

- Every bibliography entry has a `sourcetype` from the book's list.
- One key per work: no two entries share a web address or a DOI. The article's own reference list
  (type `subject`: the items as the article prints them, errors included) is exempt; the book cites
  the published works themselves under their own keys.
- No data row rests only on weak sources (state media, propaganda outlets, aggregators, mirrors):
  validation refuses such a row (tested here on a real table), so every table passes only if each of
  its rows cites an independent source.
"""
import re

import pytest

from bookkit import bib
from bookkit.paths import ROOT, settings
from bookkit.schema import get_schema
from bookkit.validate import DatasetError, validate_file

TYPES = {"official", "scholarly", "dataset", "think_tank", "wire_agency", "state_wire_agency", "newspaper",
         "state_media", "propaganda", "aggregator", "mirror", "encyclopedia", "subject"}


def _norm(url: str) -> str:
    url = re.sub(r"^https?://(www\.|m\.)?", "", url.strip().lower()).rstrip("/")
    return url.replace("/amp/", "/")


def test_every_source_has_a_type():
    entries = bib.entries()
    untyped = [k for k, e in entries.items() if e.get("sourcetype") not in TYPES]
    assert not untyped, untyped
    assert set(settings()["weak_source_types"]) <= TYPES


def test_one_key_per_work():
    seen: dict[str, str] = {}
    twice = []
    for key, e in sorted(bib.entries().items()):
        if e.get("sourcetype") == "subject":
            continue
        for ident in filter(None, [_norm(e.get("url", "")), e.get("doi", "").lower()]):
            if ident in seen:
                twice.append(f"{seen[ident]} and {key}: {ident}")
            seen[ident] = key
    assert not twice, twice


def test_a_row_resting_only_on_weak_sources_is_refused(tmp_path):
    schema = get_schema("post_2011_events")
    weak = sorted(k for k, e in bib.entries().items() if e.get("sourcetype") in settings()["weak_source_types"])
    assert weak, "no weak source to test with"
    lines = schema.path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    import csv
    import io
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    rows[1][header.index("source")] = weak[0]
    path = tmp_path / schema.path.name
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DatasetError, match="at least one source that is not of a weak type"):
        validate_file(path, schema)


def test_the_references_page_lists_every_bibliography_file():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    missing = [p.name for p in sorted((ROOT / "book/references").glob("*.bib")) if f"book/references/{p.name}" not in config]
    assert not missing, f"bib files not in _config.yml bibtex_bibfiles: {missing}"
