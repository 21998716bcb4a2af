"""What readers get on every page: numbered figures, cross-references, notebook downloads, launch
buttons built from the one repository setting, and search that works offline."""
import re

import yaml
from conftest import pages

from bookkit.paths import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO = CONFIG["repository"]["url"].rstrip("/")
OWNER_REPO = "/".join(REPO.split("/")[-2:])


def chapter_pages(built):
    return [p for p in pages() if p.parent.name == "book" and (built / "_sources" / "book" / f"{p.stem}.ipynb").exists()]


def test_every_chart_is_a_numbered_captioned_figure(built):
    for page in pages():
        html = page.read_text(encoding="utf-8")
        charts = len(re.findall(r'<div class="bookkit-chart" id="chart-', html))
        numbered = len(re.findall(r'<span class="caption-number">Fig\. [\d.]+', html))
        assert numbered == charts, f"{page.name}: {charts} charts but {numbered} numbered figures"


def test_cross_references_to_figures_resolve(built):
    html = (built / "book" / "intro.html").read_text(encoding="utf-8")
    refs = re.findall(r'<a class="reference internal" href="([^"]+#fig-[^"]+)"', html)
    assert len(refs) >= 2
    for href in refs:
        target, anchor = href.split("#")
        assert f'id="{anchor}"' in (built / "book" / target).read_text(encoding="utf-8"), href


def test_chapter_pages_offer_notebook_download_and_launch_buttons(built):
    chapters = chapter_pages(built)
    assert chapters
    for page in chapters:
        html = page.read_text(encoding="utf-8")
        assert f"_sources/book/{page.stem}.ipynb" in html, f"{page.name}: no .ipynb download"
        assert f"mybinder.org/v2/gh/{OWNER_REPO}/" in html, f"{page.name}: no Binder link from repository.url"


def test_search_works_offline(built, browser):
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((built / "search.html").as_uri() + "?q=Tashkent")
    page.wait_for_selector("#search-results ul.search li", timeout=20000)
    hits = page.eval_on_selector_all("#search-results ul.search li", "els => els.length")
    context.close()
    assert hits >= 1


def test_chapter_titles_carry_the_number_of_their_file():
    """The prose says "chapter 4b" and "chapter 10": each chapter's title starts with the number its
    file name gives (04b_forces -> "4b."), the one numbering the sidebar, the PDF and the text share."""
    import json

    from bookkit.paths import BOOK

    wrong = []
    for path in sorted(BOOK.glob("[0-9]*_*.*")):
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        else:
            continue
        number = re.match(r"0*(\d+[a-z]?)_", path.name).group(1)
        if not text.startswith(f"# {number}. "):
            wrong.append(f"{path.name}: {text.splitlines()[0]!r}")
    assert not wrong, "titles that do not start with their file's number: " + "; ".join(wrong)
