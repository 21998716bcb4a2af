"""python -m bookkit.pdf: the PDF edition, printed by Chromium from the single-page build.

Input: ``_build/singlehtml`` (``jupyter-book build . --builder singlehtml --all``). Output:
``_build/pdf/<name>.pdf`` (``<name>``: see ``bookkit.dist.edition_name``).

How it is made:
1. Debian's Chromium, driven by Playwright, opens the single page from file:// with every request that
   is not file:, data: or blob: blocked (the build is offline; nothing is fetched). Print media and the
   light colour scheme are emulated from the start, with the print stylesheet below already adopted, so
   the charts are laid out once, by the site's own renderer (Vega, SVG), at the width of the printed
   text column. The build waits until every ``div.bookkit-chart`` says ``data-rendered="ok"`` and fails,
   naming them, if some do not.
2. The page is prepared for paper: a title page (title and author from ``_config.yml``; a citation
   built from ``CITATION.cff``; the edition's date from SOURCE_DATE_EPOCH; the source work, i.e. the
   first entry of CITATION.cff's ``references``, with its entry from the book's own bibliography, which
   carries the original-language title and author), a table of contents, links rewritten to point
   inside the document, each chapter on a new page.
3. Two passes: the book is printed once; pypdf finds the page on which each chapter heading starts; the
   page numbers are written into the table of contents (whose layout does not depend on them: one line
   per entry, a fixed-width number box) and the book is printed again. The numbers are checked.
4. pypdf rewrites the document information (title, author, dates from SOURCE_DATE_EPOCH), drops any
   XMP packet, sets the file identifier to a hash of the content and cleans the outline's titles.
   Chromium's own output differs between runs only in its dates, which this replaces, so two builds of
   the same input usually give the same bytes. Not always: in about one build in five (measured on
   Chromium 156), a layout race in Chromium puts the baseline of one inline code span half a pixel
   lower, or splits one link's rectangle in two; the pages look the same.

The engine knows nothing about any book: everything printed comes from the build and the files above.
If Chromium (or Playwright) is missing, the PDF is skipped with a message and the exit status is 0.
"""
from __future__ import annotations

import argparse
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import paths
from .dist import edition_name, source_date_epoch

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ALLOWED = ("file:", "data:", "blob:")
# A4 with 18 mm side margins: the text column is 174 mm = 658 CSS px (96 px per inch).
MARGIN = {"top": "20mm", "bottom": "20mm", "left": "18mm", "right": "18mm"}
COLUMN_PX = round((210 - 18 - 18) / 25.4 * 96)
CHART_TIMEOUT_MS = 120_000

