"""Fixtures for the browser tests: a private JupyterLab server and headless Chromium."""

from __future__ import annotations

import pytest

from .lab import FONT_SETS, ROOT, fontconfig_file, jupyter_lab, launch_chromium

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
def playwright_driver():
    """One Playwright driver for the session (its sync API cannot be started twice at once)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_driver):
    try:
        b = launch_chromium(playwright_driver)
    except RuntimeError as err:
        pytest.fail(str(err))
    yield b
    b.close()


@pytest.fixture(scope="session", params=sorted(FONT_SETS))
def font_browser(request, playwright_driver, tmp_path_factory):
    """Chromium that sees only one font set (each in turn): a figure's layout must not depend
    on which fonts a machine happens to have."""
    try:
        conf = fontconfig_file(request.param, tmp_path_factory.mktemp(f"fonts-{request.param}"))
        b = launch_chromium(playwright_driver, fontconfig=conf)
    except RuntimeError as err:
        pytest.fail(str(err))
    b.font_set = request.param
    yield b
    b.close()


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.console_errors, pg.console_warnings = [], []
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("console", lambda msg: msg.type == "warning" and pg.console_warnings.append(msg.text))
    pg.on("pageerror", lambda err: pg.console_errors.append(str(err)))
    return context, pg


@pytest.fixture
def page(browser):
    context, pg = _new_page(browser)
    yield pg
    context.close()


@pytest.fixture
def font_page(font_browser):
    """A page in :func:`font_browser`; ``page.font_set`` names its fonts."""
    context, pg = _new_page(font_browser)
    pg.font_set = font_browser.font_set
    yield pg
    context.close()
