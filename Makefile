# policykg — `make demo` and `make test` work from a fresh clone on a bare machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.policykg-installed
DEMO_STORE ?= demo-store

.PHONY: demo test lint browser bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

## demo: set up, load the bundled sample corpus, list it and print a lineage; then the sample tables
demo: $(STAMP)
	rm -rf $(DEMO_STORE)
	-$(BIN)/policykg load samples/seeds --store $(DEMO_STORE)
	$(BIN)/policykg docs --store $(DEMO_STORE)
	$(BIN)/policykg lineage '厦府办〔2015〕134号' --store $(DEMO_STORE)
	$(BIN)/policykg agencies --doc '厦府办〔2015〕134号' --limit 8 --store $(DEMO_STORE)
	$(BIN)/policykg render lineage '厦府办〔2015〕134号' -o demo-out/lineage.html --store $(DEMO_STORE)
	$(BIN)/policykg render agencies -o demo-out/agencies.html --store $(DEMO_STORE)
	rm -rf $(DEMO_STORE)-tables
	-$(BIN)/policykg load samples/tables --store $(DEMO_STORE)-tables
	$(BIN)/policykg docs --store $(DEMO_STORE)-tables
	$(BIN)/policykg lineage '国办发〔2021〕32号' --down --cites --store $(DEMO_STORE)-tables
	@echo "open demo-out/lineage.html and demo-out/agencies.html in a browser (they work offline)"

## test: set up (Chromium for the browser tests included) and run lint and the whole suite
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

## browser: Debian's chromium for the headless browser tests (installed when missing and root)
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium and a CJK font (Debian packages; waits for the package lock)"; \
	    for try in 1 2 3; do \
	      apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium fonts-wqy-microhei >/dev/null \
	      && break; \
	      echo "apt-get failed (try $$try of 3)"; sleep 20; \
	    done; \
	    test -x /usr/bin/chromium || echo "WARNING: chromium could not be installed: the browser tests will be skipped"; \
	  else echo "chromium is not installed and this is not root: browser tests will be skipped"; fi; \
	fi

clean:
	rm -rf $(VENV) $(DEMO_STORE) $(DEMO_STORE)-tables .pytest_cache .ruff_cache test-artifacts *.egg-info
