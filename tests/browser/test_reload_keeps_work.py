"""A page reload keeps a student's work (issue 28).

Run All, work in lesson 03's organ bath, save, reload with the kernel alive: the LIVE widgets come
back in the state left (JupyterLab re-attaches the saved widget views to the kernel's models) and
no still picture shows. Restart the kernel: each widget's still picture shows, drawn, at the state
left, with words that say why and what to do. The saved lesson stays small.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS
from .lab import (
    next_frames,
    open_lesson_and_run_all,
    reload_page,
    render_every_cell,
    save_notebook,
    wait_for_still_pictures_written,
)

pytestmark = pytest.mark.browser
VIEW = "application/vnd.jupyter.widget-view+json"
MAX_SAVED_BYTES = 300_000


def _api(base: str, token: str, path: str, method: str = "GET"):
    request = urllib.request.Request(f"{base}/api/{path}?content=1&token={token}", method=method)
    body = urllib.request.urlopen(request, timeout=60).read()
    return json.loads(body) if body else None


def _run_all(page) -> None:
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(
        "() => { const nb = window.jupyterapp.shell.currentWidget;"
        " return nb.sessionContext.session.kernel.status === 'idle'"
        " && nb.content.widgets.filter(c => c.model.type === 'code').every(c => c.model.executionCount !== null); }",
        timeout=180_000,
    )
    render_every_cell(page)


def _cell(page, source: str):
    """The first cell whose code contains ``source``, scrolled into view and drawn (JupyterLab
    draws only the cells near the screen, so "the first live plot on the page" can be another)."""
    tag = re.sub(r"\W", "", source)
    index = page.evaluate(
        "([s, tag]) => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " const i = nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes(s));"
        " nb.scrollToItem(i); nb.widgets[i].node.setAttribute('data-test-cell', tag); return i; }",
        [source, tag],
    )
    assert index >= 0, source
    next_frames(page)  # JupyterLab scrolls, then lays the cell out
    page.evaluate(
        "tag => window.jupyterapp.shell.currentWidget.content.widgets.find("
        "c => c.node.getAttribute('data-test-cell') === tag).node.scrollIntoView()",
        tag,
    )
    return page.locator(f'[data-test-cell="{tag}"]')


BATH = 'bath = OrganBath(drug="naloxone"'


def _bath_summary(page) -> str:
    return _cell(page, BATH).locator(".ol-liveplot .ol-summary").inner_text()


def test_reload_shows_the_live_organ_bath_as_left_and_a_restart_a_true_still_picture(lab_server, page):
    base, token = lab_server
    lesson = "03_competitive_blocking.ipynb"
    open_lesson_and_run_all(page, base, token, lesson)
    area = _cell(page, BATH)
    plot = area.locator(".ol-liveplot")
    area.locator("button", has_text="Run the whole curve").click()
    page.wait_for_function(
        "el => el.querySelector('.ol-summary').textContent.includes('12 of 12 doses')",
        arg=plot.element_handle(),
        timeout=20_000,
    )
    left = _bath_summary(page)
    assert "12 of 12 doses" in left
    # Nothing but the live widgets shows while the kernel holds them.
    assert page.locator(".ol-face:visible").count() == 0
    wait_for_still_pictures_written(page)  # the kernel writes the newest one a moment after a change
    save_notebook(page)
    saved = _api(base, token, f"contents/lessons/{lesson}")["content"]
    size = len(json.dumps(saved, ensure_ascii=False).encode())
    assert size <= MAX_SAVED_BYTES, f"saved lesson is {size} bytes"
    outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    views = [o for o in outputs if VIEW in o.get("data", {})]
    faces = [o for o in outputs if "opioid_lessons" in o.get("metadata", {})]
    assert views and faces, "the widget views and their still pictures are saved"
    assert not [o for o in outputs if "ol-plotlyjs" in "".join(o.get("data", {}).get("text/html", ""))]
    bath_face = next(f for f in faces if "curve" in "".join(f["data"]["text/html"]))
    assert "12 of 12 doses" in "".join(bath_face["data"]["text/html"]), "the picture is not the last state"

    # 1. Reload with the kernel alive: the live bath, as left.
    page.console_errors.clear()
    reload_page(page)
    live_area = _cell(page, BATH)
    live_area.locator(".ol-liveplot .main-svg").first.wait_for(timeout=30_000)
    assert _bath_summary(page) == left
    assert live_area.locator("button", has_text="Fit and Schild").is_enabled()
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.ol-face')].filter(f => f.offsetHeight > 0).map(f => {"
        " const v = f.closest('.jp-OutputArea-child').previousElementSibling;"
        " return [f.dataset.view, v ? v.outerHTML.slice(0, 400) : null]; })"
    )
    assert not shown, f"a still picture shows beside a live widget: {shown}"
    assert page.locator(".ol-static-hint:visible").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    live_area.screenshot(path=str(ARTIFACTS / "03-reloaded-live.png"))
    # Save the experiment to its file beside the lesson (keyboard: focus, Enter), announced.
    save = live_area.locator("button", has_text="Save experiment")
    save.focus()
    page.keyboard.press("Enter")
    status = live_area.locator(".ol-message", has_text="Saved 1 curve to organ_bath_experiment.csv")
    status.wait_for(timeout=20_000)
    assert status.locator(".widget-html-content").get_attribute("role") == "status"
    saved_file = _api(base, token, "contents/lessons/organ_bath_experiment.csv")["content"]
    assert saved_file.splitlines()[0].startswith("curve,agonist_M,response,antagonist_M,tissue")
    recorded = _bath_summary(page)
    # the widget still works: the next curve starts from the state left
    live_area.locator("button", has_text="Wash out / new curve").click()
    page.wait_for_function(
        "el => el.textContent.includes('curve 2')",
        arg=live_area.locator(".ol-liveplot .ol-summary").element_handle(),
        timeout=20_000,
    )

    # 2. Restart the kernel: no kernel holds the widgets, so their still pictures show.
    kernel_id = page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id")
    wait_for_still_pictures_written(page)
    save_notebook(page)
    left = _bath_summary(page)
    urllib.request.urlopen(
        urllib.request.Request(f"{base}/api/kernels/{kernel_id}/restart?token={token}", method="POST"),
        timeout=60,
    )
    reload_page(page)
    face = _cell(page, BATH).locator(".ol-face")
    page.wait_for_function(
        "f => f.dataset.shown === 'true'"
        " && [...f.querySelectorAll('.ol-static-figure')].every(g => g.dataset.drawn === 'true')",
        arg=face.element_handle(),
        timeout=30_000,
    )
    assert page.locator(".ol-liveplot").count() == 0
    hint = face.locator(".ol-static-hint")
    assert hint.is_visible()
    assert "kernel that made them has stopped or restarted" in hint.inner_text()
    assert "Run the lesson's cells again" in hint.inner_text()
    assert face.locator(".ol-summary").first.inner_text() == left
    assert face.locator(".scatterlayer .trace").count() > 0
    # JupyterLab's own "Error displaying widget: model not found" is not what the student reads
    assert page.get_by_text("Error displaying widget").filter(visible=True).count() == 0
    assert "Load experiment brings it back" in hint.inner_text()
    face.screenshot(path=str(ARTIFACTS / "03-restarted-still-picture.png"))

    # 3. Run the cells again, as the hint says, and load the experiment: the work is back.
    _run_all(page)
    cell = _cell(page, BATH)
    cell.locator(".ol-liveplot").wait_for(timeout=30_000)
    assert page.locator(".ol-face:visible").count() == 0
    load = cell.locator("button", has_text="Load experiment")
    load.focus()
    page.keyboard.press("Enter")
    cell.locator(".ol-message", has_text="Loaded 1 curve from organ_bath_experiment.csv").wait_for(
        timeout=20_000
    )
    assert cell.locator(".ol-liveplot .ol-summary").inner_text() == recorded


def test_notebook7_reload_keeps_an_organ_bath_experiment_with_its_fit(notebook7_server, page):
    """The trial's steps, in Notebook 7: a control and a naloxone curve, Fit and Schild, save,
    reload with the kernel alive: the live bath shows both curves and the fitted table as left."""
    base, token = notebook7_server
    lesson = "03_competitive_blocking.ipynb"
    open_lesson_and_run_all(page, base, token, lesson, ui="notebook")
    area = _cell(page, BATH)
    plot = area.locator(".ol-liveplot")
    summary = plot.locator(".ol-summary")

    def run_curve(number: int) -> None:
        area.locator("button", has_text="Run the whole curve").click()
        expect(summary).to_contain_text(f"curve {number}", timeout=20_000)
        expect(summary).to_contain_text("12 of 12 doses", timeout=20_000)

    run_curve(1)
    area.locator("button", has_text="Wash out / new curve").click()
    typed = area.locator(".widget-text", has_text="or type it").locator("input")
    typed.fill("10 nM")
    typed.press("Enter")
    expect(summary).to_contain_text("curve 2", timeout=20_000)
    run_curve(2)
    area.locator("button", has_text="Fit and Schild").click()
    result = area.locator(".widget-html", has_text="Fitted curves")
    expect(result).to_contain_text("10 nM", timeout=30_000)
    left, fit = summary.inner_text(), result.inner_text()
    wait_for_still_pictures_written(page)
    save_notebook(page)

    reload_page(page)
    live = _cell(page, BATH)
    live.locator(".ol-liveplot .main-svg").first.wait_for(timeout=30_000)
    expect(live.locator(".ol-liveplot .ol-summary")).to_have_text(left, timeout=20_000)
    table = live.locator(".widget-html", has_text="Fitted curves")
    expect(table).to_contain_text("10 nM", timeout=20_000)
    assert table.inner_text() == fit
    assert page.locator(".ol-face:visible").count() == 0, "a still picture shows beside the live bath"
    ARTIFACTS.mkdir(exist_ok=True)
    live.screenshot(path=str(ARTIFACTS / "nb7-03-reloaded-live.png"))


def _quiz_score(page) -> str:
    return page.locator(".ol-quiz .ol-quiz-score").first.inner_text()


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_reload_shows_the_live_quiz_with_its_score_and_saved_answers_survive_a_restart(
    lab_server, notebook7_server, page, ui
):
    base, token = lab_server if ui == "lab" else notebook7_server
    lesson = "08_review.ipynb"
    open_lesson_and_run_all(page, base, token, lesson, ui=ui)
    quiz = page.locator(".ol-quiz").first
    quiz.scroll_into_view_if_needed()
    quiz.locator(".ol-quiz-card input[type=radio]").nth(1).check()  # question 1's right answer
    quiz.locator("button.ol-quiz-check").first.click()
    page.wait_for_function(
        "el => el.innerText.includes('1 of 1 answered correctly')",
        arg=quiz.locator(".ol-quiz-score").element_handle(),
        timeout=20_000,
    )
    left = _quiz_score(page)
    save = quiz.locator("button", has_text="Save answers")
    save.focus()
    page.keyboard.press("Enter")
    quiz.locator(".ol-message", has_text="Saved 1 checked answer to quiz_answers_all.json").wait_for(
        timeout=20_000
    )
    wait_for_still_pictures_written(page)
    save_notebook(page)
    saved = _api(base, token, f"contents/lessons/{lesson}")["content"]
    size = len(json.dumps(saved, ensure_ascii=False).encode())
    assert size <= MAX_SAVED_BYTES, f"saved lesson is {size} bytes"

    # Reload with the kernel alive: the live quiz, score and feedback as left; no still picture.
    reload_page(page)
    page.locator(".ol-quiz").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => (document.querySelector('.ol-quiz .ol-quiz-score')?.innerText || '').includes('Score')",
        timeout=30_000,
    )
    assert _quiz_score(page) == left
    assert "Correct" in page.locator(".ol-quiz .ol-quiz-feedback").first.inner_text()
    assert page.locator(".ol-face:visible").count() == 0
    assert page.get_by_text("Checking answers needs").filter(visible=True).count() == 0

    # Restart: the still picture shows the score and how to get the answers back.
    kernel_id = page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id")
    urllib.request.urlopen(
        urllib.request.Request(f"{base}/api/kernels/{kernel_id}/restart?token={token}", method="POST"),
        timeout=60,
    )
    reload_page(page)
    face = page.locator(".ol-face", has=page.locator(".ol-static-quiz")).first
    face.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ol-face')].some(f => f.dataset.shown === 'true'"
        " && ['newest', 'saved'].includes(f.dataset.refreshed) && f.querySelector('.ol-static-quiz'))",
        timeout=30_000,
    )
    assert page.locator(".ol-quiz").count() == 0
    assert face.locator(".ol-static-score").text_content() == left.strip()
    # expect() retries: under load JupyterLab may still be laying out the cell when first asked
    hint = face.locator(".ol-static-hint")
    expect(hint).to_be_visible(timeout=15_000)
    expect(hint).to_contain_text("Load answers brings them back", timeout=15_000)
    assert page.get_by_text("Error displaying widget").filter(visible=True).count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    face.screenshot(path=str(ARTIFACTS / f"08-{ui}-restarted-still-picture.png"))

    # Run the cells again and load: the score is back.
    _run_all(page)
    cell = page.locator(".ol-quiz").first.locator("xpath=ancestor::div[contains(@class,'jp-CodeCell')][1]")
    load = cell.locator("button", has_text="Load answers")
    load.focus()
    page.keyboard.press("Enter")
    cell.locator(".ol-message", has_text="Loaded 1 answer").wait_for(timeout=20_000)
    page.wait_for_function(
        "([el, text]) => el.innerText === text",
        arg=[cell.locator(".ol-quiz-score").first.element_handle(), left],
        timeout=20_000,
    )
