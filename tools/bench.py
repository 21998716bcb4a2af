"""`make bench`: measure the book's build, rebuild, test time and page weight; write bench/report.{json,md}.

All timings are wall-clock seconds on this machine, in one run, so the ratios compare like with like:
- floor: one fresh kernel that imports pandas and altair and makes one chart (the least a notebook costs);
- build: `make book` in a fresh copy of the repository, dependencies already installed
  (target: <= 1.5 x notebooks x floor / cores);
- no-change rebuild: `make book` again (target: <= 0.10 x build);
- one-notebook edit: `make book` after editing one notebook's Markdown (notebooks re-executed are counted);
- test: `make test` in the copy (target: <= 3 x build);
- per-notebook execution time, HTML size per page, total JS/CSS weight.
Set BENCH_SKIP_TEST=1 to skip the (long) `make test` measurement.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
CORES = os.cpu_count() or 1
# The copy shares this checkout's .venv (symlink); never reinstall into it from the copy.
MAKE = ["make", "-o", ".venv/.installed"]


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    return elapsed, res.stdout + res.stderr


def floor_seconds(py: str) -> float:
    """A fresh kernel: start, import pandas + altair + bookkit, render one chart, shut down."""
    code = ("import time, nbformat; from nbclient import NotebookClient\n"
            "nb = nbformat.v4.new_notebook(); nb.cells = [nbformat.v4.new_code_cell(\n"
            "'import pandas as pd, altair as alt, bookkit\\n'\n"
            "'from bookkit.charts import finish\\n'\n"
            "'df = pd.DataFrame({\"x\": [1, 2], \"y\": [3, 4]})\\n'\n"
            "'finish(alt.Chart(df).mark_line().encode(x=alt.X(\"x:Q\", title=\"x (unit)\"), y=alt.Y(\"y:Q\", title=\"y (unit)\"), tooltip=[\"x\", \"y\"]), title=\"t\", source=\"s\", description=\"a floor benchmark chart\")')]\n"
            "t = time.perf_counter(); NotebookClient(nb, kernel_name='python3').execute(); print(time.perf_counter() - t)")
    runs = [float(subprocess.run([py, "-c", code], capture_output=True, text=True, check=True).stdout.strip())
            for _ in range(3)]
    return sorted(runs)[1]  # median of three


def copy_repo(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, symlinks=True,
                    ignore=shutil.ignore_patterns(".venv", "node_modules", "_build", ".git", "__pycache__", "bench",
                                                  "*.egg-info"))
    # Reuse the installed environment: we measure the build, not the download.
    return dest


def page_weights(html: Path) -> dict:
    pages = {p.relative_to(html).as_posix(): p.stat().st_size
             for p in sorted(html.rglob("*.html")) if "_static" not in p.parts}
    js = sum(p.stat().st_size for p in html.rglob("*.js"))
    css = sum(p.stat().st_size for p in html.rglob("*.css"))
    total = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    return {"html_bytes_per_page": pages, "js_bytes_total": js, "css_bytes_total": css, "site_bytes_total": total}


def main() -> None:
    py = str(ROOT / ".venv" / "bin" / "python")
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    report: dict = {"cores": CORES, "notebooks": len(notebooks)}
    report["floor_s"] = round(floor_seconds(py), 2)

    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_repo(Path(tmp) / "repo")
        env = {**os.environ, "MAKEFLAGS": "", "PYTHONPATH": str(repo)}
        # Share this checkout's installed environment: we measure the build, not the download.
        os.symlink(ROOT / ".venv", repo / ".venv")
        report["build_s"], _ = map_first(timed(MAKE + ["book"], repo, env))
        report["rebuild_nochange_s"], _ = map_first(timed(MAKE + ["book"], repo, env))

        nb = repo / "book" / notebooks[0].name
        text = nb.read_text(encoding="utf-8")
        nb.write_text(text.replace('"source": [', '"source": [\n    "<!-- bench edit -->\\n",', 1), encoding="utf-8")
        seconds, out = timed(MAKE + ["book"], repo, env)
        report["rebuild_one_notebook_s"] = round(seconds, 2)
        report["rebuild_one_notebook_executed"] = len(re.findall(r"^executed ", out, re.M))
        nb.write_text(text, encoding="utf-8")
        timed(MAKE + ["book"], repo, env)

        # Per-notebook execution time (one kernel each, serially).
        timings = {}
        for p in notebooks:
            t, _ = timed([py, "-c", f"from bookkit.execute import execute_one; print(execute_one({str(repo / 'book' / p.name)!r})[1])"], repo, env)
            timings[p.name] = round(t, 2)
        report["notebook_execution_s"] = timings

        if not os.environ.get("BENCH_SKIP_TEST"):
            report["test_s"], _ = map_first(timed(MAKE + ["test"], repo, env))
        report.update(page_weights(repo / "_build" / "html"))

    target_build = 1.5 * len(notebooks) * report["floor_s"] / CORES
    report["targets"] = {
        "build_s <= 1.5 x notebooks x floor / cores": [round(target_build, 2), report["build_s"] <= target_build],
        "rebuild_nochange_s <= 0.10 x build_s": [round(0.1 * report["build_s"], 2),
                                                  report["rebuild_nochange_s"] <= 0.1 * report["build_s"]],
    }
    if "test_s" in report:
        report["targets"]["test_s <= 3 x build_s"] = [round(3 * report["build_s"], 2),
                                                      report["test_s"] <= 3 * report["build_s"]]
    OUT.mkdir(exist_ok=True)
    (OUT / "report.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    lines = ["# Benchmark report", "", f"Machine: {CORES} cores. Notebooks: {len(notebooks)}.", "",
             "| measure | value |", "|---|---|"]
    for key in ("floor_s", "build_s", "rebuild_nochange_s", "rebuild_one_notebook_s",
                "rebuild_one_notebook_executed", "test_s", "js_bytes_total", "css_bytes_total", "site_bytes_total"):
        if key in report:
            lines.append(f"| {key} | {report[key]} |")
    lines += ["", "| target | limit | met |", "|---|---|---|"]
    lines += [f"| {k} | {v[0]} | {'yes' if v[1] else 'no'} |" for k, v in report["targets"].items()]
    lines += ["", "| notebook | execution s |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report["notebook_execution_s"].items()]
    lines += ["", "| page | HTML bytes |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report["html_bytes_per_page"].items()]
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def map_first(pair):
    return round(pair[0], 2), pair[1]


if __name__ == "__main__":
    main()
