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

.PHONY: setup lab test bench clean hub hub-setup loadtest bench-footprint

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

test: setup $(AXE) hub-setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts tests/browser/axe/node_modules

# --- classroom hub (classroom/hub/README.md) ------------------------------------------------
# hub-setup: JupyterHub + nbgitpuller into .venv (pyproject extra "hub"), and
# configurable-http-proxy from npm into classroom/hub/node_modules (version in package.json).
HUB_STAMP := $(VENV)/.hub-stamp
CHP       := classroom/hub/node_modules/.bin/configurable-http-proxy
STUDENTS  ?= 30

hub-setup: $(HUB_STAMP) $(CHP)

$(HUB_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[hub]'
	@touch $@

$(CHP): classroom/hub/package.json classroom/hub/package-lock.json
	cd classroom/hub && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# A local TRIAL hub on http://127.0.0.1:8000 (shared password, no isolation: not for a class).
hub: setup hub-setup
	$(BIN)/jupyterhub -f classroom/hub/jupyterhub_config.py

# N simulated students on a private trial hub; exits non-zero on any failure. Not in `make test`.
loadtest: setup hub-setup
	$(BIN)/python -m classroom.hub.loadtest --students $(STUDENTS)

# Import time and kernel memory per lesson, this tree beside the commit before the lazy imports.
bench-footprint: setup
	$(BIN)/python bench/kernel_footprint.py
