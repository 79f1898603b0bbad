# Two commands do all the setup (see README):
#   make lab   create .venv if missing, install the lessons' packages, open JupyterLab at lesson 00
#   make test  the same plus the test tools (pytest, nbval, Playwright, repo2docker), then every test
# Each install runs again only when pyproject.toml changes (its stamp file records it).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per install: students running `make lab` never download the test tools.
LESSONS_STAMP := $(VENV)/.installed-lessons
TEST_STAMP    := $(VENV)/.installed-test
# JupyterLab defaults for the lessons (no news pop-up over the widgets), read from the environment.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
PORT   ?= 8888
# Jupyter refuses to run as root (containers, some lab machines) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab-setup lab test bench clean

# Everything a developer needs (the lessons and the test tools).
setup: $(TEST_STAMP) $(LAB_OVERRIDES)

lab-setup: $(LESSONS_STAMP) $(LAB_OVERRIDES)

$(LESSONS_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

# '.[test]' includes '.', so it stamps both.
$(TEST_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@ $(LESSONS_STAMP)

$(LAB_OVERRIDES): .jupyter/lab/overrides.json
	@mkdir -p $(dir $@)
	@cp $< $@

lab: lab-setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) --config=$(CURDIR)/.jupyter/jupyter_server_config.py $(ROOT_FLAG)

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
