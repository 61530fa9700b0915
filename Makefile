# Everything a newcomer or CI needs; each target sets up the virtualenv first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml connectors/example/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' -e connectors/example
	touch $(STAMP)

## Generate the embedded demo estate, scan it, print the summary and write reports to demo-out/.
demo: $(STAMP)
	$(BIN)/pi-scanner demo --output demo-out

## The whole test suite (unit + integration against PostgreSQL, MariaDB, SQLite and a moto S3 server).
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

## ruff, mypy --strict, and the import contract (layers of ARCHITECTURE.md, no import circles).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks connectors/example
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf demo-out .pytest_cache .mypy_cache .ruff_cache
