"""Tables for notebook outputs: full text, words for codes, column titles from the schema.

``show(df, table="name", caption=...)`` is what chapters use: coded columns of the named table appear
as their labels and every column under its schema title; nothing is truncated. With ``filter=True`` the
table also gets a row filter and sortable columns in the rendered book.

``interactive(df, caption=...)`` returns an object that Jupyter displays as a plain HTML ``<table>``
(so it is readable everywhere, also with JavaScript off or in an untrusted notebook) followed by a
small inline script that adds two things in the rendered book: a text box that keeps only the rows
containing what is typed, and column headers that sort the rows when clicked (click again to reverse).

The output is deterministic: the element id is a hash of the table's content, so re-running the
notebook gives byte-identical HTML and nbval can compare it.
"""
from __future__ import annotations

import hashlib
import html

import pandas as pd

from .labels import titles
from .schema import get_schema

# One shared script, repeated in each output so the table works on its own page (kept deliberately small).
_SCRIPT = """(function(){var w=document.getElementById('%(id)s');if(!w)return;
var t=w.querySelector('table'),b=t.tBodies[0],rows=[].slice.call(b.rows),f=w.querySelector('input'),
n=w.querySelector('.bk-count'),ths=[].slice.call(t.tHead.rows[0].cells);
function show(){var q=f.value.toLowerCase(),k=0;rows.forEach(function(r){var v=r.textContent.toLowerCase().indexOf(q)>-1;
r.hidden=!v;if(v)k++;});n.textContent=k+' of '+rows.length+' rows';}
f.addEventListener('input',show);
ths.forEach(function(th,i){var btn=th.querySelector('button');btn.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending';ths.forEach(function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
rows.sort(function(a,c){var x=a.cells[i].textContent,y=c.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y),
r=(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x.trim()&&String(ny)===y.trim())?nx-ny:x.localeCompare(y);return asc?r:-r;});
rows.forEach(function(r){b.appendChild(r);});});});show();})();"""

_STYLE = (".bk-table{max-height:32em;overflow:auto;border:1px solid #ddd}"
          ".bk-table table{border-collapse:collapse;font-size:0.85em}"
          ".bk-table .bk-wide{min-width:24em}"
          ".bk-table:focus-visible{outline:2px solid #0072B2;outline-offset:2px}"
          ".bk-table th,.bk-table td{border-bottom:1px solid #e5e5e5;padding:4px 6px;text-align:left;vertical-align:top;"
          "max-width:30em;overflow-wrap:break-word}"
          ".bk-table thead th{position:sticky;top:0;background:#f5f5f5}"
          ".bk-table th button{all:unset;cursor:pointer;font-weight:bold}"
          ".bk-table th[aria-sort=ascending] button::after{content:' \\25B2'}"
          ".bk-table th[aria-sort=descending] button::after{content:' \\25BC'}")


class InteractiveTable:
    """What ``interactive`` returns; Jupyter shows ``_repr_html_`` (and ``__repr__`` as plain text)."""

    def __init__(self, html_text: str, plain: str):
        self._html = html_text
        self._plain = plain

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return self._plain


def _cell(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def interactive(df: pd.DataFrame, *, caption: str, label: str = "Filter rows",
                wide: tuple[str, ...] = (), filter: bool = True) -> InteractiveTable:
    """An HTML table of ``df`` (index not shown) with a row filter and sortable columns.

    ``wide`` names the columns of long text that should get room (at least 24 em) instead of being
    squeezed; the table then scrolls sideways inside its box on narrow pages.
    """
    cols = [str(c) for c in df.columns]
    body = [[_cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    digest = hashlib.sha256(repr((caption, cols, body, tuple(wide))).encode("utf-8")).hexdigest()[:12]
    tid = f"bk-table-{digest}"
    cls = [' class="bk-wide"' if c in wide else "" for c in cols]
    head = "".join(f'<th scope="col"{k}><button type="button">{html.escape(c)}</button></th>'
                   for c, k in zip(cols, cls))
    rows = "".join("<tr>" + "".join(f"<td{k}>{html.escape(v)}</td>" for v, k in zip(r, cls)) + "</tr>"
                   for r in body)
    controls = (f'<label>{html.escape(label)}: <input type="search" aria-controls="{tid}-t"></label> '
                f'<span class="bk-count" aria-live="polite">{len(body)} rows</span>') if filter else ""
    if not filter:
        head = "".join(f'<th scope="col"{k}>{html.escape(c)}</th>' for c, k in zip(cols, cls))
    text = (f'<style>{_STYLE}</style>'
            f'<div id="{tid}" class="bk-table-wrap">{controls}'
            # The box scrolls: keyboard users must be able to focus it (tabindex), and hear what it is.
            f'<div class="bk-table{"" if filter else " bk-static"}" tabindex="0" role="region" '
            f'aria-label="{html.escape(caption)}"><table id="{tid}-t">'
            f'<caption>{html.escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></div>'
            + (f'<script>{_SCRIPT % {"id": tid}}</script>' if filter else ""))
    plain = f"<table '{caption}': {len(body)} rows x {len(cols)} columns>"
    return InteractiveTable(text, plain)


def show(df: pd.DataFrame, *, caption: str, table: str | None = None, rename: dict[str, str] | None = None,
         filter: bool = False, wide: tuple[str, ...] = ()) -> InteractiveTable:
    """A table for readers: labels for codes and schema titles for columns (of ``table``), full text.

    ``rename`` overrides titles for columns computed in the notebook. Index is not shown.
    """
    out = df.reset_index(drop=True).copy()
    heads = {}
    if table:
        schema = get_schema(table)
        heads = titles(table)
        for f in schema.fields:
            if f.name in out.columns and f.categories is not None:
                words = {c.value: c.label for c in f.categories}
                out[f.name] = out[f.name].map(lambda v, w=words: w.get(v, v) if isinstance(v, str) else v)
    heads.update(rename or {})
    out = out.rename(columns=heads)
    return interactive(out, caption=caption, filter=filter, wide=tuple(heads.get(w, w) for w in wide))
