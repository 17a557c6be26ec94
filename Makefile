# The two commands a fresh clone needs: `make generate`, then `make test`.
# Both create .venv from pyproject.toml when it is missing or older than pyproject.toml.
# The Python that creates .venv: the first of PYTHON_CANDIDATES on the PATH that is 3.11 or newer,
# looked for only when .venv is built (the eval keeps the answer). PYTHON=... overrides it.
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
PYTHON ?= $(eval PYTHON := $(shell for candidate in $(PYTHON_CANDIDATES); do \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$candidate; break; }; \
	done))$(PYTHON)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test lint check typecheck clean bench

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python 3.11 or newer on the PATH (tried $(PYTHON_CANDIDATES)): install one, or run make PYTHON=/path/to/python3" >&2; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "error: $(PYTHON) is not Python 3.11 or newer, or was not found: run make PYTHON=/path/to/python3" >&2; exit 2; }
	@echo "Creating $(VENV) with $(PYTHON), and installing toolspec and its development dependencies into it (a minute or two)"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -e '.[dev]'
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
	$(BIN)/ruff check generator tests examples
	$(BIN)/ruff format --check generator tests examples
	$(BIN)/toolspec lint
	$(BIN)/toolspec check
	$(BIN)/mypy --strict generator/toolspec
	$(BIN)/mypy --strict generated
	$(BIN)/mypy --strict examples
	$(BIN)/pytest -q -n auto --dist loadgroup

# `make bench`: every performance figure of issue 9 in one run (under 10 minutes on 2 cores), written
# to docs/performance.md and docs/performance.png. BENCH_ARGS='--quick' for a short run.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --disable-pip-version-check -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info
