# make demo : crawl the bundled demo news site into output/
# make test : lint (ruff, mypy), then run the whole test suite
# make browser : Debian's headless Chromium for pages built by JavaScript (docs/rendering.md)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
# the real binary of Debian's chromium-headless-shell (RENDER_BROWSER); about 95 MB to download
BROWSER := /usr/lib/chromium/chromium-headless-shell
SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null && echo sudo)

.PHONY: demo test lint install install-dev browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# the system pip drops lxml's html-clean extra, which trafilatura needs
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# without apt-get (not Debian) the crawl still runs: pages that need a browser are not rendered
$(BROWSER):
	@if command -v apt-get >/dev/null; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium-headless-shell; \
	else \
		echo "no apt-get: install Chromium's headless shell yourself and set RENDER_BROWSER (docs/rendering.md)"; \
	fi

browser: $(BROWSER)

install: $(RUNTIME_STAMP) $(BROWSER)

install-dev: $(DEV_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/python scripts/demo.py

# ruff and mypy first: a lint finding fails the tests as a failing test does
lint: $(DEV_STAMP) $(BROWSER)
	$(BIN)/ruff check .
	$(BIN)/mypy

# five test processes on two cores: many tests wait on local servers, timeouts and kills; loadgroup keeps an
# xdist_group (the built wheel, a module's crawl) on one worker (docs/development.md, "How the tests run").
# Compiled modules and pytest's rewritten test modules are cached (__pycache__, ignored by git) even where
# PYTHONDONTWRITEBYTECODE is set: without the cache every worker compiles every test module again (2 s of CPU each).
test: lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 5 --dist loadgroup

clean:
	rm -rf $(VENV) .pytest_cache