# The print stylesheet, adopted by the document before any of its scripts run (see _open). The screen
# look of the site is not touched: this sheet exists only in the browser that prints.
PRINT_CSS = r"""
@page { size: A4; }
/* nothing moves: a transition or animation caught half-way would print differently from one build to the next */
*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }
/* Arabic-script text (e.g. Persian) in a face that has its glyphs, before any other face: the
   unicode-range keeps Latin text in the theme's fonts. Debian: fonts-noto-core. */
@font-face { font-family: "Bookkit Arabic Script"; font-weight: 100 599;
  src: local("Noto Naskh Arabic"), local("Noto Naskh Arabic Regular"), local("NotoNaskhArabic-Regular"),
       local("Noto Sans Arabic"), local("NotoSansArabic-Regular");
  unicode-range: U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF; }
@font-face { font-family: "Bookkit Arabic Script"; font-weight: 600 900;
  src: local("Noto Naskh Arabic Bold"), local("NotoNaskhArabic-Bold"), local("Noto Sans Arabic Bold"),
       local("NotoSansArabic-Bold");
  unicode-range: U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF; }
:root {
  --pst-font-family-base: "Bookkit Arabic Script", var(--pst-font-family-base-system);
  --pst-font-family-heading: "Bookkit Arabic Script", var(--pst-font-family-base-system);
}
html, body { font-family: var(--pst-font-family-base); font-size: 10.5pt; background: #fff !important; }
:lang(fa), :lang(ar), :lang(ur), :lang(ps), :lang(ckb), :lang(ug), :lang(sd) {
  font-family: "Bookkit Arabic Script", "Noto Naskh Arabic", "Noto Sans Arabic", var(--pst-font-family-base-system);
}

/* the theme's chrome: navigation, sidebars, buttons, search, footers */
#pst-skip-link, #pst-back-to-top, #pst-search-dialog, .bd-header, .bd-header-article, .bd-sidebar-primary,
.bd-sidebar-secondary, .bd-sidebar, .prev-next-area, .prev-next-footer, .bd-footer, .bd-footer-article,
.bd-footer-content, footer, .search-button-field, .sidebar-toggle, .theme-switch-button, button,
.headerlink, a.headerlink, #jb-print-docs-body, .pst-async-banner-revealer, dialog,
.copybtn, .toggle-button, .article-header-buttons { display: none !important; }
/* the folded code behind each output, and the charts' on-screen extras: data table, CSV link, menu */
details.hide.above-input, details.above-input, .cell_input.hide, .bookkit-chart-data, .bookkit-chart-details,
.bookkit-chart-download, .vega-embed > details, .vega-embed .vega-actions, .vega-actions { display: none !important; }

/* one column, the full width of the page */
.bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content, .bd-article-container,
.bd-article, main { max-width: none !important; width: auto !important; margin: 0 !important;
  padding: 0 !important; display: block !important; }
.bd-main .bd-content .bd-article h1:first-of-type { display: block; }

/* scrolling boxes print in full */
div.cell_output, .output, .output_area, .cell_output .output.text_html, .bookkit-chart, .vega-embed,
.table-wrapper, .pst-scrollable-table-container, pre, .highlight, div[style*="overflow"], div[style*="max-height"] {
  max-height: none !important; overflow: visible !important; }
table { max-width: 100%; font-size: 8.5pt; }
/* a long table may run over pages (the theme keeps every table whole, leaving pages half empty); its
   rows stay whole and its header repeats */
.bd-main .bd-content table, table { break-inside: auto !important; page-break-inside: auto !important; }
table tr { break-inside: avoid; page-break-inside: avoid; }
table thead { display: table-header-group; }
table td, table th { overflow-wrap: break-word; }
pre { white-space: pre-wrap !important; font-size: 8pt; }

/* figures: number, chart and caption together; vector charts kept within the column */
figure, .bookkit-print-figure { break-inside: avoid; page-break-inside: avoid; }
figure figcaption { break-before: avoid; }
.bookkit-chart svg { max-width: 100%; height: auto; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; color: #000 !important; }
a { color: inherit !important; text-decoration: none !important; }
.bookkit-print-chapter { break-before: page; page-break-before: always; }

/* the title page and the table of contents */
.bookkit-titlepage { break-after: page; page-break-after: always; padding-top: 30mm; }
.bookkit-titlepage .bookkit-title { font-size: 24pt; font-weight: 600; line-height: 1.2; margin: 0 0 8mm; }
.bookkit-titlepage .bookkit-author { font-size: 14pt; margin: 0 0 4mm; }
.bookkit-titlepage .bookkit-edition { font-size: 11pt; color: #333; margin: 0 0 18mm; }
.bookkit-titlepage .bookkit-label { font-weight: 600; margin: 6mm 0 1mm; font-size: 10pt;
  text-transform: uppercase; letter-spacing: 0.04em; color: #333; }
.bookkit-titlepage p, .bookkit-titlepage dd, .bookkit-titlepage dt { font-size: 10pt; }
.bookkit-titlepage dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 5mm; margin: 0; }
.bookkit-titlepage dt { font-weight: 600; } .bookkit-titlepage dd { margin: 0; }
.bookkit-toc { break-after: page; page-break-after: always; }
.bookkit-toc h2 { font-size: 18pt; margin: 0 0 6mm; }
.bookkit-toc ol { list-style: none; margin: 0; padding: 0; }
.bookkit-toc li { margin: 0; padding: 0; line-height: 1.5; }
.bookkit-toc li.bookkit-toc-part { font-weight: 600; margin-top: 3mm; font-size: 9.5pt; text-transform: uppercase;
  letter-spacing: 0.04em; color: #333; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.bookkit-toc a { display: flex; align-items: baseline; white-space: nowrap; }
.bookkit-toc .bookkit-toc-title { overflow: hidden; text-overflow: ellipsis; flex: 0 1 auto; }
.bookkit-toc .bookkit-toc-dots { flex: 1 1 auto; border-bottom: 1px dotted #777; margin: 0 2mm; min-width: 6mm; }
.bookkit-toc .bookkit-toc-page { flex: 0 0 3em; text-align: right; font-variant-numeric: tabular-nums; }
.bookkit-toc .bookkit-toc-l2 a { padding-left: 6mm; font-size: 0.95em; }
.bookkit-toc .bookkit-toc-l3 a { padding-left: 12mm; font-size: 0.9em; }
"""

