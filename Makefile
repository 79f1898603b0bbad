# Two commands do all the setup (see README):
#   make lab   create .venv if missing, install the pinned package, open JupyterLab at lesson 00
#   make test  the same setup, then every test (unit, widget, notebooks, browser)
# The install runs again only when pyproject.toml changes (the stamp file records it).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# JupyterLab defaults for the lessons (no news pop-up over the widgets), read from the environment.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
PORT   ?= 8888
# Jupyter refuses to run as root (containers, some lab machines) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab test bench clean

setup: $(STAMP) $(LAB_OVERRIDES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

$(LAB_OVERRIDES): .jupyter/lab/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	@cp $< $@

lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) --config=$(CURDIR)/.jupyter/jupyter_server_config.py $(ROOT_FLAG)

# axe-core (pinned in tests/browser/axe/package-lock.json) for the browser tests' accessibility
# check; only `make test` needs Node.js/npm, `make lab` does not.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund --silent
	@touch $@

test: setup $(AXE)
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts tests/browser/axe/node_modules
