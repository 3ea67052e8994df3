# Facturier: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test install browser lint typecheck importlint pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, create the demo seller on SQLite (./data), serve the API on 127.0.0.1:8000 with a
## worker in the process, issue the example orders through the API, print the demo key; Ctrl-C stops it.
run: $(STAMP)
	$(BIN)/facturier init --demo --if-missing
	$(BIN)/facturier serve --demo --port $(or $(PORT),8000)

## make demo: the batch demo, without a service: issue the example orders from the command line, verify.
demo: $(STAMP)
	$(BIN)/facturier init --demo --if-missing
	$(BIN)/facturier issue examples/orders/*.json
	$(BIN)/facturier verify

## make test: install, lint (ruff, C901 <= 10), mypy --strict on the core, layer contracts, pytest.
test: $(STAMP) browser lint typecheck importlint pytest

## the browser of the web-page tests: Debian's chromium (Playwright drives it; no browser is downloaded)
browser:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } \
	  || echo "could not install chromium (not root?): apt-get install chromium, or the browser tests fail"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

importlint: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

## make bench: the benchmarks of docs/benchmarks.md (needs PostgreSQL on 127.0.0.1:5432, valgrind for the instruction counts; ~45 min)
bench: $(STAMP)
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/bench_issue.py
	$(BIN)/python bench/bench_verify.py
	$(BIN)/python bench/bench_tax.py
	$(BIN)/python bench/bench_render.py
	$(BIN)/python bench/bench_render_instructions.py
	$(BIN)/python bench/bench_large_order.py
	$(BIN)/python bench/bench_e2e.py
	$(BIN)/python bench/bench_coverage.py
	$(BIN)/python bench/bench_api.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .hypothesis
