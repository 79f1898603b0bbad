"""An executed lesson exported with nbconvert to HTML shows every figure, offline.

Lessons 02, 03 and 04 (sliders and plots, organ baths, the dosing timeline and PET figure) are
each exported by the plain command people type, ``jupyter nbconvert --to html --execute``
(which stores widget state, so nbconvert would draw the widget views with a widget manager from a
CDN), and opened in headless Chromium with every request that is not for the local file refused.
Each widget's still picture must be drawn by plotly.js (embedded once, by the first picture) with
its summary, and the page must not show the widget views.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS
from .lab import ROOT, lesson_figures, refuse_network

pytestmark = pytest.mark.browser

LESSONS = [
    "02_binding_occupancy_efficacy.ipynb",
    "03_competitive_blocking.ipynb",
    "04_naltrexone_in_the_body.ipynb",
]
JUPYTER = Path(sys.executable).parent / "jupyter"


def _exported_lesson(tmp_path: Path, lesson: str) -> Path:
    """The lesson exported by the plain nbconvert command."""
    source = tmp_path / lesson
    shutil.copy(ROOT / "lessons" / lesson, source)
    subprocess.run(
        [str(JUPYTER), "nbconvert", "--to", "html", "--execute", str(source)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    return source.with_suffix(".html")


@pytest.mark.parametrize("lesson", LESSONS)
def test_exported_lesson_draws_every_figure_with_no_network(browser, tmp_path, lesson):
    page_path = _exported_lesson(tmp_path, lesson)
    n_figures = lesson_figures(lesson)[0]  # the plots the lesson displays, counted from its cells
    assert n_figures >= 1
    body = page_path.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in body  # the plain command stores widget state
    assert body.count('class="ol-plotlyjs"') == 1

    context = browser.new_context(viewport={"width": 1300, "height": 900})
    refuse_network(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(page_path.as_uri())
    page.wait_for_function(
        "n => document.querySelectorAll('.ol-static-figure[data-drawn=true]').length >= n",
        arg=n_figures,
        timeout=60_000,
    )
    faces = page.locator(".ol-static-figure")
    assert faces.count() == n_figures
    # the widget views went: nothing waits for a widget manager from a CDN, no empty boxes
    assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
    # No kernel to run on an exported page: the hint to re-run a cell stays hidden.
    assert page.locator(".ol-static-hint").count() >= 1
    assert page.locator(".ol-static-hint:visible").count() == 0
    for i in range(n_figures):
        face = faces.nth(i)
        assert face.get_attribute("aria-label"), "a face has no accessible name"
        assert face.locator(".main-svg").count() > 0
        assert face.locator(".scatterlayer .trace").count() > 0, "the figure's traces are not drawn"
        assert face.locator("p.ol-summary").inner_text().strip(), "a face has no summary"
    ARTIFACTS.mkdir(exist_ok=True)
    faces.first.screenshot(path=str(ARTIFACTS / f"{lesson[:2]}-exported-static-face.png"))
    assert not [e for e in errors if "Plotly" in e or "ol-static" in e], errors
    context.close()


def test_the_circuit_diagrams_face_shows_the_minute_on_the_slider(browser, tmp_path):
    """The diagram's frames live in the browser; its static face must draw the frame shown."""
    from widgets import RewardCircuit
    from widgets.display.figure_transport import box_static_face

    circuit = RewardCircuit()
    circuit.time.value = 90
    expected = {i: circuit.diagram.node(i) for i in ("nac", "gaba")}
    assert expected["nac"]["value"] != "100%"  # minute 90 differs from rest
    page_path = tmp_path / "circuit.html"
    page_path.write_text(
        f"<!doctype html><html><body>{box_static_face(circuit)}</body></html>", encoding="utf-8"
    )
    page = browser.new_page()
    page.goto(page_path.as_uri())
    page.wait_for_selector(".ol-static-figure[data-drawn=true] svg.ol-diagram", timeout=30_000)
    for node_id, node in expected.items():
        g = page.locator(f"svg.ol-diagram g.ol-node[data-id={node_id}]")
        assert g.locator(".ol-node-value").text_content() == node["value"]
        assert g.get_attribute("aria-label") == node["aria"]
        assert g.locator(".ol-node-shape").get_attribute("fill") == node["fill"]
    page.close()
