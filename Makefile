# Two entry points for a fresh machine (Python >= 3.11, make, bash; node for the ajv tests):
#   make demo   install, then validate the bundled sample dataset and print the report
#   make test   install, then lint, type-check, check schema drift and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck audit pytest fuzz bench docs docs-reference schemas samples clean system-deps

# Reference plugins, each installed like a vendor's package (its own pyproject, entry point).
PLUGINS := $(sort $(dir $(wildcard plugins/*/pyproject.toml)))

$(STAMP): pyproject.toml $(PLUGINS:%=%pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet $(PLUGINS:%=-e %)
	touch $(STAMP)

install: $(STAMP)

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(BIN)/vstd validate examples/sample.json

lint: install
	$(BIN)/ruff check volunteer_standard tests bench plugins fuzz scripts docs/gen
	$(BIN)/ruff format --check volunteer_standard tests bench plugins fuzz scripts docs/gen
	$(BIN)/lint-imports
	$(BIN)/radon cc -n D volunteer_standard --total-average | tee /dev/stderr | (! grep -E '^ +[MFC] ')

typecheck: install
	$(BIN)/mypy --strict volunteer_standard
	for plugin in $(PLUGINS); do $(BIN)/mypy --strict $$plugin/src/* || exit 1; done
	$(BIN)/mypy --strict --explicit-package-bases docs/gen

pytest: install tests/js/node_modules/.installed
	$(BIN)/pytest -q -n 2

# Known vulnerabilities in the installed dependencies fail the build (needs the index only).
audit: install
	$(BIN)/python scripts/audit.py

# A longer fuzzing run of the readers (FUZZ_SECONDS, default 600); see fuzz/run.py.
FUZZ_SECONDS ?= 600
fuzz: install
	$(BIN)/python fuzz/run.py $(FUZZ_SECONDS)

# The benchmark suite (bench/README.md): every case at BENCH_SIZES, ratios from one run.
BENCH_SIZES ?= 20k
bench: install tests/js/node_modules/.installed
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES)

# The documentation site (mkdocs.yml) in strict mode: a broken link, a page without its
# other-language twin or a stale generated reference fails. Output in site/.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Regenerate the references in docs/ that come from the code (docs/gen/reference.py).
docs-reference: install
	$(BIN)/python -m docs.gen.reference

test: lint typecheck audit pytest docs

# Debian/Ubuntu packages that printed certificates and their tests use (run as root; .ci/run does):
# pdftoppm/pdftotext render and read the PDF, and a CJK font is embedded in it; jq is used by
# an example of the docs (docs/report-format.md) that the tests run.
system-deps:
	apt-get update -qq && apt-get install -y -qq poppler-utils fonts-noto-cjk jq

schemas: install
	$(BIN)/vstd schema schemas
	$(BIN)/vstd serve openapi schemas
	$(BIN)/python -m docs.gen.reference

samples: install
	$(BIN)/python -m volunteer_standard.samples examples

clean:
	rm -rf $(VENV) tests/js/node_modules .pytest_cache .mypy_cache .ruff_cache site build/docs-src
