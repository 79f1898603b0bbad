# Two commands do all the setup (see README):
#   make lab   create .venv if missing, install the pinned package, open JupyterLab at lesson 00
#   make test  the same setup, then every test (unit, widget, notebooks, browser, rendered site)
#   make site  build the rendered lesson site (every lesson executed) and print its index.html
# The install runs again only when pyproject.toml changes (the stamp file records it).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# JupyterLab defaults for the lessons (no news pop-up over the widgets), read from the environment.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
PORT   ?= 8888
BOOK_ASSETS := book/node_modules/.installed-stamp
# Jupyter refuses to run as root (containers, some lab machines) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab test bench site clean

setup: $(STAMP) $(LAB_OVERRIDES) $(BOOK_ASSETS)

# The site's own copy of MathJax (npm), so its pages work offline.
$(BOOK_ASSETS): book/package-lock.json
	npm ci --prefix book --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,site]'
	@touch $(STAMP)

$(LAB_OVERRIDES): .jupyter/lab/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	@cp $< $@

lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) --config=$(CURDIR)/.jupyter/jupyter_server_config.py $(ROOT_FLAG)

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

site: setup
	$(BIN)/python book/build.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts build book/node_modules