HEADER = "<div></div>"  # an empty header: Chromium's default prints the date and the file's address
FOOTER = ('<div style="width:100%;font-size:8pt;font-family:sans-serif;color:#444;text-align:center;">'
          '<span class="pageNumber"></span></div>')
PLACEHOLDER = "000"

# Runs in the page after the charts are drawn. Returns the table of contents as a list of entries.
PREPARE_JS = r"""
(args) => {
  const article = document.querySelector("article.bd-article") || document.querySelector("[role=main]") || document.body;
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const headingText = (h) => { const c = h.cloneNode(true); c.querySelectorAll(".headerlink").forEach((e) => e.remove()); return norm(c.textContent); };

  // 1. links: Sphinx's single page writes "page.html#id" for targets that are on this very page
  document.querySelectorAll("a[href]").forEach((a) => {
    const href = a.getAttribute("href"); const i = href.indexOf("#");
    if (i < 0 || /^[a-z][a-z0-9+.-]*:/i.test(href)) { return; }
    const id = decodeURIComponent(href.slice(i + 1));
    if (id && document.getElementById(id)) { a.setAttribute("href", "#" + href.slice(i + 1)); }
  });
  // a link to a local file (a download of the site, another build) means nothing on paper, and would
  // write this machine's paths into the PDF: its text stays, the link goes
  document.querySelectorAll("a[href]").forEach((a) => {
    if (!a.getAttribute("href").startsWith("#") && a.protocol === "file:") { a.removeAttribute("href"); }
  });

  // 2. the documents of the book, in order: the root section, then each "document-…" marker's section
  const docs = [];
  const root = article.querySelector("section");
  if (root) { docs.push({ id: root.id, section: root }); }
  document.querySelectorAll('span[id^="document-"]').forEach((span) => {
    let s = span.nextElementSibling; while (s && s.tagName !== "SECTION") { s = s.nextElementSibling; }
    if (s) { docs.push({ id: span.id, section: s }); }
  });
  // part captions, where the theme printed the book's toctree (Jupyter Book: #jb-print-toc)
  const parts = {};
  document.querySelectorAll("#jb-print-toc p.caption").forEach((cap) => {
    let ul = cap.nextElementSibling;
    if (ul && ul.tagName === "UL") {
      ul.querySelectorAll("a[href^='#']").forEach((a) => { parts[decodeURIComponent(a.getAttribute("href").slice(1))] = norm(cap.textContent); });
    }
  });
  const entries = [];
  docs.forEach((d) => {
    const h = d.section.querySelector("h1, h2, h3, h4, h5, h6");
    if (!h) { return; }
    entries.push({ id: d.section.id || d.id, anchor: d.id, text: headingText(h), tag: h.tagName, section: d.section, part: parts[d.id] || "" });
  });
  const levels = entries.slice(1).map((e) => +e.tag[1]);
  const top = levels.length ? Math.min(...levels) : 1;
  entries.forEach((e, i) => {
    e.level = i === 0 ? 1 : Math.max(1, +e.tag[1] - top + 1);
    if (e.level === 1) { e.section.classList.add("bookkit-print-chapter"); }
  });
  // heading levels for the PDF outline: each document's headings counted from its own title, so the
  // root document's title and every chapter's title are peers (level 1)
  entries.forEach((e) => {
    const offset = +e.tag[1] - e.level;
    e.section.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((h) => {
      h.setAttribute("aria-level", String(Math.max(1, +h.tagName[1] - offset)));
    });
  });

  // Arabic-script runs quoted in other text are isolated (bidi), so «title» (name) keeps its order
  const ARABIC = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF";
  const quoted = new RegExp("([«\u201c\"(\\[])([" + ARABIC + "][" + ARABIC + "\u200c\u200d\\s.,،:؛]*[" + ARABIC + "])(?=[»\u201d\")\\]])", "g");
  const isolate = (scope, lang) => {
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, { acceptNode: (n) =>
      n.parentElement && n.parentElement.closest("svg, script, style, pre, code, textarea") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    const nodes = []; while (walker.nextNode()) { if (/[\u0600-\u06FF]/.test(walker.currentNode.nodeValue)) { nodes.push(walker.currentNode); } }
    nodes.forEach((n) => {
      const t = n.nodeValue; quoted.lastIndex = 0; if (!quoted.test(t)) { return; } quoted.lastIndex = 0;
      const frag = document.createDocumentFragment(); let last = 0, m;
      while ((m = quoted.exec(t))) {
        const start = m.index + m[1].length;
        frag.append(t.slice(last, start));
        const span = document.createElement("span"); span.dir = "rtl"; span.textContent = m[2];
        if (lang) { span.lang = lang; }
        frag.append(span); last = start + m[2].length;
      }
      frag.append(t.slice(last)); n.replaceWith(frag);
    });
  };
  isolate(article, "");

  // 3. the title page, with the source work's entry from the bibliography
  const title = document.createElement("section");
  title.className = "bookkit-titlepage";
  title.innerHTML = args.titlepage;
  const slot = title.querySelector(".bookkit-source-entry");
  if (slot && args.sourceTitle) {
    const want = norm(args.sourceTitle).toLowerCase();
    const items = Array.from(document.querySelectorAll('[role="doc-biblioentry"], .citation, dd, li'));
    const hit = items.find((el) => norm(el.textContent).toLowerCase().includes(want) && el.closest(".bookkit-titlepage") === null);
    if (hit) {
      const p = (hit.querySelector("p") || hit).cloneNode(true);
      p.querySelectorAll("a").forEach((a) => a.replaceWith(...a.childNodes));
      slot.innerHTML = p.innerHTML;
      isolate(slot, args.sourceLang);
      if (args.sourceLang) {     // the source's language on its runs of Arabic script (font, shaping)
        slot.querySelectorAll("span[dir=rtl]").forEach((span) => { span.lang = args.sourceLang; });
      }
    } else { slot.remove(); }
  } else if (slot) { slot.remove(); }

  // 4. the table of contents: one line per entry, a fixed-width box for the page number
  const toc = document.createElement("nav");
  toc.className = "bookkit-toc"; toc.setAttribute("aria-labelledby", "bookkit-toc-title");
  const h = document.createElement("h2"); h.id = "bookkit-toc-title"; h.textContent = args.tocTitle;
  h.setAttribute("aria-level", "1"); toc.append(h);
  const ol = document.createElement("ol"); toc.append(ol);
  let part = null;
  entries.forEach((e, i) => {
    if (e.part && e.part !== part) {
      const li = document.createElement("li"); li.className = "bookkit-toc-part"; li.textContent = e.part; ol.append(li);
    }
    if (e.level === 1) { part = e.part; }
    const li = document.createElement("li"); li.className = "bookkit-toc-l" + Math.min(e.level, 3);
    const a = document.createElement("a"); a.href = "#" + (e.section.id || e.anchor);
    const t = document.createElement("span"); t.className = "bookkit-toc-title"; t.textContent = e.text;
    const dots = document.createElement("span"); dots.className = "bookkit-toc-dots";
    const n = document.createElement("span"); n.className = "bookkit-toc-page"; n.textContent = args.placeholder;
    a.append(t, dots, n); li.append(a); ol.append(li);
  });
  const first = article.firstElementChild;
  article.insertBefore(title, first); article.insertBefore(toc, first);
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
    .filter((x) => x.offsetParent !== null).map(headingText);
  return { toc: entries.map((e) => ({ text: e.text, level: e.level, id: e.section.id || e.anchor })), headings };
}
"""


