# reglink: every target builds its own virtual environment from pinned versions.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help venv browser demo test lint typecheck unit explore bench clean

help:
	@echo "make demo   - generate synthetic data and run reglink on it"
	@echo "make test   - lint, type-check and run the test suite"
	@echo "make bench  - run the benchmarks (slow; not part of make test)"
	@echo "make explore - the property tests with fresh random examples, ten times as many"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP)

# The browser tests drive Debian's Chromium (never a downloaded build); install it when absent.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing chromium from Debian's packages"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends chromium; \
	fi
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is missing; the browser tests need it" >&2; exit 1; }

demo: $(STAMP)
	$(BIN)/reglink demo --out demo-run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

test: lint typecheck unit

# make test replays fixed property-test examples; this searches for new counterexamples.
explore: $(STAMP)
	REGLINK_HYPOTHESIS=explore $(BIN)/python -m pytest -n 2 -m hypothesis

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) demo-run .pytest_cache .mypy_cache .ruff_cache build *.egg-info
