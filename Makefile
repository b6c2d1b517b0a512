# PlanGraph: `make run` (install, load the sample plans, serve API + UI) and `make test`.
# A fresh machine needs only Python 3.11, pip, Node/npm and Debian's apt; everything else is installed here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PLANGRAPH_HOME ?= $(HOME)/.plangraph

LINT_DIR := tools/cypher-lint

.PHONY: help install run serve ingest test test-python lint-cypher node-deps bolt-env browser bench clean

help:
	@echo "make run    - install, ingest data/plans into the embedded store, serve http://$(HOST):$(PORT)"
	@echo "make test   - install test dependencies and run every test (pytest + Cypher lint)"
	@echo "make bench  - parser, store and accuracy benchmarks"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

ingest: install
	$(BIN)/plangraph ingest data/plans

serve: install
	$(BIN)/plangraph serve --host $(HOST) --port $(PORT)

run: ingest serve

$(LINT_DIR)/node_modules/.installed: $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	npm ci --prefix $(LINT_DIR) --no-audit --no-fund --loglevel=error
	touch $@

node-deps: $(LINT_DIR)/node_modules/.installed

lint-cypher: install node-deps
	node $(LINT_DIR)/lint.mjs --python $(BIN)/python queries

# FalkorDB 4.18 with Bolt, for the Neo4j driver smoke test (needs a Python >= 3.12 interpreter).
bolt-env:
	@bash tools/bolt/setup.sh || echo "bolt-env: skipped (no Python >= 3.12); the Bolt smoke test will be skipped"

# Debian's Chromium for the browser tests (root on these machines; skipped when apt is unavailable).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser: chromium not installed; browser tests will be skipped"; fi; }

test-python: install node-deps bolt-env browser
	$(BIN)/python -m pytest

test: test-python lint-cypher

bench: install
	$(BIN)/python benchmarks/parse.py
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/store.py

clean:
	rm -rf $(VENV) $(LINT_DIR)/node_modules tools/.venv-bolt .pytest_cache