@dataclass
class Result:
    path: Path | None
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    toc: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    charts: int = 0
    script_errors: list = field(default_factory=list)
    skipped: str = ""


class PdfError(RuntimeError):
    pass


# ---- what the title page says --------------------------------------------------------------------
def _yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def _person(p: dict) -> str:
    if p.get("name"):
        return str(p["name"])
    return " ".join(str(p[k]) for k in ("given-names", "name-particle", "family-names", "name-suffix") if p.get(k))


def _people(people: list) -> str:
    names = [_person(p) for p in people or [] if isinstance(p, dict)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + (" and " + names[-1] if names else "")


def citation_string(cff: dict) -> str:
    """A citation built from CITATION.cff: authors (year). Title. Version. Publisher/repository. DOI."""
    year = str(cff.get("date-released", ""))[:4]
    parts = [_people(cff.get("authors")) + (f" ({year})" if year else "")]
    parts.append(str(cff.get("title", "")).rstrip("."))
    if cff.get("version"):
        parts.append(f"Version {cff['version']}")
    if cff.get("doi"):
        parts.append(f"https://doi.org/{cff['doi']}")
    elif cff.get("url") or cff.get("repository-code"):
        parts.append(str(cff.get("url") or cff.get("repository-code")))
    return ". ".join(p for p in parts if p) + "."


def _licences(cff: dict) -> str:
    lic = cff.get("license")
    return ", ".join(lic) if isinstance(lic, list) else str(lic or "")


def book_facts(root: Path, epoch: int) -> dict:
    config, cff = _yaml(root / "_config.yml"), _yaml(root / "CITATION.cff")
    refs = [r for r in cff.get("references") or [] if isinstance(r, dict)]
    source = refs[0] if refs else {}
    langs = source.get("languages") or []
    return {
        "title": str(config.get("title") or cff.get("title") or root.name),
        "author": str(config.get("author") or _people(cff.get("authors"))),
        "citation": citation_string(cff) if cff else "",
        "licence": _licences(cff),
        "date": datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d"),
        "keywords": ", ".join(map(str, cff.get("keywords") or [])),
        "source": source,
        "source_lang": str(langs[0]) if langs else "",
    }


def titlepage_html(facts: dict) -> str:
    e = html.escape
    out = [f'<p class="bookkit-title">{e(facts["title"])}</p>',
           f'<p class="bookkit-author">{e(facts["author"])}</p>',
           f'<p class="bookkit-edition">PDF edition, {e(facts["date"])}</p>']
    if facts["citation"]:
        out += ['<p class="bookkit-label">How to cite</p>', f'<p class="bookkit-citation">{e(facts["citation"])}</p>']
    src = facts["source"]
    if src:
        kind = str(src.get("type", "work")).replace("-", " ")
        rows = [("Author", _people(src.get("authors"))), ("Title", str(src.get("title", ""))),
                ("Language", ", ".join(map(str, src.get("languages") or [])))]
        for key in ("journal", "year", "volume", "issue", "doi", "url"):
            if src.get(key):
                rows.append((key.capitalize() if key not in ("doi", "url") else key.upper(), str(src[key])))
        out.append(f'<p class="bookkit-label">Source {e(kind)}</p><dl>'
                   + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows if v) + "</dl>")
        out.append('<p class="bookkit-label">Bibliographic entry</p><p class="bookkit-source-entry"></p>')
    if facts["licence"]:
        out.append(f'<p class="bookkit-label">Licence</p><p>{e(facts["licence"])}</p>')
    return "\n".join(out)


