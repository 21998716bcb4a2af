"""`make bench`: measure speed and size; write bench/report.json and bench/report.md.

Wall-clock seconds on this machine, measured in one run so that ratios compare like with like. Each
timing is a median, and the two sides of a ratio are measured in turn (interleaved), so a slow moment
of the machine falls on both.

- floor: a fresh kernel that imports pandas and Altair and shows one chart with Altair's default
  renderer, run by the same machinery as a chapter (bookkit.execute.execute_one);
- each notebook's run, one at a time, as a ratio to the floor (target <= 1.5);
- validation of a generated 1M-row table (the rows of post_2011_events, repeated) against pandas'
  read_csv of the same file (target <= 2);
- sizes: notebook bytes, lines of notebook code, words of prose, the PDF's pages and bytes, the
  downloads' bytes, the built site's bytes;
- build: `make book` in a fresh copy (dependencies already installed), a rebuild with no change and
  a rebuild after editing one notebook's Markdown;
- test: pytest's own time in `make test` in the copy (target <= 150 s on 2 cores).

BENCH_SKIP_BUILD=1 skips the build measures, BENCH_SKIP_TEST=1 the test measure (the two long ones).
Everything runs in a temporary copy of the repository: the checkout is never written to.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
CORES = os.cpu_count() or 1
PY = str(ROOT / ".venv" / "bin" / "python")
MAKE = ["make", "-o", ".venv/.installed"]  # the copy shares this checkout's .venv: never reinstall
ROWS = 1_000_000
FLOOR_CELL = """import altair as alt
import pandas as pd

frame = pd.DataFrame({"year": [2001, 2002, 2003], "value": [1.0, 3.0, 2.0]})
alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q")"""


