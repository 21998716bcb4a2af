"""Locate paragraphs in the source article so citations like (Taghvaei, §Formation ¶3) resolve.

The article text itself is not part of this repository (it is not ours to redistribute).
What the repository keeps is `data/raw/article/paragraph_index.csv`: one row per paragraph with
its section, paragraph number, length and a short hash, so locators can be checked without the
text.  `python -m bookkit.article PATH_TO_ARTICLE` rebuilds that index from the text.

Counting rule (from the book brief): a paragraph is a non-empty line; the count restarts after
each main section heading; the four stage sub-headings inside §Stages are headings, not
paragraphs; the title and author line before the abstract are not paragraphs.
"""
from __future__ import annotations

import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from bookkit import paths
from bookkit.loader import record

# Main headings, identified by the first 16 hex digits of the SHA-256 of the heading line, so that
# no Persian text of the article needs to live in this repository. English names as in the brief:
# مقدمه -> Introduction, تمهیدات نظری -> Theory, and so on (see the book's data and methods page).
SECTIONS = {
    "39d890c1efad477e": "Introduction",
    "81c96b9a8064f8ca": "Theory",
    "3e8a737802005d5f": "Formation",
    "759e81b319a6c049": "Stages",
    "253caac19fd9cef2": "Role",
    "fa4f4c603a2a781a": "Challenges",
    "3eeab71035e61af3": "Kyrgyz-crisis",
    "f4d0bf23fac7efed": "Conclusion",
    "2ae46ea0f6fb1ec1": "References",
}
# The four stage sub-headings inside §Stages (legal-contractual, formal-institutional,
# operational, fundamental interdependence).
STAGE_HEADINGS = {
    "d75ebeea9f3c206a": 1,
    "aad1dfbac4c020e0": 2,
    "54e781143f4b7d87": 3,
    "51db33b481fe3ee9": 4,
}
SECTION_ORDER = ["Abstract", *SECTIONS.values()]
INDEX_PATH = paths.RAW / "article" / "paragraph_index.csv"


@dataclass(frozen=True)
class Paragraph:
    section: str
    number: int
    stage: int | None  # 1-4 inside §Stages, else None
    text: str

    @property
    def locator(self) -> str:
        return f"§{self.section} ¶{self.number}"


def split(text: str) -> list[Paragraph]:
    """Split the article into numbered paragraphs, section by section."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    # The first line is the title (identical to the §Role heading), the second the author.
    body = lines[2:]
    section, number, stage, out = "Abstract", 0, None, []
    for line in body:
        key = hashlib.sha256(line.encode("utf-8")).hexdigest()[:16]
        if key in SECTIONS:
            section, number, stage = SECTIONS[key], 0, None
            continue
        if section == "Stages" and key in STAGE_HEADINGS:
            stage = STAGE_HEADINGS[key]
            continue
        number += 1
        out.append(Paragraph(section, number, stage, line))
    return out


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def write_index(paragraphs: list[Paragraph], path: Path = INDEX_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["section", "paragraph", "stage", "characters", "sha256_12"])
        for p in paragraphs:
            w.writerow([p.section, p.number, p.stage or "", len(p.text), short_hash(p.text)])


def read_index(path: Path = INDEX_PATH) -> dict[str, int]:
    """Number of paragraphs per section, from the committed index."""
    record(path)
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            counts[row["section"]] = max(counts.get(row["section"], 0), int(row["paragraph"]))
    return counts


def resolves(locator: str, counts: dict[str, int] | None = None) -> bool:
    """True if a locator such as '§Formation ¶3' names a real paragraph."""
    counts = counts or read_index()
    try:
        sec, par = locator.strip().split(" ")
        return sec.startswith("§") and par.startswith("¶") and 1 <= int(par[1:]) <= counts[sec[1:]]
    except (ValueError, KeyError):
        return False


if __name__ == "__main__":  # python -m csto.article ../shared/seed/<article>.txt
    paras = split(Path(sys.argv[1]).read_text(encoding="utf-8"))
    write_index(paras)
    if "--print" in sys.argv:
        for p in paras:
            print(f"{p.locator}{f' (stage {p.stage})' if p.stage else ''}: {p.text}\n")
    print(f"wrote {INDEX_PATH} ({len(paras)} paragraphs)", file=sys.stderr)


def latest_access():
    """The latest date on which the article's author accessed a web source of the reference list.

    It bounds what the author could have known (the article gives no date of its own): the book's
    'evidence up to 2011' horizon. The list writes access dates year/day/month (e.g. 2011/27/9).
    """
    import re

    import pandas as pd

    from bookkit import bib

    dates = []
    for key, fields in bib.entries().items():
        if key.startswith("ref"):
            for y, d, m in re.findall(r"\"(\d{4})/(\d{1,2})/(\d{1,2})\"", " ".join(fields.values())):
                dates.append(pd.Timestamp(year=int(y), month=int(m), day=int(d)))
    return max(dates)