# ---- the single page -----------------------------------------------------------------------------
def single_page(singlehtml: Path) -> Path:
    """The single page's HTML file (index.html, or the page it redirects to)."""
    index = singlehtml / "index.html"
    if not index.exists():
        raise PdfError(f"{paths.rel(index)} is missing: run `jupyter-book build . --builder singlehtml --all`")
    m = re.search(r'http-equiv="refresh"[^>]*url=([^"\']+)', index.read_text(encoding="utf-8"), re.I)
    return (singlehtml / m.group(1).strip()).resolve() if m else index


def printable_copy(page: Path, singlehtml: Path) -> Path:
    """The page itself, or a copy of it placed where its relative links resolve.

    Sphinx writes the single page as <root doc>.html (e.g. book/intro.html) but addresses its static
    files from the build's root: a copy in the folder where they resolve loads them.
    """
    text = page.read_text(encoding="utf-8")
    local = [u for u in re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"#?]+)', text)
             if not re.match(r"^[a-z][a-z0-9+.-]*:|^/", u, re.I)]
    if not local:
        return page
    folder = page.parent.resolve()
    top = singlehtml.resolve()
    while True:
        if all((folder / u).exists() for u in local[:5]):
            break
        if folder == top or top not in folder.parents:
            raise PdfError(f"the static files of {paths.rel(page)} ({local[0]}, ...) are not in the build")
        folder = folder.parent
    if folder == page.parent.resolve():
        return page
    target = folder / f"_bookkit_print_{page.stem}.html"
    target.write_text(text, encoding="utf-8")
    return target


