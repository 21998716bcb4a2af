"""Shared fixtures: the repository root, a throw-away copy of it, the built site, and one browser visit of it."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", "*.egg-info", "bench", "node_modules",
                                     "labextension", ".ipynb_checkpoints")


def copy_repo(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE, symlinks=True)
    return dest


@pytest.fixture
def repo_copy(tmp_path):
    return copy_repo(tmp_path / "repo")


def run(cmd, cwd, env=None, timeout=900):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


HTML = ROOT / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pages():
    """Every page of the built book (not the theme's static files)."""
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)


@pytest.fixture(scope="session")
def built():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: `make test` builds it first (run `make book`)")
    return HTML


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Test files that read the one shared visit of the site (tests/site_visit.py): run on one worker, so
# that the visit is made once.
SITE_VISIT_FILES = {"tests/test_accessibility.py", "tests/test_dark_mode.py", "tests/test_site.py"}


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadscope` (the Makefile's), with the files of SITE_VISIT_FILES as one scope."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "site visit" if scope.split("::")[0] in SITE_VISIT_FILES else scope

    return Scheduling(config, log)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root with "
                    "apt-get); the offline browser test could not run")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def site_visit(built, browser, tmp_path_factory):
    """Every page of the built site, visited once in Chromium (tests/site_visit.py): what each showed."""
    from site_visit import visit_site

    return visit_site(browser, built, pages(), AXE if AXE.exists() else None, tmp_path_factory.mktemp("downloads"))




# --- the PDF edition and the downloads (bookkit.pdf, bookkit.dist; tests/test_pdf.py, tests/test_dist.py) ---
def edition_name() -> str:
    from bookkit.dist import edition_name as name

    return name()


PDF = ROOT / "_build" / "pdf" / f"{edition_name()}.pdf"
DOWNLOADS = HTML / "downloads"


@pytest.fixture(scope="module")
def pdf_reader(built):
    """The PDF edition, opened with pypdf (skipped when Chromium is missing: then no PDF is built)."""
    if not PDF.exists():
        if not CHROMIUM:
            pytest.skip("Debian's chromium is not installed, so `python -m bookkit.pdf` skipped the PDF")
        pytest.fail(f"{PDF.relative_to(ROOT)} is missing: `make book` builds it (python -m bookkit.pdf)")
    from pypdf import PdfReader

    return PdfReader(PDF)
