"""The offline downloads in _build/html/downloads (bookkit/dist.py), and the preface's links to them.

- Both archives exist and are byte-identical when built again (into a temporary folder).
- The site archive opens offline: index.html is there, names are relative, nothing holds this
  checkout's absolute path, and its pages draw their charts from file:// with no network.
- The data archive holds datapackage.json and every file it names, and `frictionless validate`
  passes on the unzipped package.
- Every link of the preface to downloads/ resolves to a file of the built site.
"""
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CHROMIUM, DOWNLOADS, HTML, PDF, ROOT, edition_name

from bookkit import dist

NAME = edition_name()
HTML_ZIP = DOWNLOADS / f"{NAME}-html.zip"
DATA_ZIP = DOWNLOADS / f"{NAME}-data.zip"


@pytest.fixture(scope="module")
def archives(built):
    missing = [p.name for p in (HTML_ZIP, DATA_ZIP) if not p.exists()]
    if missing:
        pytest.fail(f"missing in _build/html/downloads: {missing}; `make book` writes them (python -m bookkit.dist)")
    return HTML_ZIP, DATA_ZIP


def _unzip(archive: Path, dest: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest


def test_archives_are_reproducible(archives, tmp_path):
    for run in ("a", "b"):
        out = tmp_path / run
        dist.build_html_zip(out, html=HTML, name=NAME)
        dist.build_data_zip(out, root=ROOT, name=NAME)
    for archive in archives:
        again, twice = tmp_path / "a" / archive.name, tmp_path / "b" / archive.name
        assert again.read_bytes() == twice.read_bytes(), f"{archive.name}: two runs differ"
        assert again.read_bytes() == archive.read_bytes(), \
            f"{archive.name} differs from a fresh build of the same files (stale, or not deterministic)"


def test_archive_entries_are_fixed(archives):
    epoch = dist.source_date_epoch()
    stamp = dist._zip_time(epoch)
    for archive in archives:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            assert names == sorted(names), f"{archive.name}: entries are not sorted"
            odd = [i.filename for i in infos if i.date_time != stamp or i.extra or (i.external_attr >> 16) != 0o100644]
            assert not odd, f"{archive.name}: entries with another time, extra fields or permissions: {odd[:5]}"


def test_html_archive_opens_offline(archives, tmp_path, browser):
    with zipfile.ZipFile(HTML_ZIP) as zf:
        names = zf.namelist()
        assert f"{NAME}-html/index.html" in names, "index.html is not at the top of the site's folder"
        bad = [n for n in names if n.startswith("/") or ".." in n.split("/") or not n.startswith(f"{NAME}-html/")]
        assert not bad, f"names outside the archive's folder: {bad[:5]}"
        assert not any("/downloads/" in n for n in names), "the archive contains the downloads themselves"
        leaked = [n for n in names if n.endswith((".html", ".js", ".json", ".txt", ".css"))
                  and (str(ROOT).encode() in zf.read(n) or b"file:///" in zf.read(n))]
        assert not leaked, f"absolute paths in {leaked[:5]}"
    site = _unzip(HTML_ZIP, tmp_path) / f"{NAME}-html"
    chart_page = next((p for p in sorted(site.rglob("*.html")) if "_static" not in p.parts
                       and 'class="bookkit-chart" id="chart-' in p.read_text(encoding="utf-8")), None)
    context = browser.new_context(offline=True)
    foreign = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:"))
                  else (foreign.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto((site / "index.html").as_uri(), wait_until="load")
    if "http-equiv=\"refresh\"" in (site / "index.html").read_text(encoding="utf-8").lower():
        page.wait_for_url(lambda url: not url.endswith("/index.html"), timeout=15000)
        page.wait_for_load_state("load")
    assert page.url.endswith(".html") and page.title(), "index.html does not open a page"
    page.close()
    if chart_page is not None:
        expected = len(re.findall(r'<div class="bookkit-chart" id="chart-', chart_page.read_text(encoding="utf-8")))
        page = context.new_page()
        page.goto(chart_page.as_uri(), wait_until="load")
        page.wait_for_function("n => document.querySelectorAll('div.bookkit-chart[data-rendered=ok]').length >= n",
                               arg=expected, timeout=30000)
    context.close()
    assert not foreign, f"the unzipped site asked the network for {foreign[:3]}"


def test_data_archive_is_a_valid_data_package(archives, tmp_path):
    import json

    with zipfile.ZipFile(DATA_ZIP) as zf:
        names = set(zf.namelist())
    top = f"{NAME}-data/"
    assert top + "datapackage.json" in names
    package = _unzip(DATA_ZIP, tmp_path) / f"{NAME}-data"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    named = dist._resource_paths(descriptor)
    assert named, "datapackage.json names no files"
    absent = [p for p in named if top + p not in names]
    assert not absent, f"files named in datapackage.json but not in the archive: {absent[:5]}"
    for folder in ("data/schemas/", "data/curated/"):
        assert any(n.startswith(top + folder) for n in names), f"no {folder} in the data archive"
    provenance = [n for n in names if n.startswith(top + "data/raw/") and n.endswith("PROVENANCE.md")]
    raw_folders = {p.parent.name for p in (ROOT / "data" / "raw").glob("*/PROVENANCE.md")}
    assert len(provenance) == len(raw_folders), "a raw folder's PROVENANCE.md is missing from the archive"
    frictionless = Path(sys.executable).with_name("frictionless")
    cmd = [str(frictionless)] if frictionless.exists() else [sys.executable, "-m", "frictionless"]
    res = subprocess.run(cmd + ["validate", "datapackage.json"], cwd=package, capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]


def test_pdf_is_offered_when_built(archives):
    copy = DOWNLOADS / PDF.name
    if not PDF.exists():
        pytest.skip("no PDF was built (Chromium missing), so none is offered")
    assert copy.exists() and copy.read_bytes() == PDF.read_bytes(), "downloads/ does not hold the current PDF"


def test_preface_links_to_every_download(archives):
    intro = HTML / "book" / "intro.html"
    hrefs = re.findall(r'<a href="([^"]*downloads/[^"]*)"', intro.read_text(encoding="utf-8"))
    wanted = {f"{NAME}.pdf", f"{NAME}-html.zip", f"{NAME}-data.zip"}
    assert {h.rsplit("/", 1)[-1] for h in hrefs} >= wanted, f"the preface links to {hrefs}, not to all of {wanted}"
    broken = []
    for href in hrefs:
        if href.endswith(".pdf") and not CHROMIUM:
            continue  # no Chromium, no PDF: the link is expected to be dead on this machine
        if not (intro.parent / href).resolve().is_file():
            broken.append(href)
    assert not broken, f"links of the preface that lead nowhere (relative to book/intro.html): {broken}"