# ---- finding pages -------------------------------------------------------------------------------
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", _norm(text))


def page_texts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [_norm(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


def destinations(pdf: bytes) -> dict[str, int]:
    """The PDF's named destinations (Chromium writes one per element id that a link points to): id -> page."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    out = {}
    for name, dest in reader.named_destinations.items():
        try:
            out[str(name).lstrip("/")] = reader.get_destination_page_number(dest) + 1
        except Exception:  # noqa: BLE001 - a destination without a page is of no use here
            continue
    return out


def find_pages(texts: list[str], toc: list[dict], first: int, dests: dict[str, int] | None = None) -> list[int]:
    """1-based page on which each entry's heading starts, searching in order from page ``first``.

    The heading is found by its text (pypdf's extraction). Where the PDF also has a destination for
    the heading's section, that page must be one holding the text, and it decides between several.
    """
    dests = dests or {}
    out, page = [], first
    for e in toc:
        want = _squash(e["text"])
        pages = [i + 1 for i in range(page - 1, len(texts)) if want in _squash(texts[i])]
        if not pages:
            raise PdfError(f"heading not found in the printed PDF after page {page}: {e['text']!r}")
        found = pages[0]
        dest = dests.get(e.get("id", ""))
        if dest is not None:
            if dest not in pages:
                raise PdfError(f"heading {e['text']!r}: its destination is page {dest}, whose text does not "
                               f"hold it (found on pages {pages[:5]})")
            found = dest
        out.append(found)
        page = found
    return out


# ---- printing ------------------------------------------------------------------------------------
def chromium_path() -> str | None:
    env = os.environ.get("BOOKKIT_CHROMIUM")
    for cand in ([env] if env else []) + list(CHROMIUM_CANDIDATES):
        found = cand if os.path.isabs(cand) and os.access(cand, os.X_OK) else shutil.which(cand)
        if found:
            return found
    return None


def _pdf_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _outline_items(writer) -> list:
    items = []

    def visit(item):
        while item is not None:
            item = item.get_object()
            items.append(item)
            if "/First" in item:
                visit(item["/First"])
            item = item.get("/Next")

    outlines = writer._root_object.get("/Outlines")
    if outlines is not None and "/First" in outlines.get_object():
        visit(outlines.get_object()["/First"])
    return items


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def fix_outline(writer, headings: list[str]) -> int:
    """Chromium's outline titles can lose the space at a line break or repeat a piece of themselves
    ("3.4. 3.4. TitleTitle"). The outline lists the visible headings in document order, so when the
    counts agree each title is replaced by its heading's own text (checked: the heading's characters
    appear in the title, in order); otherwise only titles equal to a heading but for spaces are fixed."""
    from pypdf.generic import NameObject, TextStringObject

    items = _outline_items(writer)
    fixed = 0
    if len(items) == len(headings):
        pairs = [(item, h) for item, h in zip(items, headings) if _subsequence(_squash(h), _squash(str(item["/Title"])))]
        if len(pairs) != len(items):
            pairs = []
    else:
        pairs = []
    if not pairs:
        known = {_squash(h): h for h in headings}
        pairs = [(item, known[_squash(str(item["/Title"]))]) for item in items if _squash(str(item["/Title"])) in known]
    for item, h in pairs:
        if str(item["/Title"]) != h:
            item[NameObject("/Title")] = TextStringObject(h)
            fixed += 1
    return fixed


def finish(pdf: bytes, facts: dict, epoch: int, headings: list[str] | None = None) -> bytes:
    """Fixed metadata and file identifier, so the same input gives the same bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    fix_outline(writer, headings or [])
    date = _pdf_date(epoch)
    info = {"/Title": facts["title"], "/Author": facts["author"], "/CreationDate": date, "/ModDate": date,
            "/Creator": "bookkit.pdf (Chromium print of the single-page build)",
            "/Producer": str((reader.metadata or {}).get("/Producer", "Chromium"))}
    if facts.get("keywords"):
        info["/Keywords"] = facts["keywords"]
    if facts.get("citation"):
        info["/Subject"] = facts["citation"]
    writer.metadata = None
    writer.add_metadata(info)
    root = writer._root_object
    if "/Metadata" in root:               # an XMP packet would carry Chromium's own dates and ids
        del root[NameObject("/Metadata")]
    body = io.BytesIO()
    writer._ID = ArrayObject([ByteStringObject(b"\0" * 16)] * 2)
    writer.write(body)
    digest = hashlib.md5(body.getvalue()).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    body = io.BytesIO()
    writer.write(body)
    return body.getvalue()


def _open(browser, url: str, blocked: list):
    context = browser.new_context(viewport={"width": COLUMN_PX, "height": 1100}, color_scheme="light",
                                  offline=True, java_script_enabled=True)

    def guard(route):
        if route.request.url.startswith(ALLOWED):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    # The print stylesheet is in force before the page's scripts run, so the charts are laid out once,
    # at the printed column's width.
    context.add_init_script(
        "(() => { const s = new CSSStyleSheet(); s.replaceSync(" + json.dumps(PRINT_CSS) + ");"
        " document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];"
        " try { localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light'); } catch (e) {} })();")
    page = context.new_page()
    page.emulate_media(media="print", color_scheme="light")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load", timeout=120_000)
    return context, page, errors


def _wait_for_charts(page) -> int:
    n = page.eval_on_selector_all("div.bookkit-chart", "els => els.length")
    if not n:
        return 0
    try:
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('div.bookkit-chart'))"
            ".every(el => el.dataset.rendered === 'ok' || el.dataset.rendered === 'error')",
            timeout=CHART_TIMEOUT_MS, polling=250)
    except Exception:  # noqa: BLE001 - reported below with the charts' names
        pass
    bad = page.eval_on_selector_all(
        "div.bookkit-chart",
        """els => els.filter(el => el.dataset.rendered !== 'ok').map(el => {
             const fig = el.closest('figure'); const cap = fig && fig.querySelector('figcaption');
             return el.id + ' (' + (el.dataset.rendered || 'not started') + ')' +
                    (cap ? ': ' + cap.textContent.replace(/\\s+/g, ' ').trim().replace(/#$/, '') : '');
           })""")
    if bad:
        raise PdfError(f"{len(bad)} of {n} charts did not render, so the PDF was not printed:\n  " + "\n  ".join(bad))
    return n


