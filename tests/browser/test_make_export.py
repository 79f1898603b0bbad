"""`make export` (README, "Reading without Jupyter"): an exported lesson reads offline, maths too.

nbconvert's own page loads MathJax from a CDN, so with no network a lesson's TeX stayed raw
(issue 28). Lesson 06 (two display formulas, one of the shortest lessons to execute) is exported
with the README's command and opened in headless Chromium with every request that is not for the
local file refused: the page must ask for nothing, typeset every formula and draw every figure.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import nbformat
import pytest

from .conftest import ARTIFACTS
from .lab import ROOT, lesson_figures, refuse_network

pytestmark = pytest.mark.browser

LESSON = "06_alcohol_hypotheses.ipynb"


def _formulas(lesson: str) -> int:
    """How many $$...$$ formulas the lesson's markdown cells hold."""
    nb = nbformat.read(ROOT / "lessons" / lesson, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return len(re.findall(r"\$\$.+?\$\$", text, flags=re.S))


def test_make_export_draws_the_maths_and_figures_with_no_network(browser, tmp_path):
    n_formulas, n_figures = _formulas(LESSON), lesson_figures(LESSON)[0]
    assert n_formulas >= 1 and n_figures >= 1
    venv = sys.prefix
    started = time.monotonic()
    # The environment this test runs in is already installed: -o keeps make from installing into
    # it (or running npm) when pyproject.toml or book/package-lock.json is newer than its stamps.
    done = subprocess.run(
        ["make", "export", f"LESSONS={LESSON[:2]}", f"EXPORT_DIR={tmp_path}", f"VENV={venv}"]
        + ["-o", f"{venv}/.installed-lessons", "-o", "book/node_modules/.installed-stamp"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"make export failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    page_path = tmp_path / LESSON.replace(".ipynb", ".html")
    print(f"make export: {time.monotonic() - started:.1f} s, {page_path.stat().st_size:,} bytes")

    context = browser.new_context(viewport={"width": 1300, "height": 900})
    refused = refuse_network(context)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(page_path.as_uri())  # returns once the page and its scripts have loaded
    assert refused == [], f"the page asked the network for {refused}"
    assert page.evaluate("() => !!window.MathJax?.startup?.promise"), "MathJax did not load"
    page.evaluate("() => window.MathJax.startup.promise.then(() => true)")  # typeset done
    page.wait_for_function(
        "n => document.querySelectorAll('.ol-static-figure[data-drawn=true]').length >= n",
        arg=n_figures,
        timeout=60_000,
    )

    assert refused == [] and errors == [], (refused, errors)
    maths = page.locator(".jp-RenderedMarkdown mjx-container[display=true]")
    assert maths.count() == n_formulas, f"{maths.count()} of {n_formulas} formulas typeset"
    assert page.locator("mjx-merror").count() == 0, "a formula failed to typeset"
    prose = "\n".join(page.locator(".jp-RenderedMarkdown").all_inner_texts())
    assert "$$" not in prose and "\\frac" not in prose, "raw TeX left in the lesson's text"
    assert page.locator(".ol-static-figure").count() == n_figures
    ARTIFACTS.mkdir(exist_ok=True)
    maths.first.screenshot(path=str(ARTIFACTS / f"{LESSON[:2]}-exported-maths.png"))
    context.close()
