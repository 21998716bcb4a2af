"""The prose: within its length, its numbers from the data, its words not codes.

- The book's prose (markdown cells and Markdown pages) stays within 18,500 words.
- A number in prose is glued from the data. Digits may appear only in article locators (§Role ¶2),
  chapter and treaty-article numbers, UN resolution numbers, years (used as names: "the 2010 crisis"),
  file paths and code examples. Figures written as words ("a fifth", "six months apart") fail too.
- No code names in prose: no snake_case identifiers or dotted module paths, in or out of backticks
  (file paths are fine). The data-and-methods and build pages, which explain the code, are exempt.
"""
import re

import pytest

from bookkit.paths import BOOK
from bookkit.stats import glued, markdown, prose, word_count

MAX_WORDS = 18_500
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
PAGES = sorted(BOOK.glob("*.md"))
EXPLAINS_CODE = {"12_data_methods", "12b_build_info", "intro"}




def test_the_prose_stays_within_its_length():
    counts = {p.name: word_count(p) for p in NOTEBOOKS + PAGES}
    total = sum(counts.values())
    print(f"prose: {total} words; " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    assert total <= MAX_WORDS, f"{total} words of prose (limit {MAX_WORDS}): {counts}"


ALLOWED_NUMBERS = [
    r"\{[a-z:]+\}`[^`]*`",                                       # roles: glue, cite, numref, doc
    r"`[^`]*`",                                                  # inline code (checked below for codes)
    r"\[[^\]]*\]\([^)]*\)",                                      # links
    r"https?://\S+",
    r"§[A-Za-z-]+ ¶[0-9]+(?:[–-]¶?[0-9]+)?(?:, ¶[0-9]+(?:[–-]¶?[0-9]+)?)*",  # article locators
    r"¶[0-9]+(?:[–-]¶?[0-9]+)?",
    r"\b[Cc]hapters? [0-9]+[a-z]?(?:(?:,| and| to|–|-) ?[0-9]+[a-z]?)*",
    r"\bArticles? [0-9]+(?: and [0-9]+)?",
    r"\b(?:A/RES/)?(?:ES-11/[0-9]+|[0-9]{2}/[0-9]{3})",          # UN resolutions
    r"\b(?:1[89][0-9]{2}|20[0-3][0-9])s?\b",                      # years, used as names
    r"\bF[0-9]\b|\bT[0-9]{1,2}\b|\bR[12]\b|\bH[ab]\b",            # ids of functions, tests, readings
    r"\b[0-9]{2,4}(?:st|nd|rd|th) (?:base|division|brigade|Airborne|Air Assault)",  # unit names
    r"(?m)^# [0-9]+[a-z]?\. ",                                  # a chapter's number in its title
    r"\b(?:Python|Attribution|Dataset|world-atlas|BSD-)[ ]?[0-9][0-9.]*",  # versions of tools and licences
]
FIGURE_WORDS = re.compile(r"\b(?:a (?:fifth|quarter|third|half) of|(?:one|two|three|four|five|six|seven|eight|"
                          r"nine|ten|eleven|twelve) (?:days|weeks|months|years) (?:apart|later|earlier|after))\b", re.I)


def _stray_numbers(text: str) -> list[str]:
    text = prose(text)
    for pattern in ALLOWED_NUMBERS:
        text = re.sub(pattern, " ", text)
    return re.findall(r"(?<![\w.])\d[\d,.]*\b", text)


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=[p.stem for p in NOTEBOOKS + PAGES])
def test_numbers_in_prose_are_glued(path):
    if path.stem in {"12_data_methods", "12b_build_info", "13_references"}:
        pytest.skip("explains files and commands")
    text = markdown(path)
    stray = _stray_numbers(text)
    words = FIGURE_WORDS.findall(prose(text))
    assert not stray and not words, f"{path.name}: typed numbers {stray[:12]} or figures in words {words}"


CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+\.[a-z_]+\.[a-z_]+\b")


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=[p.stem for p in NOTEBOOKS + PAGES])
def test_no_code_names_in_prose(path):
    if path.stem in EXPLAINS_CODE:
        pytest.skip("explains the code")
    text = prose(markdown(path))
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", " ", text)              # glue names and cite keys are not prose
    text = re.sub(r"`[^`]*/[^`]*`", " ", text)                   # file paths in backticks
    text = re.sub(r"https?://\S+|\([^)]*\.(?:ipynb|md|html)[^)]*\)", " ", text)
    found = sorted(set(CODE.findall(text)))
    assert not found, f"{path.name}: code names in prose: {found}"


# "up to {glue}`horizon`." is a year in the prose; glued as a plain integer it would read "2,011".
YEAR_SLOT = re.compile(r"\b(?:up to|until|since|in|by|before|after|through|from|to) \{glue(?::md|:text)?\}`([^`]+)`"
                       r"(?=[,.;:)]|\s*$|\s+(?:and|or|the|on|when|while|but)\b)", re.M)
SEPARATED_YEAR = re.compile(r"(?:1,[89]|2,[01])\d{2}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_glued_year_has_no_thousands_separator(path):
    values = glued(path)
    slots = YEAR_SLOT.findall(prose(markdown(path)))
    wrong = sorted({f"{n} = {values[n]}" for n in slots if SEPARATED_YEAR.fullmatch(values.get(n, ""))})
    assert not wrong, f"{path.name}: years glued with a thousands separator (put(..., fmt='d')): {wrong}"
