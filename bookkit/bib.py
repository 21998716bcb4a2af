"""The bibliography (``book/references/*.bib``) as the engine needs it: keys and a few fields.

A small reader, not a BibTeX library: it finds each entry's key and its ``field = {...}`` or
``field = "..."`` values (braces balanced), enough to check that a row's source keys exist, what type
of source each is (``sourcetype``), and that no work is entered twice.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import paths

_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_FIELD = re.compile(r"\s*([A-Za-z_-]+)\s*=\s*")


def _value(text: str, i: int) -> tuple[str, int]:
    """Read a braced, quoted or bare value starting at ``text[i]``; return (value, next index)."""
    if text[i] == "{":
        depth, j = 0, i
        while j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return text[i + 1:j], j + 1
            j += 1
        raise ValueError("unbalanced braces")
    if text[i] == '"':
        j = text.index('"', i + 1)
        return text[i + 1:j], j + 1
    m = re.match(r"[^,}\s]+", text[i:])
    return m.group(0), i + m.end()


def parse(text: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for m in _ENTRY.finditer(text):
        fields: dict[str, str] = {"ENTRYTYPE": m.group(1).lower()}
        i = m.end()
        while True:
            f = _FIELD.match(text, i)
            if not f:
                break
            value, i = _value(text, f.end())
            fields[f.group(1).lower()] = " ".join(value.split())
            rest = re.match(r"\s*,?", text[i:])
            i += rest.end()
        out[m.group(2)] = fields
    return out


@lru_cache(maxsize=1)
def entries() -> dict[str, dict[str, str]]:
    """Every entry of every .bib file: key -> fields (lower-case names). A repeated key is an error."""
    out: dict[str, dict[str, str]] = {}
    for bib in sorted(paths.REFERENCES.glob("*.bib")):
        for key, fields in parse(bib.read_text(encoding="utf-8")).items():
            if key in out:
                raise ValueError(f"BibTeX key {key!r} is defined in {out[key]['FILE']} and {bib.name}")
            out[key] = {**fields, "FILE": bib.name}
    return out


def keys() -> frozenset[str]:
    return frozenset(entries())


def weak_types() -> frozenset[str]:
    """Source types that cannot carry a fact alone (settings: weak_source_types)."""
    return frozenset(paths.settings().get("weak_source_types", []))
