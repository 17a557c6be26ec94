# The two commands a fresh clone needs: `make generate`, then `make test`.
# Both create .venv from pyproject.toml when it is missing or older than pyproject.toml.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test lint check typecheck clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11" >&2; exit 2; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/toolspec generate

lint: $(STAMP)
	$(BIN)/toolspec lint

check: $(STAMP)
	$(BIN)/toolspec check

typecheck: $(STAMP)
	$(BIN)/mypy --strict generator/toolspec
	$(BIN)/mypy --strict generated

test: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/toolspec lint
	$(BIN)/toolspec check
	$(BIN)/mypy --strict generator/toolspec
	$(BIN)/mypy --strict generated
	$(BIN)/pytest -q -n auto

clean:
	rm -rf $(VENV) build dist *.egg-info
