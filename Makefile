# Two commands for a fresh machine with Python 3.11 and make:
#   make book   -> .venv with the pinned packages, then the HTML book in _build/html
#   make test   -> data validation, bad-input suite, nbval on every notebook, build checks, offline browser test
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# cffconvert (CITATION.cff validation) pins jsonschema<4, which Jupyter cannot use: it gets its own venv.
CFF := $(VENV)/cffconvert
PY := $(BIN)/python
JOBS ?= 2
# Fixed build date: nothing in the output depends on when it was built.
export SOURCE_DATE_EPOCH ?= 1764374400
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Import this checkout's bookkit (also in kernels), whatever the venv's editable install points at.
export PYTHONPATH := $(CURDIR)

NOTEBOOKS := $(wildcard book/*.ipynb)
BOOK_INPUTS := _config.yml _toc.yml $(wildcard book/*.md) $(wildcard book/references/*.bib) \
               $(shell find book/_static -type f 2>/dev/null) book/_outputs_manifest.json
RUN_INPUTS := $(NOTEBOOKS) $(shell find bookkit data/curated data/schemas data/tidy -type f \( -name '*.py' -o -name '*.csv' -o -name '*.yaml' \) 2>/dev/null) \
              $(wildcard book/references/*.bib)

.PHONY: help install book data execute test lab bench clean lock chromium axe new-chapter

help:
	@echo "make book   build the HTML book into _build/html (installs .venv first)"
	@echo "make test   run every test (data, notebooks under nbval, build, offline browser)"
	@echo "make lab    open the notebooks in JupyterLab"
	@echo "make data   rebuild derived tables in data/tidy from data/raw and validate all tables"
	@echo "make bench  measure build, rebuild, test and page weight -> bench/report.{json,md}"

# --- environment -------------------------------------------------------------------------
install: $(VENV)/.installed
$(VENV)/.installed: requirements.lock requirements-cff.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (or: make PYTHON=python3 ...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	test -x $(CFF)/bin/python || $(PYTHON) -m venv $(CFF)
	$(CFF)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-cff.lock
	touch $@

lock: ## re-resolve requirements.in -> requirements.lock and environment.yml (needs pip-tools)
	$(PY) -m pip install --quiet pip-tools
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links -o requirements.lock requirements.in
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links -o requirements-cff.lock requirements-cff.in
	$(PY) tools/write_environment.py

# Debian's Chromium for the browser tests. Installed when we are root with apt-get; otherwise the
# browser tests report themselves as skipped, with this reason.
chromium:
	@if command -v chromium >/dev/null; then echo "chromium: $$(chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: browser tests will be skipped"; \
	else echo "not root or no apt-get: chromium not installed, browser tests will be skipped"; fi

# axe-core (pinned in package-lock.json) for the accessibility test; nothing from npm ships in the book.
axe:
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; \
	else echo "npm not found: the accessibility test will be skipped"; fi

# --- data and notebooks ------------------------------------------------------------------
data: install
	$(PY) -m bookkit build

# Re-execute only notebooks whose inputs (code, data, schemas, bookkit) changed since their
# outputs were stored; see bookkit/execute.py.
execute: data
	$(PY) -m bookkit.execute --stale --jobs $(JOBS)

book/_outputs_manifest.json: $(RUN_INPUTS) | install
	$(PY) -m bookkit build
	$(PY) -m bookkit.execute --stale --jobs $(JOBS)
	touch $@

# --- the book ----------------------------------------------------------------------------
book: _build/html/index.html
# --all: Sphinx copies changed _static files only when a page changed too, so always write everything.
_build/html/index.html: $(BOOK_INPUTS) | install
	$(BIN)/jupyter-book build . --all --quiet --warningiserror --keep-going
	@echo "book: file://$(CURDIR)/_build/html/index.html"

# Scaffold a chapter: notebook from tools/templates, schema + CSV stub, _toc.yml entry (see FORKING.md).
new-chapter: install
	@test -n "$(NAME)" || { echo "usage: make new-chapter NAME=my_chapter"; exit 1; }
	$(PY) tools/new_chapter.py $(NAME)

lab: install
	$(BIN)/jupyter lab book/

# --- tests -------------------------------------------------------------------------------
test: install chromium axe book
	$(BIN)/pytest -n $(JOBS) --dist loadscope --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  tests book

bench: install
	$(PY) tools/bench.py

clean:
	rm -rf _build bench/*.tmp
