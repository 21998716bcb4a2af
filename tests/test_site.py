"""The built site: reproducible, self-contained, every chart drawn offline and laid out for phones.

`make test` builds the book (`make book`) before running this file.
- A clean build in another folder gives the same files as the checkout's build, and a rebuild in that
  existing `_build` gives them again, byte for byte (no timestamps, no absolute paths, no ?v= checksums
  that appear only on a second pass). The offline downloads (`downloads/`) are compared in
  tests/test_dist.py.
- No page refers to another host for a script, style sheet, image or font (nor does the single page the
  PDF is printed from).
- In headless Chromium with the network off (pages opened from file://, any http(s) request recorded
  as a failure), every chart on every page renders, with no script errors (the shared visit of the
  site, tests/site_visit.py, also used by the accessibility tests).
- At a phone's width (390 px) charts are laid out again at the width of the text column, not scaled
  down: each chart fits its column and its axis labels keep their font size (screenshots in tmp_path).
"""
import filecmp
import os
import re
from pathlib import Path

import pytest
from conftest import copy_repo, pages, run
from site_visit import CHART_DIV, open_page

from bookkit.dist import source_date_epoch
from bookkit.paths import ROOT

JB = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "jupyter-book")


def _tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] != "downloads"}


def _differ(a: dict[str, Path], b: dict[str, Path]) -> list[str]:
    return [k for k in a if k in b and not filecmp.cmp(a[k], b[k], shallow=False)]


@pytest.mark.slow
def test_clean_build_and_rebuild_equal_the_checkout_build(built, tmp_path):
    repo = copy_repo(tmp_path / "another-folder" / "book-repo")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch()),
           "PYTHONPATH": str(repo)}
    ours = _tree(built)
    for attempt in ("clean build", "rebuild in the existing _build"):
        res = run([JB, "build", ".", "--all", "--quiet"], cwd=repo, env=env)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
        theirs = _tree(repo / "_build" / "html")
        assert sorted(ours) == sorted(theirs), f"{attempt}: {sorted(set(ours) ^ set(theirs))[:10]}"
        differ = _differ(ours, theirs)
        assert not differ, f"{attempt}: files differ from the checkout's build: {differ[:10]}"
    leaked = [k for k, p in theirs.items() if p.suffix in {".html", ".js", ".txt", ".json"}
              and str(tmp_path) in p.read_text(encoding="utf-8", errors="ignore")]
    assert not leaked, f"absolute build paths in {leaked[:10]}"


EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)


def test_no_page_loads_anything_from_another_host(built):
    # The single page the PDF is printed from too (Jupyter Book would add MathJax's CDN script to it).
    single = sorted((ROOT / "_build" / "singlehtml").rglob("*.html"))
    offenders = {}
    for page in [*pages(), *single]:
        hits = EXTERNAL.findall(page.read_text(encoding="utf-8"))
        if hits:
            offenders[page.relative_to(ROOT).as_posix()] = len(hits)
    css = [p for p in built.rglob("*.css") if re.search(r"url\(\s*['\"]?https?://", p.read_text(errors="ignore"))]
    assert not offenders and not css, (offenders, css)


# A plot narrower than this, once its axis labels and legends are placed, is unreadable: the chart script
# then switches to the compact layout (legends below, long labels shortened), so no chart should show one.
MIN_PLOT_PX = int(re.search(r"var MIN_PLOT = (\d+);", (ROOT / "book/_static/bookkit-charts.js").read_text()).group(1))


def test_every_chart_fits_the_text_column_with_room_for_its_plot(site_visit):
    """At desktop width each chart takes the text column without spilling out of it, and its plot
    keeps room beside long axis labels and legends (a plot squeezed to nothing once went unnoticed)."""
    spilled = [f"{rel} {c['id']}: {c['svg']:.0f} px in {c['box']:.0f}" for rel, v in site_visit.items()
               for c in v.layout if c["svg"] > c["box"] + 2]
    cramped = [f"{rel} {c['id']}: plot {c['plot']} px" for rel, v in site_visit.items()
               for c in v.layout if c["plot"] is not None and c["plot"] < MIN_PLOT_PX]
    assert sum(len(v.layout) for v in site_visit.values()) == sum(v.drawn for v in site_visit.values())
    assert not spilled and not cramped, (spilled, cramped)


def _expected_charts(source: str) -> int:
    return len(CHART_DIV.findall(source))


def test_the_root_page_redirects_to_a_page_that_exists(built):
    source = (built / "index.html").read_text(encoding="utf-8")
    target = re.search(r'http-equiv="refresh"[^>]*url=([^"]+)"', source, re.I)
    assert target and (built / target.group(1)).exists(), "index.html must redirect to the first page"


def test_every_chart_renders_offline(site_visit):
    """From the shared visit (tests/site_visit.py): every chart drawn, no script error, no request."""
    report = [f"{rel}: {v.drawn}/{v.charts} charts rendered; errors={v.errors[:3]}; requests={v.requests[:3]}"
              for rel, v in site_visit.items() if v.drawn != v.charts or v.errors or v.requests]
    assert site_visit and not report, "\n".join(report)
    print(f"{sum(v.drawn for v in site_visit.values())} charts rendered offline on {len(site_visit)} pages")


# For each chart: the container's width, the drawn SVG's width on screen and as laid out (its width
# attribute), and the smallest on-screen font size of its axis labels.
MEASURE_JS = """
() => [...document.querySelectorAll('div.bookkit-chart[data-rendered=ok]')].map(el => {
  const svg = el.querySelector('svg.marks');
  const labels = [...svg.querySelectorAll('.role-axis-label text')];
  const scale = svg.getBoundingClientRect().width / (parseFloat(svg.getAttribute('width')) || 1);
  const sizes = labels.map(t => parseFloat(getComputedStyle(t).fontSize || t.getAttribute('font-size')) * scale);
  return {id: el.id, column: el.getBoundingClientRect().width, drawn: svg.getBoundingClientRect().width,
          laidOut: parseFloat(svg.getAttribute('width')), smallestLabel: sizes.length ? Math.min(...sizes) : null};
})
"""


def test_charts_are_laid_out_again_at_phone_width(built, browser, tmp_path):
    chart_pages = [p for p in pages() if _expected_charts(p.read_text(encoding="utf-8"))]
    assert chart_pages
    context = browser.new_context(offline=True, viewport={"width": 390, "height": 844}, device_scale_factor=1)
    problems = []
    for page_path in chart_pages:
        page, _ = open_page(context, page_path, [])
        page.wait_for_timeout(300)  # let a resize-triggered redraw settle
        for chart in page.evaluate(MEASURE_JS):
            if chart["drawn"] > chart["column"] + 2:
                problems.append(f"{page_path.name} {chart['id']}: {chart['drawn']:.0f} px wide in a "
                                f"{chart['column']:.0f} px column")
            if abs(chart["drawn"] - chart["laidOut"]) > 2:
                problems.append(f"{page_path.name} {chart['id']}: scaled ({chart['laidOut']:.0f} -> {chart['drawn']:.0f} px)")
            if chart["smallestLabel"] is not None and chart["smallestLabel"] < 9.5:
                problems.append(f"{page_path.name} {chart['id']}: axis labels {chart['smallestLabel']:.1f} px")
        first = page.query_selector("div.bookkit-chart")
        if first:
            first.screenshot(path=str(tmp_path / f"{page_path.stem}-390px.png"))
        page.close()
    context.close()
    print(f"phone-width screenshots in {tmp_path}")
    assert not problems, "\n".join(problems)
