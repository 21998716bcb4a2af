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

# Persian main headings as they appear in the extracted text -> English section names.
SECTIONS = {
    "مقدمه": "Introduction",
    "تمهیدات نظری": "Theory",
    "شکل گیری سازمان و تحولات آن": "Formation",
    "مراحل توسعه سازمان پیمان امنیت جمعی": "Stages",
    "نقش سازمان پیمان امنیت جمعی در امنیت اوراسیای مرکزی": "Role",
    "مشکلات و چالشهای سازمان پیمان امنیت جمعی": "Challenges",
    "بحران قرقیزستان": "Kyrgyz-crisis",
    "نتیجهگیری": "Conclusion",
    "منابع و مأخذ": "References",
}
STAGE_HEADINGS = {
    "مرحله حقوقی - قراردادی": 1,
    "مرحله رسمی و سازمانی": 2,
    "مرحله عملیاتی": 3,
    "مرحله وابستگی (همگرایی) بنیادین": 4,
}
SECTION_ORDER = ["Abstract", *SECTIONS.values()]
INDEX_PATH = Path(__file__).resolve().parent.parent / "data" / "raw" / "article" / "paragraph_index.csv"


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
        if line in SECTIONS:
            section, number, stage = SECTIONS[line], 0, None
            continue
        if section == "Stages" and line in STAGE_HEADINGS:
            stage = STAGE_HEADINGS[line]
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


if __name__ == "__main__":  # python -m bookkit.article ../shared/seed/<article>.txt
    paras = split(Path(sys.argv[1]).read_text(encoding="utf-8"))
    write_index(paras)
    if "--print" in sys.argv:
        for p in paras:
            print(f"{p.locator}{' (stage %d)' % p.stage if p.stage else ''}: {p.text}\n")
    print(f"wrote {INDEX_PATH} ({len(paras)} paragraphs)", file=sys.stderr)
