"""The notebooks in the project's own JupyterLab: charts drawn, MyST roles readable, nothing fetched.

bookkit/lab is a JupyterLab 4 extension (built and installed into .venv by
tools/build_labextension.sh, i.e. `make labextension`). This module starts `.venv/bin/jupyter lab`
once, on a free localhost port with a token (server root: the repository root), opens it in
headless Chromium and, for every notebook:
- (i)  every stored output carrying application/vnd.vegalite.v6+json is drawn by the extension
       (an SVG or canvas from vega-embed inside that output), and no chart shows the error line;
- (ii) no rendered Markdown cell still shows "{glue", and each glue role (and cite, numref, doc
       role) shows what the built book would: the value stored by the notebook's code cells, or
       "[name: not computed yet — run the notebook]".
Then, in the notebook whose first chart comes after the fewest code cells, it clears the outputs of
the cells up to that chart (the glue values they stored turn into the placeholder), starts a
kernel, re-runs those cells in order, and checks that the chart is drawn again and the values
come back. Every request the page makes is recorded; any to a host other than
localhost/127.0.0.1 fails the module.

BOOKKIT_LAB_NOTEBOOKS=/some/folder tests that folder's *.ipynb instead of book/*.ipynb; a folder
outside the repository becomes the server root itself (Lab serves nothing outside its root).
The expected roles are read with markdown-it and mdit-py-plugins' MyST role parser (what
myst-parser uses), not with the extension's own logic.
"""
import ast
import html
import json
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM, ROOT
from markdown_it import MarkdownIt
from mdit_py_plugins.myst_role import myst_role_plugin

from bookkit.stats import glue_outputs

VENV = Path(os.environ.get("VIRTUAL_ENV") or ROOT / ".venv")
EXT_SRC = ROOT / "bookkit" / "lab"
EXT_INSTALLED = VENV / "share" / "jupyter" / "labextensions" / "bookkit-lab"
BUILD_HINT = "run `bash tools/build_labextension.sh` (or `make labextension`)"
NOTEBOOK_DIR = Path(os.environ.get("BOOKKIT_LAB_NOTEBOOKS") or ROOT / "book").resolve()
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SERVER_ROOT = ROOT if NOTEBOOK_DIR.is_relative_to(ROOT) else NOTEBOOK_DIR
MIME = "application/vnd.vegalite.v6+json"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
GLUE = {"glue", "glue:", "glue:any", "glue:text", "glue:md"}
MISSING = "[{}: not computed yet \u2014 run the notebook]"

_md = MarkdownIt("commonmark").use(myst_role_plugin)
_md_plain = MarkdownIt("commonmark")


# --- what the notebook says the page should show ------------------------------------------------
def _text(value):
    return "".join(value) if isinstance(value, list) else value


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _markdown_as_text(md: str) -> str:
    return _squash(html.unescape(re.sub(r"<[^>]+>", "", _md_plain.render(md))))


def _unquote(plain: str) -> str:
    try:
        value = ast.literal_eval(plain)
    except (ValueError, SyntaxError):
        return plain
    return value if isinstance(value, str) else plain


def glue_store(nb) -> dict:
    """{name: (plain text, Markdown)} of the values the notebook glues."""
    return {name: (_text(data.get("text/plain")), _text(data.get("text/markdown")))
            for name, data in glue_outputs(nb).items()}


def expected_role_text(role: str, arg: str, store: dict) -> str | None:
    if role in GLUE:
        name = arg.strip()
        if name not in store:
            return MISSING.format(name)
        plain, markdown = store[name]
        if role != "glue:text" and markdown is not None:
            return _markdown_as_text(markdown)
        return _squash(_unquote(plain if plain is not None else markdown))
    if role in {"cite", "cite:p", "cite:ps", "cite:t", "cite:ts"}:
        keys = "; ".join(k.strip() for k in arg.split(",") if k.strip())
        return keys if role.startswith("cite:t") else f"({keys})"
    if role == "numref":
        return "the figure"
    if role in {"doc", "ref"}:
        m = re.match(r"^(.*?)\s*<([^<>]+)>$", arg.strip(), re.S)
        return _squash(m.group(1) if m and m.group(1) else arg.strip())
    return None  # a role the extension leaves alone


