"""Every page of the built book passes axe-core's automated accessibility checks.

axe-core comes from the npm registry, pinned in package.json / package-lock.json (`npm ci` installs it
into node_modules/, which is not committed; `make test` runs it). During the one visit of the site that
the browser tests share (tests/site_visit.py), each page is opened from file:// in an offline Chromium
context in the light colour scheme, its charts are left to render, its data tables are opened, and axe
runs the WCAG 2.x A/AA and best-practice rules (the dark scheme, which changes only colours, gets axe's
colour-contrast rule: tests/test_dark_mode.py). Any violation of impact "serious" or "critical" fails
the test, listed with page, rule and the offending elements' selectors. Every chart also offers its data
as a table and a CSV file.
"""
import json
import re

import pytest
from conftest import AXE, ROOT

FAILING_IMPACTS = {"serious", "critical"}


def _target(node) -> str:
    """axe's target is a list of selectors (a nested list across shadow roots or frames)."""
    return " >> ".join(t if isinstance(t, str) else " > ".join(t) for t in node["target"])


def serious(visits, scheme: str) -> list[str]:
    """One line per serious or critical axe violation found in ``scheme`` ("light" or "dark") on any page."""
    report = []
    for rel, visit in visits.items():
        for v in (visit.axe_light if scheme == "light" else visit.axe_dark) or []:
            nodes = [n for n in v["nodes"] if (n["impact"] or v["impact"]) in FAILING_IMPACTS]
            if nodes:
                targets = [_target(n) for n in nodes]
                report.append(f"{rel}: {v['id']} ({v['impact']}, {len(nodes)} elements: {v['help']}): "
                              + "; ".join(targets[:5]) + (" ..." if len(targets) > 5 else ""))
    return report


def require_axe() -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed in node_modules/: run `npm ci` in the repository root "
                    "(`make test` does); the accessibility test could not run")


def test_no_serious_accessibility_violations(site_visit):
    """The light scheme, every rule. (The dark scheme changes only colours: tests/test_dark_mode.py checks
    axe's colour-contrast rule on every page in it.)"""
    require_axe()
    assert site_visit, "no pages found in _build/html"
    report = serious(site_visit, "light")
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


def test_every_chart_offers_its_data_as_a_table_and_a_csv(site_visit):
    """Under each chart: a collapsed data table and a CSV download built in the page from the
    spec's inline data (no network, from file://). One CSV per page is downloaded and compared."""
    import csv

    report, downloaded = [], 0
    for rel, visit in site_visit.items():
        specs = _chart_specs((ROOT / "_build" / "html" / rel).read_text(encoding="utf-8"))
        for cid, spec in specs.items():
            rows = _chart_rows(spec)
            got = visit.data_blocks.get(cid)
            want_head = [["TH", "col", c] for c in _columns(rows)]
            if not got or not got["follows"]:
                report.append(f"{rel} {cid}: no data block right after the chart")
            elif (got["download"] != f"{cid}.csv" or not got["href"].startswith(("blob:", "data:"))
                  or not got["link"].startswith("Download data (CSV)")
                  or not (got["summary"] or "").startswith("Data table") or not got["caption"]
                  or got["head"] != want_head or got["body"] != min(len(rows), 500)):
                report.append(f"{rel} {cid}: {dict(got, head=got['head'][:4])} (expected {len(rows)} rows, "
                              f"columns {[c for *_, c in want_head][:4]})")
        if not specs:
            continue
        # The first chart's CSV, downloaded for real during the visit, against the spec's data.
        cid, name, saved = visit.csv
        rows = _chart_rows(specs[cid])
        with open(saved, newline="", encoding="utf-8") as fh:
            table = list(csv.reader(fh))
        cols = _columns(rows)
        bad = [i for i, (line, row) in enumerate(zip(table[1:], rows))
               if len(line) != len(cols) or not all(_same_cell(c, row.get(k)) for c, k in zip(line, cols))]
        if name != f"{cid}.csv" or table[0] != cols or len(table) - 1 != len(rows) or bad:
            report.append(f"{rel} {cid}: CSV {name}: header {table[:1]}, "
                          f"{len(table) - 1} rows for {len(rows)}, rows differing: {bad[:5]}")
        downloaded += 1
    assert not report, "\n".join(report)
    print(f"data tables and CSV links checked; {downloaded} CSV files downloaded and compared")
