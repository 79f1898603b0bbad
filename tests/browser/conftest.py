"""Fixtures for the browser tests: a private JupyterLab server and headless Chromium."""

from __future__ import annotations

import pytest

from .lab import ROOT, jupyter_lab, launch_chromium

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def lab_server():
    with jupyter_lab() as server:
        yield server


@pytest.fixture(scope="session")
def notebook7_server():
    """The same lessons served by Jupyter Notebook 7 (`jupyter notebook`), which students also use."""
    with jupyter_lab(app="notebook") as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            b = launch_chromium(pw)
        except RuntimeError as err:
            pytest.fail(str(err))
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("pageerror", lambda err: pg.console_errors.append(str(err)))
    yield pg
    context.close()
