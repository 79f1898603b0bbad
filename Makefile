# Two commands do all the setup (see README):
#   make lab   create .venv if missing, install the lessons' packages, open JupyterLab at lesson 00
#   make test  the same plus the test tools (pytest, nbval, Playwright, repo2docker, the site builder),
#              then every test (lint, unit, widget, notebooks, browser, hub, rendered site)
#   make site  build the rendered lesson site from the committed lessons (every lesson executed;
#              installs the lessons' packages and Jupyter Book only) and print its index.html
#   make export LESSONS="02 04"  those lessons executed, each one HTML page that reads offline
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

.PHONY: setup lab-setup lab lint check test bench site export clean hub hub-setup loadtest bench-footprint \
	grade-setup assignments grade

# Everything a developer needs (the lessons and the test tools).
setup: $(TEST_STAMP) $(LAB_OVERRIDES)

lab-setup: $(LESSONS_STAMP) $(LAB_OVERRIDES)

# Not --quiet: the first install takes minutes (README), and pip's "Collecting …" lines show it working.
$(LESSONS_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the lessons' packages into $(VENV) (first run only: 5-8 minutes measured on a busy machine, see README) ..."
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e .
	@touch $@

# '.[test]' includes '.', so it stamps both.
$(TEST_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,site]'
	@touch $@ $(LESSONS_STAMP) $(SITE_STAMP)

$(LAB_OVERRIDES): .jupyter/lab/overrides.json
	@mkdir -p $(dir $@)
	@cp $< $@

lab: lab-setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) --config=$(CURDIR)/.jupyter/jupyter_server_config.py $(ROOT_FLAG)

# axe-core (pinned in tests/browser/axe/package-lock.json) for the browser tests' accessibility
# check; only `make test` needs Node.js/npm, `make lab` does not.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund --silent
	@touch $@

# The rendered site's own copy of MathJax (npm, pinned in book/package-lock.json): works offline.
BOOK_ASSETS := book/node_modules/.installed-stamp
$(BOOK_ASSETS): book/package-lock.json
	npm ci --prefix book --no-audit --no-fund --loglevel=error
	@touch $@

# Lint and format checks first (ruff, configured in pyproject.toml; `ruff format .` fixes format).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Fast feedback while you work: lint, the science core and the widgets driven headless (no
# browser, server, hub or whole-lesson runs; tests/conftest.py says which are slow).
check: lint
	$(BIN)/python -m pytest tests -m "not browser and not slow" -q --durations=10

# Every test, on two workers (pytest-xdist): each file runs whole on one worker, with its own
# JupyterLab, Chromium and kernels (nbval runs a notebook's cells in one kernel). PYTEST_WORKERS=0
# runs everything in one process. The slowest 25 are listed at the end.
PYTEST_WORKERS ?= 2
test: setup $(AXE) $(BOOK_ASSETS) hub-setup grade-setup lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=25

# The site needs the lessons' packages and Jupyter Book (the "site" extra), not the test tools.
SITE_STAMP := $(VENV)/.installed-site
$(SITE_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[site]'
	@touch $@ $(LESSONS_STAMP)

site: $(SITE_STAMP) $(LAB_OVERRIDES) $(BOOK_ASSETS)
	$(BIN)/python book/build.py

# export: each lesson in LESSONS ("02 04", by number; every lesson when empty) executed and written
#   to EXPORT_DIR/NN_name.html, one page with its figures and maths drawn and no network needed:
#   .jupyter/nbconvert_export.py embeds MathJax from book/node_modules (so this needs npm).
EXPORT_DIR ?= build/export
EXPORTED = $(if $(LESSONS),$(foreach n,$(LESSONS),$(or $(wildcard lessons/$(n)_*.ipynb),\
	$(error no lesson $(n) in lessons/: LESSONS="02 04" exports lessons 02 and 04))),\
	$(wildcard lessons/[0-9][0-9]_*.ipynb))
export: $(LESSONS_STAMP) $(BOOK_ASSETS)
	$(BIN)/jupyter nbconvert --to html --execute --config=.jupyter/nbconvert_export.py \
		--output-dir=$(EXPORT_DIR) $(EXPORTED)

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts build tests/browser/axe/node_modules book/node_modules classroom/hub/node_modules

# --- classroom hub (classroom/hub/README.md) ------------------------------------------------
# hub-setup: JupyterHub + nbgitpuller into .venv (pyproject extra "hub"), and
# configurable-http-proxy from npm into classroom/hub/node_modules (version in package.json).
HUB_STAMP := $(VENV)/.hub-stamp
CHP       := classroom/hub/node_modules/.bin/configurable-http-proxy
STUDENTS  ?= 30

hub-setup: $(HUB_STAMP) $(CHP)

$(HUB_STAMP): pyproject.toml $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,site,hub]'
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

# --- autograded assignments (instructor/README.md, "Assignments and grading") ----------------
# assignments: otter-grader assignments from the lessons (classroom/grading/exercises.yml says
#   which exercises): build/assignments/student/ to hand out, build/assignments/grading/ to keep.
#   LESSONS="02 03" builds only those; VERIFY=1 also runs every test on the solution notebooks.
# grade: every zip in SUBMISSIONS and its subfolders graded locally (no Docker):
#   build/grades/ASSIGNMENT/grades.csv, a feedback page per student, the written answers beside
#   the model answers, report.txt; an earlier run's results there are renamed ASSIGNMENT_DATE.
GRADE_STAMP := $(VENV)/.grade-stamp
LESSONS     ?=
ASSIGNMENT  ?=
VERIFY      ?=

grade-setup: $(GRADE_STAMP)

$(GRADE_STAMP): pyproject.toml $(LESSONS_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[grade]'
	@touch $@

assignments: lab-setup grade-setup
	$(BIN)/python -m classroom.grading.build $(if $(LESSONS),--lessons $(LESSONS)) $(if $(VERIFY),--verify)

grade: lab-setup grade-setup
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=DIR [ASSIGNMENT=NN]  (DIR: the zips students exported)"; exit 2; }
	@# exit status 2: graded, with some zips reported by name in report.txt (not a failure of make)
	$(BIN)/python -m classroom.grading.grade "$(SUBMISSIONS)" $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) \
		|| test $$? -eq 2
