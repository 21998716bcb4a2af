"""The book's own cell type: a locator in the source article ('§Formation ¶3'; several joined by '; ')."""
from __future__ import annotations

import re

from bookkit.types import CellType, register

from . import article

_LOCATOR = re.compile(r"§[A-Za-z-]+ ¶[0-9]+")


def _check_locators(values: set[str], field) -> dict[str, str]:
    counts = article.read_index()
    return {v: "" for v in values
            if not all(_LOCATOR.fullmatch(x) and article.resolves(x, counts) for x in v.split("; "))}


register(CellType("locator", "locator: '§Section ¶n' (joined by '; ') naming a real paragraph of the article",
                  None, _check_locators))
