"""The built site: reproducible, self-contained, and every chart renders offline in a real browser.

`make test` builds the book (`make book`) before running this file.
- Two clean builds in two different folders give byte-identical trees (no timestamps, no absolute paths).
- No page refers to another host for a script, style sheet, image or font.
- In headless Chromium with the network off (pages opened from file://, any http(s) request recorded
  as a failure), every chart on every page renders, with no script errors.
"""
import filecmp
import os
import re
from pathlib import Path


from bookkit.schema import ROOT

from conftest import copy_repo, pages, run

JB = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "jupyter-book")


def _tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def test_two_clean_builds_are_identical(tmp_path):
    builds = []
    for name in ("first", "second-in-another-folder"):
        repo = copy_repo(tmp_path / name / "book-repo")
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1764374400")}
        res = run([JB, "build", ".", "--quiet"], cwd=repo, env=env)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
        builds.append(repo / "_build" / "html")
    a, b = (_tree(x) for x in builds)
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    differ = [k for k in a if not filecmp.cmp(a[k], b[k], shallow=False)]
    assert not differ, f"files differ between two clean builds: {differ[:10]}"
    leaked = [k for k, p in a.items() if p.suffix in {".html", ".js", ".txt", ".json"}
              and str(tmp_path) in p.read_text(encoding="utf-8", errors="ignore")]
    assert not leaked, f"absolute build paths in {leaked[:10]}"


EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)


def test_no_page_loads_anything_from_another_host(built):
    offenders = {}
    for page in pages():
        hits = EXTERNAL.findall(page.read_text(encoding="utf-8"))
        if hits:
            offenders[page.relative_to(built).as_posix()] = len(hits)
    css = [p for p in built.rglob("*.css") if re.search(r"url\(\s*['\"]?https?://", p.read_text(errors="ignore"))]
    assert not offenders and not css, (offenders, css)


def test_every_chart_renders_offline(built, browser):
    context = browser.new_context(offline=True)
    report, total = [], 0
    for page_path in pages():
        source = page_path.read_text(encoding="utf-8")
        if re.search(r'http-equiv="refresh"', source, re.I):  # the root index.html only redirects
            target = re.search(r'url=([^"]+)"', source, re.I).group(1)
            assert (page_path.parent / target).exists(), f"{page_path.name} redirects to missing {target}"
            continue
        expected = len(re.findall(r'<div class="bookkit-chart" id="chart-', source))
        total += expected
        page = context.new_page()
        errors, foreign = [], []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("request", lambda req: foreign.append(req.url) if not req.url.startswith(("file:", "data:", "blob:", "about:")) else None)
        page.goto(page_path.as_uri(), wait_until="load")
        if expected:
            page.wait_for_function(
                "n => document.querySelectorAll('div.bookkit-chart[data-rendered=ok], div.bookkit-chart[data-rendered=error]').length >= n",
                arg=expected, timeout=30000)
        rendered = page.eval_on_selector_all("div.bookkit-chart[data-rendered=ok] svg.marks", "els => els.length")
        rel = page_path.relative_to(built).as_posix()
        if rendered != expected or errors or foreign:
            report.append(f"{rel}: {rendered}/{expected} charts rendered; errors={errors[:3]}; requests={foreign[:3]}")
        page.close()
    context.close()
    assert not report, "\n".join(report)
    print(f"{total} charts rendered offline on {len(pages())} pages")
