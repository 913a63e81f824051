# Set-up is part of each target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RG     := $(VENV)/bin/reportgen
STAMP  := $(VENV)/.installed

.PHONY: demo test lint golden bench clean

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask]'
	# The tests read PDFs with poppler's pdftotext too (tests/searchable.py): install it when missing and root.
	command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq poppler-utils; }
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(RG) validate samples/clusters.xlsx
	$(RG) brief samples/clusters.xlsx -o out/brief.pdf
	$(RG) brief samples/clusters.xlsx --region "Upper Egypt" -o out/upper-egypt.pdf
	$(RG) brief samples/clusters.xlsx --governorate الأقصر --governorate قنا -o out/luxor-qena.pdf
	$(RG) dossiers samples/clusters.xlsx -o out/dossiers
	$(RG) verify -q out/dossiers/*.pdf
	$(RG) handout samples/clusters.xlsx -o out/handout.pdf
	$(RG) handout samples/clusters.xlsx --region "Upper Egypt" -o out/upper.pdf
	$(RG) handout samples/clusters.xlsx --paper A5 --booklet -o out/booklet.pdf
	$(RG) handout samples/clusters.xlsx --bleed 3 -o out/press.pdf
	@echo "Sample documents are in out/"

test: lint
	$(PY) -m pytest -q

# The architecture (import-linter's contracts in pyproject.toml), types, lint and format: a backward import,
# a second importer of a library, a type error or an unformatted file fails the build.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

golden: $(STAMP)
	$(PY) -m tests.golden --update

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf out build dist *.egg-info
