"""One visit of every page of the built site in headless Chromium, shared by the browser tests.

Opening a page and letting its charts render is most of what a browser test costs, so the tests that
only look at what a page shows share this one visit (a session fixture in conftest.py; the scheduler
there keeps those test files on one worker). Each page is opened from file:// in an offline context in
the light colour scheme, with every http(s) request and script error recorded. Once its charts have
rendered, the visit records how many were drawn and how each was laid out (at Playwright's desktop
viewport, 1280 px), reads each chart's data block (table and CSV link),
downloads the first chart's CSV, opens the data tables and runs axe-core (every WCAG and best-practice
rule); then it switches the page to the dark scheme, waits for the charts to be drawn again and runs
axe's colour-contrast rule, the only rule a change of colours can break.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
CHART_DIV = re.compile(r'<div class="bookkit-chart" id="chart-')

AXE_JS = """async only => {
  const r = await axe.run(document, {runOnly: only, resultTypes: ["violations"]});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, impact: n.impact}))}));
}"""

DATA_BLOCK_JS = """id => {
  const b = document.getElementById(id + '-data'), a = b && b.querySelector('a[download]');
  const t = b && b.querySelector('details > div[role=region] > table');
  return b && {follows: document.getElementById(id).nextElementSibling === b,
    download: a && a.getAttribute('download'), href: a && a.href, link: a && a.textContent,
    summary: b.querySelector('details:not([open]) > summary')?.textContent,
    caption: !!(t && t.caption && t.caption.textContent.trim()),
    head: t ? Array.from(t.tHead.rows[0].cells, c => [c.tagName, c.scope, c.textContent]) : [],
    body: t ? t.tBodies[0].rows.length : 0};
}"""


LAYOUT_JS = r"""() => Array.from(document.querySelectorAll('div.bookkit-chart[data-rendered=ok]'), el => {
  const svg = el.querySelector('svg.marks');
  // a single or layered view's plot is the root group's background: "M0,0h<width>v<height>Z"
  const spec = JSON.parse(document.getElementById(el.id + '-spec').textContent);
  const single = !['facet', 'repeat', 'concat', 'hconcat', 'vconcat'].some(k => k in spec);
  const frame = svg && svg.querySelector('g.mark-group.role-frame.root > g > path.background');
  const m = frame && /^M0,0h(-?[\d.]+)/.exec(frame.getAttribute('d') || '');
  return {id: el.id, box: el.getBoundingClientRect().width, svg: svg ? svg.getBoundingClientRect().width : 0,
          plot: single && m ? Math.round(parseFloat(m[1])) : null};
})"""


def wait_for_charts(page, n: int, theme: str | None = None) -> None:
    """Until ``n`` charts are drawn (or have failed), in ``theme`` if given."""
    if not n:
        return
    if theme:
        page.wait_for_function(
            """([n, theme]) => document.querySelectorAll(
                 `div.bookkit-chart[data-rendered=ok][data-chart-theme=${theme}] svg.marks`).length >= n""",
            arg=[n, theme], timeout=30000)
    else:
        page.wait_for_function(
            "n => document.querySelectorAll('div.bookkit-chart[data-rendered=ok], "
            "div.bookkit-chart[data-rendered=error]').length >= n", arg=n, timeout=30000)


@dataclass
class PageVisit:
    rel: str
    charts: int  # chart containers in the HTML
    drawn: int = 0  # charts whose SVG was drawn
    errors: list[str] = field(default_factory=list)  # script and console errors, before axe runs
    requests: list[str] = field(default_factory=list)  # anything not file:, data:, blob: or about:
    layout: list[dict] = field(default_factory=list)  # per chart: container, SVG and plot widths (px)
    data_blocks: dict[str, dict | None] = field(default_factory=dict)  # chart id -> what DATA_BLOCK_JS saw
    csv: tuple[str, str, Path] | None = None  # (chart id, suggested file name, saved file) of one download
    axe_light: list[dict] | None = None  # axe violations, every rule (None: axe not installed)
    axe_dark: list[dict] | None = None  # axe violations of color-contrast in the dark scheme


def is_redirect(source: str) -> bool:
    return bool(re.search(r'http-equiv="refresh"', source, re.I))


def open_page(context, page_path: Path, errors: list, requests: list | None = None):
    """A new page at ``page_path``, once its charts are drawn: (page, a function that stops listening).

    Script and console errors go to ``errors``, requests to anything but local files to ``requests``."""
    page = context.new_page()

    def on_error(exc):
        errors.append(str(exc))

    def on_console(msg):
        if msg.type == "error":
            errors.append(msg.text)

    def stop():
        page.remove_listener("pageerror", on_error)
        page.remove_listener("console", on_console)

    page.on("pageerror", on_error)
    page.on("console", on_console)
    if requests is not None:
        page.on("request", lambda req: requests.append(req.url)
                if not req.url.startswith(("file:", "data:", "blob:", "about:")) else None)
    try:
        page.goto(page_path.as_uri(), wait_until="load")
        wait_for_charts(page, len(CHART_DIV.findall(page_path.read_text(encoding="utf-8"))))
    except Exception:
        page.close()
        raise
    return page, stop


def visit_page(context, page_path: Path, rel: str, axe: Path | None, downloads: Path) -> PageVisit:
    source = page_path.read_text(encoding="utf-8")
    found = PageVisit(rel, len(CHART_DIV.findall(source)))
    page, stop = open_page(context, page_path, found.errors, found.requests)
    try:
        found.drawn = page.eval_on_selector_all("div.bookkit-chart[data-rendered=ok] svg.marks", "els => els.length")
        found.layout = page.evaluate(LAYOUT_JS)
        ids = re.findall(r'<script type="application/json" id="(chart-[0-9a-f]+)-spec">', source)
        if ids:
            page.wait_for_function("n => document.querySelectorAll('.bookkit-chart-data').length >= n",
                                   arg=len(ids), timeout=30000)
            found.data_blocks = {cid: page.evaluate(DATA_BLOCK_JS, cid) for cid in ids}
            with page.expect_download() as info:
                page.click(f"#{ids[0]}-data a[download]")
            target = downloads / f"{page_path.stem}-{info.value.suggested_filename}"
            info.value.save_as(target)
            found.csv = (ids[0], info.value.suggested_filename, target)
        # What the reader's page did; axe's own requests for style sheets (refused from file://) come after.
        found.errors, found.requests = list(found.errors), list(found.requests)
        stop()
        if axe:
            # Open the charts' collapsed data tables so that axe checks them too.
            page.evaluate("document.querySelectorAll('.bookkit-chart-data details').forEach(d => { d.open = true; })")
            page.add_script_tag(path=str(axe))
            found.axe_light = page.evaluate(AXE_JS, {"type": "tag", "values": AXE_TAGS})
            # Colours are checked as they end, not halfway through the theme's colour transitions.
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                                       "animation: none !important; }")
            page.emulate_media(color_scheme="dark")  # the theme follows the system's scheme (mode "auto")
            page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'", timeout=30000)
            wait_for_charts(page, found.drawn, "dark")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            found.axe_dark = page.evaluate(AXE_JS, {"type": "rule", "values": ["color-contrast"]})
    finally:
        page.close()
    return found


def visit_site(browser, built: Path, pages: list[Path], axe: Path | None, downloads: Path) -> dict[str, PageVisit]:
    """Every page that is not a redirect, visited once (see the module's docstring)."""
    context = browser.new_context(offline=True, color_scheme="light", accept_downloads=True)
    try:
        return {rel: visit_page(context, p, rel, axe, downloads)
                for p in pages if not is_redirect(p.read_text(encoding="utf-8"))
                for rel in [p.relative_to(built).as_posix()]}
    finally:
        context.close()
