# Two entry points for a fresh machine (Python >= 3.11, make, bash; node for the ajv tests):
#   make demo   install, then validate the bundled sample dataset and print the report
#   make test   install, then lint, type-check, check schema drift and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck pytest schemas samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(BIN)/vstd validate examples/sample.json

lint: install
	$(BIN)/ruff check volunteer_standard tests bench
	$(BIN)/ruff format --check volunteer_standard tests bench

typecheck: install
	$(BIN)/mypy --strict volunteer_standard

pytest: install tests/js/node_modules/.installed
	$(BIN)/pytest -q -n 2

test: lint typecheck pytest

schemas: install
	$(BIN)/vstd schema schemas

samples: install
	$(BIN)/python -m volunteer_standard.samples examples

clean:
	rm -rf $(VENV) tests/js/node_modules .pytest_cache .mypy_cache .ruff_cache
