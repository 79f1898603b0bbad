"""An autosaved lesson reopened later (a new kernel) shows the still pictures of its widgets, drawn,
saying how to get the controls back, and none of JupyterLab's "model not found" errors.

JupyterLab autosaves the page's outputs. Widget view outputs stay in the file (so a reload with the
kernel alive re-attaches them: test_reload_keeps_work.py); after them, each widget's still picture
(widgets.display.figure_transport). With a new kernel the views' models are gone: JupyterLab logs "widget
model not found" for each (as for any saved ipywidgets output) and the picture shows instead.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ARTIFACTS
from .lab import open_lesson_and_run_all, render_every_cell, wait_for_still_pictures_written

pytestmark = pytest.mark.browser
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_ERRORS = ("Failed to initialize model",)  # anywidget could not start a widget's module


def _api(base: str, token: str, path: str, method: str = "GET"):
    request = urllib.request.Request(f"{base}/api/{path}?content=1&token={token}", method=method)
    body = urllib.request.urlopen(request, timeout=30).read()
    return json.loads(body) if body else None


def _wait_for_idle_kernel(page) -> None:
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
        timeout=60_000,
    )


@pytest.mark.parametrize("lesson", ["01_opioid_receptors.ipynb"])
def test_reopening_a_saved_lesson_with_a_new_kernel_logs_no_widget_errors(lab_server, page, lesson):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, lesson)
    # Run All again in the same kernel: each cell's new output replaces the first (the one whose
    # still picture carried plotly.js); the saved pictures must still be drawn after a reload.
    counts = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.widgets.map(c => c.model.executionCount)"
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "n => { const nb = window.jupyterapp.shell.currentWidget;"
        " return nb.sessionContext.session.kernel.status === 'idle'"
        " && nb.content.widgets.filter(c => c.model.type === 'code').every(c => c.model.executionCount > n); }",
        arg=max(c or 0 for c in counts),
        timeout=120_000,
    )
    wait_for_still_pictures_written(page)  # the pre-save hook puts them into the saved lesson
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
    saved = _api(base, token, f"contents/lessons/{lesson}")["content"]
    outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs, "Run All should have saved some outputs (tables, references)"
    views = [o for o in outputs if WIDGET_VIEW in o.get("data", {})]
    faces = [o for o in outputs if "opioid_lessons" in o.get("metadata", {})]
    assert views and len(faces) <= len(views), "widget views and their still pictures are saved"

    # Later: the kernel is gone (JupyterLab closed, the server restarted); the lesson is reopened.
    for session in _api(base, token, "sessions"):
        _api(base, token, f"sessions/{session['id']}", method="DELETE")
    page.console_errors.clear()
    page.reload()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    _wait_for_idle_kernel(page)
    render_every_cell(page)
    # The saved figures show as still pictures, each group with a hint to run the cells again,
    # and every picture is drawn (by then each widget view has found its model gone).
    hints = (
        "() => [...document.querySelectorAll('.ol-static-hint')].map(h => !h.hidden && h.offsetHeight > 0)"
    )
    try:
        page.wait_for_function(
            f"n => {{ const h = ({hints})(); return h.length === n && h.every(Boolean)"
            " && [...document.querySelectorAll('.ol-static-figure')].every(f => f.dataset.drawn === 'true'); }",
            arg=len(faces),
            timeout=30_000,
        )
    except PlaywrightTimeout:
        pass  # reported by the asserts below
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{lesson[:2]}-reopened.png"))
    widget_errors = [e for e in page.console_errors if any(w in e for w in WIDGET_ERRORS)]
    assert not widget_errors, widget_errors
    shown = page.evaluate(hints)
    assert len(shown) == len(faces) and all(shown), f"re-run hints shown: {shown} for {len(faces)} pictures"
    assert page.get_by_text("Error displaying widget").filter(visible=True).count() == 0
    undrawn = page.locator(".ol-static-figure:not([data-drawn=true])").count()
    assert undrawn == 0, f"{undrawn} still pictures not drawn"
