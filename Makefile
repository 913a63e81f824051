# Set-up is part of each target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RG     := $(VENV)/bin/reportgen
STAMP  := $(VENV)/.installed

.PHONY: demo test lint golden bench clean docs-images docs-site-images messages

# Programs the tests run, as program:Debian package. Installed through apt when missing and make runs as
# root; otherwise named, and the tests that need them skip (or fail under CI=true, where they must run).
SYSTEM_TOOLS := soffice:libreoffice-calc-nogui pdftoppm:poppler-utils pdftotext:poppler-utils chromium:chromium

$(STAMP): pyproject.toml Makefile
	@missing=""; for tool in $(SYSTEM_TOOLS); do \
	  command -v $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool##*:}"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	elif [ -n "$$missing" ]; then \
	  echo "note: install the Debian package(s)$$missing; the tests that need them skip (and fail when CI=true)"; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask,serve]'
	# The tests read PDFs with poppler's pdftotext too (tests/searchable.py): install it when missing and root.
	command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq poppler-utils; }
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(RG) validate samples/clusters.xlsx
	$(RG) brief samples/clusters.xlsx -o out/brief.pdf
	$(RG) brief samples/clusters.xlsx --region "Upper Egypt" -o out/upper-egypt.pdf
	$(RG) brief samples/clusters.xlsx --governorate الأقصر --governorate قنا -o out/luxor-qena.pdf
	@# A demonstration key in the name of the sample's certification body (its password in a file, as a script
	@# would give it): dossiers are signed.
	printf 'demo-only-password\n' > out/demo-password.txt
	test -f out/signing-key.p12 || $(RG) keys new --dir out --name "الهيئة المصرية العامة للمواصفات والجودة" \
		--password-file out/demo-password.txt
	$(RG) dossiers samples/clusters.xlsx -o out/dossiers --sign out/signing-key.p12 \
		--sign-password-file out/demo-password.txt --config samples/reportgen.toml
	$(RG) verify -q out/dossiers/*.pdf
	@# The verification site of those dossiers (their QR codes open https://certificates.example.org/c/…/).
	$(RG) site out/dossiers -o out/site --sign out/signing-key.p12 --sign-password-file out/demo-password.txt
	$(RG) handout samples/clusters.xlsx -o out/handout.pdf
	$(RG) handout samples/clusters.xlsx --region "Upper Egypt" -o out/upper.pdf
	$(RG) handout samples/clusters.xlsx --paper A5 --booklet -o out/booklet.pdf
	$(RG) handout samples/clusters.xlsx --bleed 3 -o out/press.pdf
	@echo "Sample documents are in out/"
	@echo "The same in your web browser, in Arabic: $(RG) serve samples/clusters.xlsx"

test: lint
	$(PY) -m pytest -q -n auto --dist loadscope  # every core, a module at a time (tests/conftest.py)

# The architecture (import-linter's contracts in pyproject.toml), types, lint and format: a backward import,
# a second importer of a library, a type error or an unformatted file fails the build.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The page images of docs/brief.md, docs/dossier.md and docs/handout.md: the samples rendered now, a few pages
# each at 75 dpi, reduced to 64 colours (a few hundred KB in all). Run after changing a template, and look at them.
DOCS_OUT := out/docs
docs-images: $(STAMP)
	mkdir -p $(DOCS_OUT) docs/images
	$(RG) brief samples/clusters.xlsx -o $(DOCS_OUT)/brief.pdf --force --quiet
	@# Dossiers are certificates only when signed: a demonstration key, as `make demo` makes one.
	printf 'demo-only-password\n' > $(DOCS_OUT)/demo-password.txt
	test -f $(DOCS_OUT)/signing-key.p12 || $(RG) keys new --dir $(DOCS_OUT) --name "الهيئة المصرية العامة للمواصفات والجودة" \
		--password-file $(DOCS_OUT)/demo-password.txt
	$(RG) dossiers samples/clusters.xlsx --cluster EG-LX-001 -o $(DOCS_OUT)/dossiers --force --quiet \
		--sign $(DOCS_OUT)/signing-key.p12 --sign-password-file $(DOCS_OUT)/demo-password.txt
	$(RG) handout samples/clusters.xlsx -o $(DOCS_OUT)/handout.pdf --force --quiet
	for page in 2 4 10; do \
	  pdftoppm -png -r 75 -f $$page -l $$page -singlefile $(DOCS_OUT)/brief.pdf docs/images/brief-$$page; done
	for page in 1 2 3; do \
	  pdftoppm -png -r 75 -f $$page -l $$page -singlefile $(DOCS_OUT)/dossiers/EG-LX-001.pdf docs/images/dossier-$$page; done
	for page in 1 2 7; do \
	  pdftoppm -png -r 75 -f $$page -l $$page -singlefile $(DOCS_OUT)/handout.pdf docs/images/handout-$$page; done
	$(PY) -c "import sys; from PIL import Image; [Image.open(f).quantize(64).save(f, optimize=True) for f in sys.argv[1:]]" \
	  docs/images/brief-*.png docs/images/dossier-*.png docs/images/handout-*.png
	$(PY) -m tests.serve_screenshots  # docs/images/serve-*.png: reportgen serve's screens in Chromium

# The verification site's screenshots in docs/site.md (Arabic and English, phone and desktop), from make demo's site.
docs-site-images: demo
	$(PY) docs/site_images.py out/site docs/images

# Messages (see CONTRIBUTING.md, "Translations"): every _(), N_() and ngettext() text of the code extracted into
# the template (babel.cfg), merged into the Arabic catalog (new messages arrive untranslated, changed ones fuzzy:
# translate them), then compiled into the .mo the package ships. Commit the .pot, .po and .mo together;
# tests/test_translations.py fails while a message has no translation or the .mo is older than the .po.
LOCALE := reportgen/i18n/locale
messages: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-default-keywords -k _ -k N_ -k ngettext:1,2 --sort-by-file \
	  --add-location file --no-wrap --project reportgen --copyright-holder "reportgen contributors" \
	  -o $(LOCALE)/reportgen.pot .
	$(VENV)/bin/pybabel -q update -i $(LOCALE)/reportgen.pot -d $(LOCALE) -D reportgen -l ar --no-wrap --ignore-obsolete
	$(VENV)/bin/pybabel -q compile -d $(LOCALE) -D reportgen -l ar --statistics

golden: $(STAMP)
	$(PY) -m tests.golden --update

# The benchmarks (benchmarks/run.py; CONTRIBUTING.md, "Benchmarks"): every target of issue 15 in one run, written to
# the head of docs/benchmarks.md. An hour or more on a busy 2-core machine; `BENCH_QUICK=1 make bench`: a few minutes,
# docs left alone. Chromium is a peer: Playwright (the bench extra) drives Debian's chromium, installed as root when
# missing; without it the benchmark runs and says Chromium was not measured. (Debian's chromium pulls in
# libharfbuzz-subset0, which WeasyPrint would use; reportgen subsets with uharfbuzz.)
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench,dask]'
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
	      || echo "note: could not install Debian's chromium: Chromium will not be measured"; \
	  else echo "note: install Debian's chromium (or set CHROMIUM) to measure it beside reportgen"; fi; }
	$(PY) benchmarks/run.py

clean:
	rm -rf out build dist *.egg-info
