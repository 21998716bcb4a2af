"""Every page of the built book passes axe-core's automated accessibility checks.

axe-core comes from the npm registry, pinned in package.json / package-lock.json (`npm ci` installs it
into node_modules/, which is not committed; `make test` runs it). Each page is opened from file:// in
an offline Chromium context in the light colour scheme, the charts are left to render, and axe runs the
WCAG 2.x A/AA and best-practice rules (the dark scheme, which changes only colours, gets axe's
colour-contrast rule in tests/test_dark_mode.py). Any violation of impact "serious" or
"critical" fails the test, listed with page, rule and the offending elements' selectors.
"""
import json
import re

import pytest
from conftest import ROOT, pages

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
CHART = 'div.bookkit-chart'


@pytest.fixture(scope="module")
def axe_script():
    if not AXE.exists():
        pytest.skip("axe-core is not installed in node_modules/: run `npm ci` in the repository root "
                    "(`make test` does); the accessibility test could not run")
    return AXE


def _is_redirect(source: str) -> bool:
    return bool(re.search(r'http-equiv="refresh"', source, re.I))


def _target(node) -> str:
    """axe's target is a list of selectors (a nested list across shadow roots or frames)."""
    return " >> ".join(t if isinstance(t, str) else " > ".join(t) for t in node["target"])


def axe_violations(context, page_path, axe_path, rules: list[str] | None = None) -> list[dict]:
    """Open a page, let its charts render, run axe (the WCAG and best-practice tags, or only ``rules``);
    return axe's violations (every impact)."""
    source = page_path.read_text(encoding="utf-8")
    expected = len(re.findall(r'<div class="bookkit-chart" id="chart-', source))
    page = context.new_page()
    try:
        page.goto(page_path.as_uri(), wait_until="load")
        if expected:
            page.wait_for_function(
                "n => document.querySelectorAll('div.bookkit-chart[data-rendered=ok], "
                "div.bookkit-chart[data-rendered=error]').length >= n", arg=expected, timeout=30000)
        # Open the charts' collapsed data tables so that axe checks them too.
        page.evaluate("document.querySelectorAll('.bookkit-chart-data details').forEach(d => { d.open = true; })")
        page.add_script_tag(path=str(axe_path))
        only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": TAGS}
        result = page.evaluate(
            """async only => {
                 const r = await axe.run(document, {runOnly: only, resultTypes: ["violations"]});
                 return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.map(n => ({target: n.target, impact: n.impact}))}));
               }""", only)
    finally:
        page.close()
    return result


def serious_violations(built, browser, axe_path, scheme: str, rules: list[str] | None = None) -> tuple[int, list[str]]:
    """(pages checked, one line per serious or critical violation) over every page in ``scheme``."""
    context = browser.new_context(offline=True, color_scheme=scheme)
    report, checked = [], 0
    for page_path in pages():
        if _is_redirect(page_path.read_text(encoding="utf-8")):
            continue  # the root index.html only redirects (test_site checks its target exists)
        rel = page_path.relative_to(built).as_posix()
        checked += 1
        for v in axe_violations(context, page_path, axe_path, rules):
            nodes = [n for n in v["nodes"] if (n["impact"] or v["impact"]) in FAILING_IMPACTS]
            if nodes:
                targets = [_target(n) for n in nodes]
                report.append(f"{rel}: {v['id']} ({v['impact']}, {len(nodes)} elements: {v['help']}): "
                              + "; ".join(targets[:5]) + (" ..." if len(targets) > 5 else ""))
    context.close()
    return checked, report


def test_no_serious_accessibility_violations(built, browser, axe_script):
    """The light scheme, every rule. (The dark scheme changes only colours: tests/test_dark_mode.py runs
    axe's colour-contrast rule on every page in it.)"""
    checked, report = serious_violations(built, browser, axe_script, "light")
    assert checked, "no pages found in _build/html"
    assert not report, f"{len(report)} serious/critical axe violations (light scheme):\n" + "\n".join(report)


def test_axe_core_is_pinned():
    """package.json pins an exact axe-core version and the lock file agrees with it."""
    pkg = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    deps = {**pkg.get("dependencies", {}), **pkg.get("devDependencies", {})}
    version = deps.get("axe-core", "")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"axe-core must be pinned exactly, got {version!r}"
    assert lock["packages"]["node_modules/axe-core"]["version"] == version
    if AXE.exists():
        assert json.loads((AXE.parent / "package.json").read_text())["version"] == version, \
            "node_modules/axe-core differs from package.json: run `npm ci`"


