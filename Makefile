# The front door: `make run` serves the demo, `make test` runs the whole suite,
# `make check` runs ruff, mypy and then the suite, as CI does (on SQLite only).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test schemathesis lint typecheck check format clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Layan needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

# Demo mode over plain HTTP on loopback: the banner shows, demo accounts work.
run: export LAYAN_DEMO = 1
run: export LAYAN_HTTPS = 0
run: $(VENV)/.installed
	$(BIN)/layan migrate --noinput
	$(BIN)/layan collectstatic --noinput --verbosity 0
	$(BIN)/layan demo
	$(BIN)/layan serve

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# schemathesis against the OpenAPI document, on a demo database of its own (see README).
schemathesis: $(VENV)/.installed-dev
	.ci/schemathesis

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

check: lint typecheck test

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var

# Benchmarks (not part of CI): register import, lookups and lookup API against the
# raw tools, figures and ratios into docs/performance.md. BENCH_ROWS=10000000 for 10M.
# bench-cases: the work queue page and the case API at BENCH_CASES cases; it rewrites
# only its own section of docs/performance.md, so it runs after bench-registry
# (which rewrites the whole file). bench-letters: render + sign one letter against a
# bare reportlab page + one pyHanko signature; its own section too.
BENCH_ROWS ?= 1000000
BENCH_CASES ?= 100000

.PHONY: bench bench-registry bench-cases bench-letters letter-samples

bench: bench-registry bench-cases bench-letters

bench-registry: $(VENV)/.installed-dev
	$(BIN)/python -m bench.registry --rows $(BENCH_ROWS)

bench-cases: $(VENV)/.installed-dev
	$(BIN)/python -m bench.cases --cases $(BENCH_CASES)

bench-letters: $(VENV)/.installed-dev
	$(BIN)/python -m bench.letters

# The letters of the seed offices, signed through their SOP steps, as PNG in docs/letters/.
letter-samples: export LAYAN_PUBLIC_URL ?= https://layan.example.go.id
letter-samples: $(VENV)/.installed-dev
	$(BIN)/python -m bench.letter_samples
