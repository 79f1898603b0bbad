"""The rendered lesson site (`make site`), read offline in headless Chromium.

The site is built once per test session from the lessons as they are (book/build.py: every
lesson executed, Jupyter Book, local plotly.js and MathJax). Each lesson page must load with
no request leaving the machine and no console error, draw every figure the executed lesson
produced (each widget's static face), and render its headings, tables and maths.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from .conftest import ARTIFACTS
from .lab import ROOT, lesson_figures, refuse_network

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "html"
    done = subprocess.run(
        [sys.executable, str(ROOT / "book" / "build.py"), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"make site failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.stdout.rstrip().endswith(str(out / "index.html")), "the build must end by printing index.html"
    return out


def _executed(lesson):
    """The lesson as the site build executed it (build/book-src/lessons)."""
    return json.loads((ROOT / "build" / "book-src" / "lessons" / lesson.name).read_text(encoding="utf-8"))


def _figures_and_widgets(nb) -> tuple[int, int, int, int]:
    """(static figure faces, quiz faces, widget outputs, widget outputs without a static face)."""
    faces = quizzes = widgets = blank = 0
    for cell in nb["cells"]:
        outputs = cell.get("outputs", [])
        cell_html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
        for output in outputs:
            data = output.get("data", {})
            html = "".join(data.get("text/html", ""))
            faces += html.count('class="ol-static-figure')
            quizzes += html.count('class="ol-static-quiz')
            if WIDGET_VIEW in data:
                widgets += 1
                # A figure widget's still picture is its own output after the view (so that a
                # reload can re-attach the view to a live kernel), named by the view's model id.
                model_id = data[WIDGET_VIEW].get("model_id", "")
                shown = "text/html" in data or f'data-face-of="{model_id}"' in cell_html
                blank += not shown
    return faces, quizzes, widgets, blank


def _markdown(nb) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_page_offline(site, browser, lesson):
    nb = _executed(lesson)
    faces, quizzes, widgets, blank = _figures_and_widgets(nb)
    assert faces == sum(lesson_figures(lesson.name)), (
        f"{lesson.name}: {faces} still figures, the lesson displays {lesson_figures(lesson.name)}"
    )
    assert blank == 0, f"{lesson.name}: {blank} of {widgets} widgets show nothing without a kernel"

    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside = refuse_network(page)
    page.goto((site / "lessons" / f"{lesson.stem}.html").as_uri())
    page.wait_for_load_state("load")
    page.wait_for_function(
        "n => document.querySelectorAll('.ol-static-figure .main-svg, .ol-static-figure svg.ol-diagram').length >= n",
        arg=faces,
        timeout=30_000,
    )
    # MathJax typesets after load: its startup promise settles once the page's maths is typeset.
    page.wait_for_function(
        "() => !document.querySelector('script[src*=\"mathjax\" i]') || !!window.MathJax?.startup?.promise",
        timeout=30_000,
    )
    page.evaluate("() => window.MathJax?.startup?.promise?.then(() => true)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"site-{lesson.stem}.png"), full_page=True)

    assert outside == [], f"{lesson.name}: the page reached outside the machine: {outside}"
    assert errors == [], f"{lesson.name}: console errors: {errors}"
    drawn = page.locator(".ol-static-figure").evaluate_all(
        "els => els.filter(el => el.querySelector('.main-svg, svg.ol-diagram')).length"
    )
    assert drawn == faces, f"{lesson.name}: {drawn} of {faces} figures drawn"
    if widgets:
        assert faces + quizzes >= 1, f"{lesson.name}: the lesson shows widgets but the page has none"
    assert page.locator(".ol-static-quiz").count() == quizzes, (
        f"{lesson.name}: a quiz's questions are missing"
    )

    text = _markdown(nb)
    title = re.search(r"^# (.+)$", text, flags=re.M).group(1).strip()
    assert page.locator("h1").first.inner_text().replace("#", "").strip() == title
    h2 = len(re.findall(r"^## ", text, flags=re.M))
    assert page.locator("article h2").count() >= h2, f"{lesson.name}: section headings missing"
    md_tables = len(re.findall(r"^\|[ :-]+\|", text, flags=re.M)) or len(
        re.findall(r"^\|?\s*-{3,}", text, flags=re.M)
    )
    assert page.locator("article table").count() >= md_tables, f"{lesson.name}: tables missing"
    if re.search(r"\$[^$\n]+\$", text):
        assert page.locator("mjx-container").count() > 0, f"{lesson.name}: maths not typeset"
        assert page.locator("mjx-merror").count() == 0, f"{lesson.name}: a formula failed to typeset"
    assert "not medical advice" in page.inner_text("body")
    launch = page.locator("a[href*='mybinder.org'], a[href*='git-pull']").evaluate_all(
        "els => els.map(a => a.href)"
    )
    assert any("mybinder.org" in h for h in launch) and any("git-pull" in h for h in launch), (
        f"{lesson.name}: no Binder / JupyterHub launch link"
    )
    page.context.close()


def test_the_site_holds_no_hidden_test(site, hidden_tests, page_text):
    """The site shows the lessons' solutions, folded, on purpose (instructor guide, "Limits"); the
    hidden tests that mark the assignments (conftest's ``built``) must never be on it."""
    needles = {line for lesson in hidden_tests.values() for line in lesson["code"] + lesson["messages"]}
    pages = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".ipynb", ".md", ".txt")]
    assert len([p for p in pages if p.suffix == ".html"]) >= len(LESSONS), pages
    for page in pages:
        seen = page_text(page)
        leaked = [n for n in needles if n in seen]
        assert not leaked, f"{page.relative_to(site)}: hidden test text {leaked[:3]}"


def test_code_solutions_are_folded(site, browser):
    page = browser.new_page()
    page.goto((site / "lessons" / "02_binding_occupancy_efficacy.html").as_uri())
    solutions = page.locator(".cell.tag_solution")
    assert solutions.count() >= 1
    for i in range(solutions.count()):
        assert not solutions.nth(i).locator(".cell_input").is_visible(), "a code solution is shown unfolded"
        # the fold names what it hides (Jupyter Book's default: "Show code cell content")
        assert "Show solution" in solutions.nth(i).inner_text(), solutions.nth(i).inner_text()[:200]
        assert "code cell content" not in solutions.nth(i).inner_text()
    page.close()


def test_the_organ_baths_show_a_worked_example(site, browser):
    """Lesson 03's three baths start empty; on the site each shows a worked example's curves."""
    page = browser.new_page()
    page.goto((site / "lessons" / "03_competitive_blocking.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.ol-static-figure[data-drawn=\"true\"]').length > 0")
    captions = page.locator(".ol-static-example")
    assert captions.count() == 3, captions.count()
    assert "Naloxone: a control curve" in captions.nth(0).inner_text()
    assert "β-CNA" in captions.nth(1).inner_text()
    points = page.evaluate(
        "() => [...document.querySelectorAll('.ol-static-figure .ol-static-plot')]"
        ".map(d => d.querySelectorAll('.scatterlayer .point').length)"
    )
    assert points and min(points) >= 36, points  # every bath's picture holds curves, not empty charts
    page.screenshot(path=str(ARTIFACTS / "site-03-organ-bath.png"), full_page=False)
    page.close()