def copy_repo(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", "_build", ".git", "__pycache__", "bench", "*.egg-info", ".pytest_cache"))
    os.symlink(ROOT / ".venv", dest / ".venv")
    return dest


def run(cmd: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    return seconds, res.stdout + res.stderr


def execute_seconds(repo: Path, notebook: Path, env: dict) -> float:
    """Seconds execute_one takes on one notebook in a fresh kernel (as `make book` runs it)."""
    code = (f"from bookkit.execute import execute_one; print(execute_one({str(notebook)!r})[1])")
    _, out = run([PY, "-c", code], repo, env)
    return float(out.strip().splitlines()[-1])


def floor_notebook(repo: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_CELL)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = repo / "book" / "zz_bench_floor.ipynb"
    nbformat.write(nb, path)
    return path


def measure_notebooks(repo: Path, env: dict) -> dict:
    """Each notebook once, each preceded by a floor run; ratio = notebook / median floor."""
    floor_nb = floor_notebook(repo)
    notebooks = sorted(p for p in (repo / "book").glob("*.ipynb") if p != floor_nb)
    execute_seconds(repo, floor_nb, env)  # warm the disk cache once, not counted
    floors, seconds = [], {}
    for nb in notebooks:
        floors.append(execute_seconds(repo, floor_nb, env))
        seconds[nb.name] = execute_seconds(repo, nb, env)
    floors.append(execute_seconds(repo, floor_nb, env))
    floor_nb.unlink()
    floor = statistics.median(floors)
    ratios = {name: round(s / floor, 2) for name, s in seconds.items()}
    return {"floor_s": round(floor, 2), "floor_runs_s": [round(f, 2) for f in floors],
            "notebook_s": {k: round(v, 2) for k, v in seconds.items()}, "notebook_ratio": ratios,
            "notebook_ratio_max": max(ratios.values()),
            "notebook_ratio_median": round(statistics.median(ratios.values()), 2)}


def measure_validation(repo: Path, env: dict, rounds: int = 9) -> dict:
    """Validate a generated 1M-row table, and read it with pandas, in turn, after a warm-up; medians of each."""
    code = f"""
import json, sys, time, dataclasses
import pandas as pd
from pathlib import Path
from bookkit.schema import get_schema
from bookkit.validate import validate_file
schema = get_schema("post_2011_events")
# Ids must stay unique over a million rows: the generated ids are p + a letter + up to seven digits.
fields = tuple(dataclasses.replace(f, pattern="p[a-z][0-9]{{3,7}}") if f.name == "id" else f for f in schema.fields)
schema = dataclasses.replace(schema, fields=fields)
rows = pd.read_csv(schema.path, dtype=str,
                   keep_default_na=False)
big = rows.iloc[[i % len(rows) for i in range({ROWS})]].reset_index(drop=True)
big["id"] = ["pz" + format(i, "07d") for i in range(len(big))]
path = Path(sys.argv[1])
big.to_csv(path, index=False, lineterminator="\\n")
ours, theirs = [], []
validate_file(path, schema); pd.read_csv(path)  # one warm-up each: imports, code lists, the page cache
for _ in range({rounds}):
    t = time.perf_counter(); validate_file(path, schema); ours.append(time.perf_counter() - t)
    t = time.perf_counter(); pd.read_csv(path); theirs.append(time.perf_counter() - t)
print(json.dumps({{"bytes": path.stat().st_size, "ours": ours, "theirs": theirs}}))
"""
    with tempfile.TemporaryDirectory() as tmp:
        _, out = run([PY, "-c", code, str(Path(tmp) / "big.csv")], repo, env)
    data = json.loads(out.strip().splitlines()[-1])
    ours, theirs = statistics.median(data["ours"]), statistics.median(data["theirs"])
    return {"validation_rows": ROWS, "validation_csv_bytes": data["bytes"],
            "validation_s": round(ours, 2), "read_csv_s": round(theirs, 2),
            "validation_ratio": round(ours / theirs, 2),
            "validation_runs_s": [round(x, 2) for x in data["ours"]],
            "read_csv_runs_s": [round(x, 2) for x in data["theirs"]]}


def measure_sizes(repo: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from bookkit.stats import code_lines, word_count

    book = repo / "book"
    notebooks = sorted(book.glob("*.ipynb"))
    report = {"notebook_bytes": sum(p.stat().st_size for p in notebooks),
              "notebook_code_lines": sum(code_lines(p) for p in notebooks),
              "prose_words": sum(word_count(p) for p in notebooks + sorted(book.glob("*.md")))}
    html = repo / "_build" / "html"
    if html.exists():
        report["site_bytes"] = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()
                                   and "downloads" not in p.parts)
        report["html_bytes_per_page"] = {p.relative_to(html).as_posix(): p.stat().st_size
                                         for p in sorted((html / "book").glob("*.html"))}
        for zip_path in sorted((html / "downloads").glob("*.zip")):
            report[f"download_bytes[{zip_path.name}]"] = zip_path.stat().st_size
    pdfs = sorted((repo / "_build" / "pdf").glob("*.pdf"))
    if pdfs:
        from pypdf import PdfReader

        report["pdf_pages"] = len(PdfReader(pdfs[0]).pages)
        report["pdf_bytes"] = pdfs[0].stat().st_size
    return report


def measure_build(repo: Path, env: dict) -> dict:
    report = {}
    report["build_s"], out = run(MAKE + ["book"], repo, env)
    pdf = re.search(r"^pdf: .*?, (\d+(?:\.\d+)?) s ", out, re.M)
    if pdf:
        report["pdf_build_s"] = float(pdf.group(1))
    report["rebuild_nochange_s"], _ = run(MAKE + ["book"], repo, env)
    nb = sorted((repo / "book").glob("*.ipynb"))[0]
    text = nb.read_text(encoding="utf-8")
    nb.write_text(text.replace('"source": [', '"source": [\n    "<!-- bench edit -->\\n",', 1), encoding="utf-8")
    report["rebuild_one_notebook_s"], out = run(MAKE + ["book"], repo, env)
    report["rebuild_one_notebook_executed"] = len(re.findall(r"^executed ", out, re.M))
    nb.write_text(text, encoding="utf-8")
    run(MAKE + ["book"], repo, env)
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in report.items()}


def measure_test(repo: Path, env: dict) -> dict:
    seconds, out = run(MAKE + ["test"], repo, env)
    pytest_s = re.findall(r"passed.* in ([0-9.]+)s", out)
    return {"make_test_s": round(seconds, 2), "pytest_s": float(pytest_s[-1]) if pytest_s else None}


def report_md(report: dict) -> str:
    lines = ["# Benchmark report", "", f"Machine: {CORES} cores. All times in seconds (medians).", "",
             "| target | measured | limit | met |", "|---|---|---|---|"]
    for name, limit in report["targets"].items():
        lines.append(f"| {name} | {limit[0]} | {limit[1]} | {'yes' if limit[2] else 'no'} |")
    lines += ["", "| measure | value |", "|---|---|"]
    for key, value in report.items():
        if not isinstance(value, dict | list) and key != "targets":
            lines.append(f"| {key} | {value} |")
    lines += ["", "| notebook | seconds | ratio to the floor |", "|---|---|---|"]
    lines += [f"| {k} | {v} | {report['notebook_ratio'][k]} |" for k, v in report["notebook_s"].items()]
    if "html_bytes_per_page" in report:
        lines += ["", "| page | HTML bytes |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in report["html_bytes_per_page"].items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    report: dict = {"cores": CORES, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_repo(Path(tmp) / "repo")
        env = {**os.environ, "MAKEFLAGS": "", "PYTHONPATH": str(repo)}
        print("bench: notebooks against the floor ...", flush=True)
        report.update(measure_notebooks(repo, env))
        print("bench: validation of a 1M-row table ...", flush=True)
        report.update(measure_validation(repo, env))
        if not os.environ.get("BENCH_SKIP_BUILD"):
            print("bench: make book (fresh, unchanged, one notebook edited) ...", flush=True)
            report.update(measure_build(repo, env))
        if not os.environ.get("BENCH_SKIP_TEST"):
            print("bench: make test ...", flush=True)
            report.update(measure_test(repo, env))
        report.update(measure_sizes(repo if (repo / "_build").exists() else ROOT))
    targets = {
        "slowest notebook / floor": [report["notebook_ratio_max"], 1.5, report["notebook_ratio_max"] <= 1.5],
        "validation / read_csv (1M rows)": [report["validation_ratio"], 2.0, report["validation_ratio"] <= 2.0],
    }
    if report.get("pytest_s"):
        targets["pytest seconds (make test)"] = [report["pytest_s"], 150, report["pytest_s"] <= 150]
    if "build_s" in report:
        targets["no-change rebuild / build"] = [round(report["rebuild_nochange_s"] / report["build_s"], 2), 0.1,
                                                report["rebuild_nochange_s"] <= 0.1 * report["build_s"]]
    report["targets"] = targets
    OUT.mkdir(exist_ok=True)
    (OUT / "report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    text = report_md(report)
    (OUT / "report.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
