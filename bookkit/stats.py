"""Size of a book, counted one way for its tests and its benchmark: words of prose, lines of code."""
from __future__ import annotations

import json
import re
from pathlib import Path


def markdown(path: Path) -> str:
    """The prose of a page (.md) or of a notebook's Markdown cells."""
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def prose(text: str) -> str:
    """Markdown without fenced code, directive fences and HTML tags."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"^\s*:::.*$", " ", text, flags=re.M)
    return re.sub(r"<[^>]+>", " ", text)


def word_count(path: Path) -> int:
    """Words of prose; a role such as {glue}`name` or {cite:p}`key` counts as one word."""
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", "X", prose(markdown(path)))
    return len(text.split())


RECORD = "application/papermill.record/"  # the prefix myst-nb's glue puts before a value's MIME types


def glue_outputs(nb: dict) -> dict[str, dict]:
    """{name: {MIME type: value}} of every value a notebook's stored outputs glue, the prefix removed."""
    store = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            scrapbook = out.get("metadata", {}).get("scrapbook", {})
            if scrapbook.get("name"):
                prefix = scrapbook.get("mime_prefix", RECORD)
                store[scrapbook["name"]] = {k.removeprefix(prefix): v for k, v in out.get("data", {}).items()}
    return store


def glued(path: Path) -> dict[str, str]:
    """{name: text} of every value a notebook's stored outputs glue (what ``put`` recorded)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {name: data.get("text/plain", "") for name, data in glue_outputs(nb).items()}


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def code_lines(path: Path) -> int:
    """Lines of code in a notebook, blank lines and comment lines left out."""
    return sum(1 for src in code_cells(path) for line in src.splitlines()
               if line.strip() and not line.strip().startswith("#"))