def _print(page) -> bytes:
    return page.pdf(format="A4", margin=MARGIN, print_background=True, display_header_footer=True,
                    header_template=HEADER, footer_template=FOOTER, outline=True, tagged=True,
                    prefer_css_page_size=False)


def build(singlehtml: Path | None = None, out: Path | None = None, root: Path | None = None,
          epoch: int | None = None) -> Result:
    start = time.monotonic()
    root = Path(root or paths.ROOT)
    singlehtml = Path(singlehtml or root / "_build" / "singlehtml")
    out = Path(out or root / "_build" / "pdf" / f"{edition_name()}.pdf")
    epoch = source_date_epoch() if epoch is None else epoch
    exe = chromium_path()
    if not exe:
        return Result(None, skipped="Chromium not found (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return Result(None, skipped="Playwright's Python package is not installed")

    page_file = printable_copy(single_page(singlehtml), singlehtml)
    facts = book_facts(root, epoch)
    blocked: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            try:
                context, page, errors = _open(browser, page_file.as_uri(), blocked)
                charts = _wait_for_charts(page)
                page.evaluate("() => document.fonts.ready")
                src = facts["source"]
                prepared = page.evaluate(PREPARE_JS, {
                    "titlepage": titlepage_html(facts), "tocTitle": "Contents", "placeholder": PLACEHOLDER,
                    "sourceTitle": str(src.get("title", "")), "sourceLang": facts["source_lang"]})
                toc, headings = prepared["toc"], prepared["headings"]
                page.evaluate("() => document.fonts.ready")
                first = _print(page)
                texts = page_texts(first)
                toc_end = _toc_last_page(texts, toc)
                numbers = find_pages(texts, toc, toc_end + 1, destinations(first))
                page.evaluate("(nums) => document.querySelectorAll('.bookkit-toc-page')"
                              ".forEach((el, i) => { el.textContent = String(nums[i]); })", numbers)
                second = _print(page)
                texts2 = page_texts(second)
                if len(texts2) != len(texts) or find_pages(texts2, toc, toc_end + 1, destinations(second)) != numbers:
                    raise PdfError("the table of contents changed the layout between the two passes")
                context.close()
            finally:
                browser.close()
    finally:
        if page_file.name.startswith("_bookkit_print_"):
            page_file.unlink(missing_ok=True)
    data = finish(second, facts, epoch, headings)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    toc_rows = [{"text": e["text"], "level": e["level"], "page": n} for e, n in zip(toc, numbers)]
    res = Result(out, pages=len(texts2), size=len(data), seconds=time.monotonic() - start, toc=toc_rows,
                 blocked=sorted(set(blocked)), charts=charts, script_errors=errors)
    return res


def _toc_last_page(texts: list[str], toc: list[dict]) -> int:
    """The page holding the table of contents' last line (still with its placeholder page number)."""
    want = _squash(toc[-1]["text"]) if toc else ""
    for i, t in enumerate(texts):
        if want and want in _squash(t) and PLACEHOLDER in t:
            return i + 1
    raise PdfError("the table of contents was not found in the printed PDF")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bookkit.pdf", description=__doc__.split("\n")[0])
    ap.add_argument("--singlehtml", type=Path, default=paths.BUILD / "singlehtml")
    ap.add_argument("--out", type=Path, default=None, help="the PDF to write (default _build/pdf/<name>.pdf)")
    ap.add_argument("--name", default=None, help="the edition's short name (default: edition_name())")
    args = ap.parse_args(argv)
    out = args.out or (paths.BUILD / "pdf" / f"{args.name}.pdf" if args.name else None)
    try:
        res = build(args.singlehtml, out)
    except PdfError as err:
        print(f"pdf: {err}", file=sys.stderr)
        return 1
    if res.skipped:
        print(f"pdf: skipped, {res.skipped}; the HTML book is not affected")
        return 0
    extra = f", {len(res.blocked)} network request(s) blocked" if res.blocked else ""
    extra += f", {len(res.script_errors)} script error(s): {res.script_errors[0][:80]}" if res.script_errors else ""
    print(f"pdf: {paths.rel(res.path)}: {res.pages} pages, {res.size / 1e6:.1f} MB, {res.seconds:.0f} s "
          f"({res.charts} charts, {len(res.toc)} contents entries{extra})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