def _chart_specs(source: str) -> dict[str, dict]:
    return {m.group(1): json.loads(m.group(2).replace("<\\/", "</")) for m in re.finditer(
        r'<script type="application/json" id="(chart-[0-9a-f]+)-spec">(.*?)</script>', source, re.S)}


def _chart_rows(spec: dict) -> list[dict]:
    """What bookkit-charts.js shows: the largest inline dataset (ties: the first)."""
    sets = [v for v in (spec.get("datasets") or {}).values() if isinstance(v, list)]
    if not sets and isinstance((spec.get("data") or {}).get("values"), list):
        sets = [spec["data"]["values"]]
    return max(sets, key=len) if sets else []


def _columns(rows: list[dict]) -> list[str]:
    cols = []
    for row in rows:
        cols += [k for k in row if k not in cols]
    return cols


def _same_cell(cell: str, value) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell == str(value).lower()
    if isinstance(value, (int, float)):
        return cell != "" and float(cell) == float(value)
    if isinstance(value, (dict, list)):
        return json.loads(cell) == value
    return cell == str(value)


def test_every_chart_offers_its_data_as_a_table_and_a_csv(built, browser, tmp_path):
    """Under each chart: a collapsed data table and a CSV download built in the page from the
    spec's inline data (no network, from file://). One CSV per page is downloaded and compared."""
    import csv

    context = browser.new_context(offline=True, accept_downloads=True)
    report, downloaded = [], 0
    for page_path in pages():
        source = page_path.read_text(encoding="utf-8")
        specs = _chart_specs(source)
        if not specs:
            continue
        rel = page_path.relative_to(built).as_posix()
        page = context.new_page()
        page.goto(page_path.as_uri(), wait_until="load")
        page.wait_for_function("n => document.querySelectorAll('.bookkit-chart-data').length >= n",
                               arg=len(specs), timeout=30000)
        for cid, spec in specs.items():
            rows = _chart_rows(spec)
            got = page.evaluate("""id => {
                const b = document.getElementById(id + '-data'), a = b && b.querySelector('a[download]');
                const t = b && b.querySelector('details > div[role=region] > table');
                return b && {follows: document.getElementById(id).nextElementSibling === b,
                  download: a && a.getAttribute('download'), href: a && a.href, link: a && a.textContent,
                  summary: b.querySelector('details:not([open]) > summary')?.textContent,
                  caption: !!(t && t.caption && t.caption.textContent.trim()),
                  head: t ? Array.from(t.tHead.rows[0].cells, c => [c.tagName, c.scope, c.textContent]) : [],
                  body: t ? t.tBodies[0].rows.length : 0};
              }""", cid)
            want_head = [["TH", "col", c] for c in _columns(rows)]
            if not got or not got["follows"]:
                report.append(f"{rel} {cid}: no data block right after the chart")
            elif (got["download"] != f"{cid}.csv" or not got["href"].startswith(("blob:", "data:"))
                  or not got["link"].startswith("Download data (CSV)")
                  or not (got["summary"] or "").startswith("Data table") or not got["caption"]
                  or got["head"] != want_head or got["body"] != min(len(rows), 500)):
                report.append(f"{rel} {cid}: {dict(got, head=got['head'][:4])} (expected {len(rows)} rows, "
                              f"columns {[c for *_, c in want_head][:4]})")
        # Download the first chart's CSV for real and compare it with the spec's data.
        cid, spec = next(iter(specs.items()))
        with page.expect_download() as info:
            page.click(f"#{cid}-data a[download]")
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        rows = _chart_rows(spec)
        with open(target, newline="", encoding="utf-8") as fh:
            table = list(csv.reader(fh))
        cols = _columns(rows)
        bad = [i for i, (line, row) in enumerate(zip(table[1:], rows))
               if len(line) != len(cols) or not all(_same_cell(c, row.get(k)) for c, k in zip(line, cols))]
        if download.suggested_filename != f"{cid}.csv" or table[0] != cols or len(table) - 1 != len(rows) or bad:
            report.append(f"{rel} {cid}: CSV {download.suggested_filename}: header {table[:1]}, "
                          f"{len(table) - 1} rows for {len(rows)}, rows differing: {bad[:5]}")
        downloaded += 1
        page.close()
    context.close()
    assert not report, "\n".join(report)
    print(f"data tables and CSV links checked; {downloaded} CSV files downloaded and compared")