def expected_roles(nb) -> list[tuple[str, str, str]]:
    """(role, argument, text) for every role of every Markdown cell, in order."""
    store, roles = glue_store(nb), []

    def walk(tokens):
        for tok in tokens:
            if tok.type == "myst_role":
                text = expected_role_text(tok.meta["name"], tok.content, store)
                if text is not None:
                    roles.append((tok.meta["name"], tok.content.strip() if tok.meta["name"] in GLUE
                                  else tok.content, text))
            walk(tok.children or [])

    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            walk(_md.parse(_text(cell["source"])))
    return roles


def chart_count(nb) -> int:
    return sum(MIME in out.get("data", {}) for c in nb["cells"] for out in c.get("outputs", []))


def first_chart_cell(nb) -> tuple[int, int] | None:
    """(index of the first cell with a chart, code cells up to and including it)."""
    code = 0
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            code += 1
            if any(MIME in out.get("data", {}) for out in cell.get("outputs", [])):
                return i, code
    return None


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the server and the page ---------------------------------------------------------------------
def _check_extension_built():
    meta = EXT_INSTALLED / "package.json"
    if not meta.exists():
        pytest.fail(f"the JupyterLab extension is not built/installed ({EXT_INSTALLED} is missing): {BUILD_HINT}")
    build = json.loads(meta.read_text(encoding="utf-8")).get("jupyterlab", {}).get("_build", {})
    if not (EXT_INSTALLED / build.get("load", "-")).is_file():
        pytest.fail(f"the installed JupyterLab extension is incomplete ({meta}): {BUILD_HINT}")
    sources = [EXT_SRC / "package.json", EXT_SRC / "package-lock.json",
               *EXT_SRC.glob("src/*.js"), *EXT_SRC.glob("style/*.css")]
    stale = [p.relative_to(ROOT).as_posix() for p in sources if p.stat().st_mtime > meta.stat().st_mtime]
    if stale:
        pytest.fail(f"the installed JupyterLab extension is older than {stale}: {BUILD_HINT}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]



@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    # In this order: a missing build fails even where Chromium is missing too.
    _check_extension_built()
    if not NOTEBOOKS:
        pytest.fail(f"no notebooks in {NOTEBOOK_DIR}")
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root with apt-get); "
                    "the JupyterLab browser test could not run")
    tmp = tmp_path_factory.mktemp("lab")
    settings = tmp / "user-settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    # Nothing the test does (running cells) is ever written back to a notebook.
    (settings / "plugin.jupyterlab-settings").write_text('{"autosave": false}\n', encoding="utf-8")
    # Lab draws only the cells in view by default; the test counts every chart of a long notebook at once.
    tracker = tmp / "user-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}\n', encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
           "JUPYTER_DATA_DIR": str(tmp / "data"), "JUPYTER_PLATFORM_DIRS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "PATH": os.pathsep.join([str(VENV / "bin"), os.environ.get("PATH", "")])}
    log = (tmp / "lab.log").open("w")
    proc = subprocess.Popen(
        [str(VENV / "bin" / "jupyter"), "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={SERVER_ROOT}", "--LabApp.expose_app_in_browser=True",
         f"--LabApp.user_settings_dir={tmp / 'user-settings'}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         # Lab makes a checkpoint of each notebook it opens: keep them out of the repository.
         f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}"],
        cwd=SERVER_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{(tmp / 'lab.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer in 60 s:\n{(tmp / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.2)
        yield {"base": base, "token": token, "log": tmp / "lab.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def lab(lab_server, browser):
    # The session's one Chromium (conftest): Playwright's sync API cannot be started twice in a process.
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda req: requests.append(req.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{lab_server['base']}/lab?reset&token={lab_server['token']}", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')",
                           timeout=45000)
    page.evaluate("() => window.jupyterapp.restored")
    missing = page.evaluate("""() => ['bookkit-lab:myst-roles', 'bookkit-lab:vegalite6']
                                  .filter(id => !window.jupyterapp.hasPlugin(id))""")
    assert not missing, f"JupyterLab did not load the extension's plugins {missing}: {BUILD_HINT}"
    yield {"page": page, "requests": requests, "errors": errors, **lab_server}
    context.close()


def foreign(urls):
    return sorted({u for u in urls if urlsplit(u).scheme in {"http", "https", "ws", "wss"}
                   and urlsplit(u).hostname not in LOCAL_HOSTS}
                  | {u for u in urls if urlsplit(u).scheme not in {"http", "https", "ws", "wss", "data", "blob", "about"}})


OPEN = """async ([path, start]) => {
  const app = window.jupyterapp;
  const args = {path, factory: 'Notebook'};
  if (!start) { args.kernelPreference = {shouldStart: false, canStart: true, autoStartDefault: false}; }
  const w = await app.commands.execute('docmanager:open', args);
  await w.context.ready;
  await w.revealed;
  return w.id;
}"""

CLOSE = """(id) => {
  const w = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.id === id);
  if (w) { w.context.model.dirty = false; w.dispose(); }
}"""

STATE = """([id, mime]) => {
  const root = document.getElementById(id);
  if (!root) { return null; }
  const outputs = Array.from(root.querySelectorAll(`[data-mime-type="${mime}"]`));
  const md = Array.from(root.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown'));
  const leftovers = md.map(el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('pre, code').forEach(c => c.remove());
    return copy.textContent;
  }).filter(t => t.includes('{glue')).map(t => {
    const at = t.indexOf('{glue');
    return t.slice(Math.max(0, at - 60), at + 60);
  });
  const w = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.id === id);
  return {
    dirty: w.context.model.dirty,
    outputs: outputs.length,
    drawn: outputs.filter(o => o.querySelector('.vega-embed svg.marks, .vega-embed canvas.marks')).length,
    errors: outputs.flatMap(o => Array.from(o.querySelectorAll('.bookkit-chart-error')).map(e => e.textContent)),
    markdownCells: root.querySelectorAll('.jp-MarkdownCell').length,
    renderedMarkdown: md.length,
    pending: root.querySelectorAll('.bookkit-role[data-bookkit-state="pending"]').length,
    leftovers,
    roles: Array.from(root.querySelectorAll('.jp-MarkdownCell span.bookkit-role')).map(s => [
      s.dataset.bookkitRole, s.dataset.bookkitKind === 'glue' ? s.dataset.bookkitName : s.dataset.bookkitArg,
      s.textContent.replace(/\\s+/g, ' ').trim()]),
  };
}"""

READY = """([id, mime, charts, markdownCells, roles]) => {
  const root = document.getElementById(id);
  if (!root) { return false; }
  const drawn = Array.from(root.querySelectorAll(`[data-mime-type="${mime}"]`))
    .filter(o => o.querySelector('.vega-embed svg.marks, .vega-embed canvas.marks, .bookkit-chart-error')).length;
  return drawn >= charts
    && root.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown').length >= markdownCells
    // jupyterlab-myst may show a cell before its roles are parsed: wait until every role is there
    && root.querySelectorAll('.jp-MarkdownCell span.bookkit-role').length >= roles
    && !root.querySelector('.bookkit-role[data-bookkit-state="pending"]');
}"""


def _rel(path: Path) -> str:
    return path.relative_to(SERVER_ROOT).as_posix()


def _wait(page, script, arg, timeout):
    try:
        page.wait_for_function(script, arg=arg, timeout=timeout, polling=100)
    except Exception:  # noqa: BLE001 - the assertions below say what is missing
        pass


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_draws_charts_and_fills_roles(lab, nb_path):
    page, nb = lab["page"], load(nb_path)
    before = len(lab["requests"])
    charts = chart_count(nb)
    markdown_cells = sum(c["cell_type"] == "markdown" for c in nb["cells"])
    want = expected_roles(nb)
    widget = page.evaluate(OPEN, [_rel(nb_path), False])
    try:
        _wait(page, READY, [widget, MIME, charts, markdown_cells, len(want)], 20000)
        state = page.evaluate(STATE, [widget, MIME])
    finally:
        page.evaluate(CLOSE, widget)
    name = nb_path.name
    assert not state["dirty"], f"{name}: opening the notebook changed it"
    assert state["markdownCells"] == markdown_cells == state["renderedMarkdown"], (name, state["renderedMarkdown"])
    # (i) every stored chart is drawn by the extension
    assert not state["errors"], f"{name}: charts failed to draw: {state['errors'][:3]}"
    assert state["drawn"] == charts == state["outputs"], \
        f"{name}: {state['drawn']} charts drawn, {state['outputs']} chart outputs shown, {charts} stored"
    # (ii) no raw glue role left, every role shows what the book shows
    assert not state["leftovers"], f"{name}: raw glue roles still shown: {state['leftovers'][:3]}"
    assert state["pending"] == 0
    got = [tuple(r) for r in state["roles"]]
    mismatches = [(w, g) for w, g in zip(want, got) if w != g]
    assert len(got) == len(want) and not mismatches, \
        f"{name}: {len(got)} roles shown, {len(want)} expected; first differences (expected, shown): {mismatches[:5]}"
    assert not foreign(lab["requests"][before:]), f"{name}: requests to other hosts: {foreign(lab['requests'][before:])[:5]}"


WIDGET = "Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.id === id)"

CLEAR = f"""([id, index]) => {{
  const w = {WIDGET};
  for (let i = 0; i <= index; i++) {{
    const m = w.content.widgets[i].model;
    if (m.type === 'code') {{ m.outputs.clear(); m.executionCount = null; }}
  }}
}}"""

RERUN = f"""async ([id, index]) => {{
  const app = window.jupyterapp;
  const w = {WIDGET};
  app.shell.activateById(id);
  await w.sessionContext.ready;
  if (!w.sessionContext.session || !w.sessionContext.session.kernel) {{
    await w.sessionContext.changeKernel({{name: (w.model.getMetadata('kernelspec') || {{}}).name || 'python3'}});
  }}
  const nb = w.content;
  nb.activeCellIndex = index;
  if (index > 0) {{ await app.commands.execute('notebook:run-all-above'); }}
  await app.commands.execute('notebook:run-cell');
  const failed = [];
  for (let i = 0; i <= index; i++) {{
    const m = nb.widgets[i].model;
    if (m.type === 'code') {{
      for (const o of m.outputs.toJSON()) {{ if (o.output_type === 'error') {{ failed.push([i, o.ename, o.evalue]); }} }}
    }}
  }}
  return failed;
}}"""

CHART_DRAWN = f"""([id, index, mime]) => {{
  const w = {WIDGET};
  return w.content.widgets[index].node.querySelector(
    `[data-mime-type="${{mime}}"] .vega-embed svg.marks, [data-mime-type="${{mime}}"] .vega-embed canvas.marks`) !== null;
}}"""

GLUE_SHOWN = """([id, names, missing]) => {
  const spans = Array.from(document.getElementById(id).querySelectorAll('.bookkit-role[data-bookkit-kind="glue"]'))
    .filter(s => names.includes(s.dataset.bookkitName));
  return spans.length > 0 && spans.every(s => (s.dataset.bookkitState === 'missing') === missing);
}"""


def test_rerun_draws_the_chart_again(lab):
    """Clear the outputs of the cells up to the first chart, then run them in order with a kernel."""
    candidates = [(first[1], p.stat().st_size, p, first[0]) for p in NOTEBOOKS
                  if (first := first_chart_cell(load(p)))]
    if not candidates:
        pytest.fail(f"no notebook in {NOTEBOOK_DIR} has a chart to re-run")
    _, _, nb_path, index = min(candidates)
    nb = load(nb_path)
    name, page = nb_path.name, lab["page"]
    rerun_names = sorted(glue_store({"cells": nb["cells"][:index + 1]}))
    shown_names = {n for r, n, _ in expected_roles(nb) if r in GLUE}
    checked = [n for n in rerun_names if n in shown_names]
    before = len(lab["requests"])
    widget = page.evaluate(OPEN, [_rel(nb_path), True])
    try:
        _wait(page, READY, [widget, MIME, chart_count(nb), 0, len(expected_roles(nb))], 20000)
        page.evaluate(CLEAR, [widget, index])
        assert not page.evaluate(CHART_DRAWN, [widget, index, MIME])
        if checked:  # the prose follows the outputs: cleared values show the placeholder ...
            page.wait_for_function(GLUE_SHOWN, arg=[widget, checked, True], timeout=10000, polling=100)
        failed = page.evaluate(RERUN, [widget, index])
        assert not failed, f"{name}: re-running cells 0..{index} raised {failed[:3]}"
        page.wait_for_function(CHART_DRAWN, arg=[widget, index, MIME], timeout=60000, polling=100)
        if checked:  # ... and the re-computed values once the cells have run again
            page.wait_for_function(GLUE_SHOWN, arg=[widget, checked, False], timeout=10000, polling=100)
        state = page.evaluate(STATE, [widget, MIME])
    finally:
        page.evaluate(CLOSE, widget)
    assert not state["errors"] and not state["leftovers"] and state["pending"] == 0, state["errors"]
    assert not foreign(lab["requests"][before:]), foreign(lab["requests"][before:])


def test_no_request_left_localhost_and_no_script_error(lab):
    assert lab["requests"], "no request was recorded"
    assert not foreign(lab["requests"]), f"the page made requests to other hosts: {foreign(lab['requests'])[:10]}"
    assert not lab["errors"], f"uncaught errors in the page: {lab['errors'][:5]}"
