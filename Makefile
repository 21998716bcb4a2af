# Two commands for a fresh machine with Python 3.11 and make:
#   make book   -> .venv with the pinned packages, derived tables, stale notebooks re-run, then the HTML
#                  book, the PDF edition and the offline zip archives
#   make test   -> lint, data validation and the bad-input suite, nbval on every notebook, the site, the
#                  PDF edition and the archives, JupyterLab and offline-browser checks
# `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# cffconvert (CITATION.cff validation) pins jsonschema<4, which Jupyter cannot use: it gets its own venv.
CFF := $(VENV)/cffconvert
PY := $(BIN)/python
JOBS ?= 2
# Fixed build date, the release date in CITATION.cff: nothing in the output depends on when it was built.
export SOURCE_DATE_EPOCH ?= $(shell date -u -d "$$(sed -n 's/^date-released: *"*\([0-9-]*\).*/\1/p' CITATION.cff)" +%s)
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Import this checkout's packages (also in kernels), whatever the venv's editable install points at.
export PYTHONPATH := $(CURDIR)

NOTEBOOKS := $(wildcard book/*.ipynb)
CODE := $(shell find bookkit csto -name '*.py' 2>/dev/null) pyproject.toml
DATA := $(shell find data -type f ! -name '*.md' 2>/dev/null)
BIBS := $(wildcard book/references/*.bib)
BOOK_INPUTS := _config.yml _toc.yml $(wildcard book/*.md) $(BIBS) \
               $(shell find book/_static -type f 2>/dev/null) book/_outputs_manifest.json
LABEXT := $(VENV)/share/jupyter/labextensions/bookkit-lab/package.json

.PHONY: help install labextension data execute book pdf dist test lint lab bench clean lock chromium fonts axe new-chapter

help:
	@echo "make book          build the HTML book into _build/html (installs .venv, re-runs stale notebooks)"
	@echo "make test          run every test: lint, data, notebooks under nbval, site, PDF, archives, JupyterLab"
	@echo "make pdf, make dist the same as make book: the site, the PDF and the zip archives are built together"
	@echo "make lab           open the notebooks in JupyterLab (charts and numbers drawn offline)"
	@echo "make data          rebuild derived tables and datapackage.json from data/raw; validate every table"
	@echo "make execute       re-run the notebooks whose inputs changed"
	@echo "make lint          ruff on the code and the notebooks"
	@echo "make bench         measure build, run, validation and test times -> bench/report.{json,md}"
	@echo "make new-chapter NAME=x   scaffold a chapter (notebook, schema, CSV stub, _toc.yml entry)"
	@echo "make lock          re-resolve requirements.in into requirements.lock and environment.yml"

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

# The JupyterLab extension (bookkit/lab): draws Vega-Lite 6 outputs and fills in glue roles in Lab.
# Built from bookkit/lab/package-lock.json with npm (registry only), installed into .venv.
labextension: $(LABEXT)
$(LABEXT): tools/build_labextension.sh bookkit/lab/package.json bookkit/lab/package-lock.json \
           $(wildcard bookkit/lab/src/*.js) $(wildcard bookkit/lab/style/*.css) | install
	bash tools/build_labextension.sh

# Debian's Chromium (browser tests, the PDF edition), Noto fonts (Persian text in the PDF) and poppler's
# pdftotext (the PDF test reads the text with it). Installed when we are root with apt-get; otherwise
# the browser tests are skipped and say why.
DEBIAN_PACKAGES := chromium fonts-noto-core poppler-utils
chromium:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "debian packages present: $(DEBIAN_PACKAGES)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	  || echo "could not install $$missing: browser and PDF tests will fail or be skipped"; \
	else echo "not root or no apt-get: $$missing not installed, browser tests will be skipped"; fi
fonts: chromium

# axe-core (pinned in package-lock.json) for the accessibility test; nothing from npm ships in the book.
axe:
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; \
	else echo "npm not found: the accessibility test will be skipped"; fi

# --- data and notebooks ------------------------------------------------------------------
# Derived tables are rebuilt from their declared inputs (data/schemas/*.yaml: derived_from, derived_by);
# a file is rewritten only when its content changes. datapackage.json follows the schemas.
data: install
	$(PY) -m bookkit build
	$(PY) -m bookkit datapackage

# Re-execute only notebooks whose recorded inputs changed since their outputs were stored
# (bookkit/execute.py: each notebook's inputs are the files its kernel actually read).
execute: data
	$(PY) -m bookkit.execute --stale --jobs $(JOBS)

book/_outputs_manifest.json: $(NOTEBOOKS) $(CODE) $(DATA) $(BIBS) | install
	$(PY) -m bookkit build
	$(PY) -m bookkit datapackage
	$(PY) -m bookkit.execute --stale --jobs $(JOBS)
	touch $@

# --- the book ----------------------------------------------------------------------------
# Three editions from one build: the HTML site, the PDF (a single-page build printed by Chromium; see
# README, "Editions") and the offline downloads (the site and the data as zip archives), which the
# preface links to from _build/html/downloads/.
book: _build/html/index.html
# --all: Sphinx copies changed _static files only when a page changed too, so always write everything.
# The output folders are emptied first: files of a removed page or table must not linger in the site.
_build/html/index.html: $(BOOK_INPUTS) CITATION.cff | install chromium
	rm -rf _build/html _build/singlehtml
	$(BIN)/jupyter-book build . --all --quiet --warningiserror --keep-going
	$(BIN)/jupyter-book build . --builder singlehtml --all --quiet --warningiserror --keep-going
	$(PY) -m bookkit.pdf
	$(PY) -m bookkit.dist
	@echo "book: file://$(CURDIR)/_build/html/index.html"

pdf dist: book

new-chapter: install
	@test -n "$(NAME)" || { echo "usage: make new-chapter NAME=my_chapter"; exit 1; }
	$(PY) tools/new_chapter.py $(NAME)

lab: install labextension
	$(BIN)/jupyter lab book/

# --- tests -------------------------------------------------------------------------------
lint: install
	$(BIN)/ruff check .

test: install chromium axe labextension lint book
	$(BIN)/pytest -n $(JOBS) --dist loadscope --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  tests book

bench: install
	$(PY) tools/bench.py

clean:
	rm -rf _build bench/*.tmp
