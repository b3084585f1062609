# Two entry points for a fresh machine (Python >= 3.11, make, bash; node for the ajv tests):
#   make demo   install, then validate the bundled sample dataset and print the report
#   make test   install, then lint, type-check, check schema drift and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck pytest schemas samples clean

# The reference plugins are installed like a vendor's connector (own package, entry point).
$(STAMP): pyproject.toml plugins/vstd-connector-nvsi/pyproject.toml plugins/vstd-plugin-example/pyproject.toml plugins/vstd-connector-zyh/pyproject.toml plugins/vstd-connector-gateway/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet -e plugins/vstd-connector-nvsi
	$(BIN)/python -m pip install --quiet -e plugins/vstd-plugin-example
	$(BIN)/python -m pip install --quiet -e plugins/vstd-connector-zyh
	$(BIN)/python -m pip install --quiet -e plugins/vstd-connector-gateway
	touch $(STAMP)

install: $(STAMP)

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(BIN)/vstd validate examples/sample.json

lint: install
	$(BIN)/ruff check volunteer_standard tests bench plugins
	$(BIN)/ruff format --check volunteer_standard tests bench plugins

typecheck: install
	$(BIN)/mypy --strict volunteer_standard
	$(BIN)/mypy --strict plugins/vstd-connector-nvsi/src/vstd_connector_nvsi
	$(BIN)/mypy --strict plugins/vstd-plugin-example/src/vstd_plugin_example
	$(BIN)/mypy --strict plugins/vstd-connector-zyh/src/vstd_connector_zyh
	$(BIN)/mypy --strict plugins/vstd-connector-gateway/src/vstd_connector_gateway

pytest: install tests/js/node_modules/.installed
	$(BIN)/pytest -q -n 2

test: lint typecheck pytest

schemas: install
	$(BIN)/vstd schema schemas

samples: install
	$(BIN)/python -m volunteer_standard.samples examples

clean:
	rm -rf $(VENV) tests/js/node_modules .pytest_cache .mypy_cache .ruff_cache
