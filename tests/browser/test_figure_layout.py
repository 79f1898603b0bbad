"""Every figure keeps its layout: after Run All, after toggling the file browser, after a window
resize and at 150 % zoom.

For each figure (a LivePlot's plotly figure, a CircuitDiagram's SVG, any other plotly figure):

* its plot area fills at least 85 % of the figure's width, or the figure is drawn at its
  minimum width and scrolls sideways (as LivePlot's ``min_width`` is meant to). For plotly the
  plot area is the union of the subplots' areas (their domains in the space the margins leave)
  with their tick labels and axis titles, i.e.
  the figure without its margins: what shrinks when plotly pushes a margin for a legend or a
  colour bar (the collapse seen in lesson 05's old circuit figure). For a diagram it is the
  drawing (nodes, links and their labels);
* no two of its non-empty SVG text labels overlap (bounding boxes intersect by more than 2 px
  both ways), and none sticks out of the figure (cut off).

Zoom: CSS ``zoom: 1.5`` on the page's root element. Chromium implements CSS zoom as browser
zoom does for layout: JupyterLab, after a resize event, lays the page out in 1/1.5 of the CSS
width, and bounding boxes and ResizeObserver sizes are reported consistently, so the checks
see what a reader at 150 % sees. (A new browser context with a 1.5 device scale factor would
need a second Run All per lesson.)
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ARTIFACTS
from .lab import (
    ROOT,
    assert_lesson_figures,
    drawn_revision,
    kernel_caught_up,
    lesson_figures,
    next_frames,
    open_lesson_and_run_all,
    wait_for_redraw,
    wait_until_drawing_is_still,
)

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
pytestmark = pytest.mark.browser
MIN_FILL = 0.85
FIGURES = ".ol-liveplot, .ol-circuit, .jp-OutputArea-output .js-plotly-plot:not(.ol-plot)"

# One figure's problems, as text. Runs in the page; `fig` is a FIGURES element.
_CHECK_FIGURE = """(fig) => {
  const problems = [];
  const rect = (e) => e.getBoundingClientRect();
  const diagram = fig.classList.contains('ol-circuit');
  let svgs, width, parts;
  if (diagram) {
    svgs = [fig.querySelector('svg.ol-diagram')];
    width = rect(fig).width;
    parts = [...fig.querySelectorAll('.ol-links, .ol-nodes, .ol-link-labels')];
  } else {
    const gd = fig.matches('.js-plotly-plot') ? fig : fig.querySelector('.js-plotly-plot');
    if (!gd) return ['not drawn'];
    svgs = [...gd.querySelectorAll('svg.main-svg')];
    const drawn = Number(svgs[0].getAttribute('width'));
    const minWidth = Number(gd.dataset.minWidth || 0);
    width = rect(gd).width;  // the space the figure is given (bounding boxes: the same units at any zoom)
    if (drawn > gd.clientWidth + 1) {
      if (drawn > minWidth + 1) problems.push(`drawn ${drawn} px wide in a ${gd.clientWidth} px space (min width ${minWidth})`);
      width = rect(svgs[0]).width;  // scrolls sideways at its minimum width, as designed
    }
    parts = [...gd.querySelectorAll('.xtick text, .ytick text')]
      .concat([...gd.querySelectorAll('.infolayer text')].filter((t) => /^[xy][0-9]*title$/.test(t.getAttribute('class'))));
  }
  const boxes = parts.map(rect).filter((b) => b.width > 0);
  if (!diagram) {
    // The subplots' areas as laid out (their domains in the space the margins leave), not
    // as drawn, so a panel kept square on purpose (scaleanchor) does not count as a collapse.
    const gd = fig.matches('.js-plotly-plot') ? fig : fig.querySelector('.js-plotly-plot');
    const full = gd._fullLayout, box = rect(svgs[0]), k = box.width / full.width;
    for (const [name, ax] of Object.entries(full)) {
      if (!/^xaxis[0-9]*$/.test(name) || !ax || !ax.domain) continue;
      boxes.push({left: box.left + k * (full._size.l + ax.domain[0] * full._size.w),
                  right: box.left + k * (full._size.l + ax.domain[1] * full._size.w), width: 1});
    }
  }
  if (!boxes.length) return problems.concat(['nothing drawn']);
  const left = Math.min(...boxes.map((b) => b.left)), right = Math.max(...boxes.map((b) => b.right));
  const fill = (right - left) / width;
  if (fill < MIN_FILL) problems.push(`plot area ${Math.round(right - left)} px of ${Math.round(width)} px (${Math.round(100 * fill)} %)`);

  const outer = svgs.map(rect).reduce((a, b) => ({left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
                                                   top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom)}));
  const texts = svgs.flatMap((s) => [...s.querySelectorAll('text')])
    .filter((t) => t.textContent.trim() && !t.closest('.hoverlayer'))
    .map((t) => ({t: t.textContent.trim(), b: rect(t)}))
    .filter(({b}) => b.width > 0 && b.height > 0);
  for (const {t, b} of texts) {
    if (b.left < outer.left - 2 || b.right > outer.right + 2 || b.top < outer.top - 2 || b.bottom > outer.bottom + 2)
      problems.push(`"${t}" is cut off at the figure's edge`);
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].b, b = texts[j].b;
      const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (dx > 2 && dy > 2) problems.push(`"${texts[i].t}" overlaps "${texts[j].t}"`);
    }
  }
  return problems;
}""".replace("MIN_FILL", str(MIN_FILL))


_SETTLED = """el => {
  const plot = el.querySelector('.ol-plot');
  const svg = plot && plot.querySelector('.main-svg');
  if (!plot) return true;  // an SVG diagram scales with its viewBox
  if (!svg) return false;
  const want = Math.max(plot.clientWidth, Number(plot.dataset.minWidth || 0));
  return Math.abs(Number(svg.getAttribute('width')) - want) <= 2;
}"""


def _check_figures(page, lesson: str, condition: str) -> list[str]:
    problems = []
    figures = page.locator(FIGURES)
    count = figures.count()
    assert count >= sum(lesson_figures(lesson)), f"{lesson}, {condition}: only {count} figures found"
    for i in range(count):
        fig = figures.nth(i)
        fig.scroll_into_view_if_needed()
        # A figure that has just come into view redraws at its new width: wait until plotly's
        # drawing is as wide as the space it is given (or its minimum width), and then until it
        # stops changing (plotly may move margins and labels once more after drawing).
        page.wait_for_function(_SETTLED, arg=fig.element_handle(), timeout=10_000)
        wait_until_drawing_is_still(page, fig)
        found = fig.evaluate(_CHECK_FIGURE)
        if found:
            # Still at a frame where nothing moved, plotly may yet start its own (debounced)
            # relayout for the new size: give the layout up to 5 s to come right. A figure whose
            # layout is wrong stays wrong, and its problems are reported as found then.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(
                    f"el => ({_CHECK_FIGURE})(el).length === 0", arg=fig.element_handle(), timeout=5_000
                )
            found = fig.evaluate(_CHECK_FIGURE)
        problems += [f"{condition}, figure {i}: {p}" for p in found]
    return problems


def _toggle_file_browser(page) -> None:
    """What Ctrl+B and View > File Browser do; returns when JupyterLab has laid the page out again."""
    collapsed = page.evaluate("() => window.jupyterapp.shell.leftCollapsed")
    page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.wait_for_function(
        "was => window.jupyterapp.shell.leftCollapsed !== was", arg=collapsed, timeout=10_000
    )
    next_frames(page)  # Lumino lays the panels out on the next frame; each figure then follows


_EXPECTED_FONT = {"dejavu": "DejaVu Sans", "liberation": "Liberation Sans"}


def test_each_font_set_is_the_one_drawn(font_page):
    """The layout test below means something only if the browser really draws plotly's
    "Arial" with the font set named: ask Chromium which platform font it used."""
    page = font_page
    page.set_content('<p id="t" style="font-family: Arial, Helvetica, sans-serif">oral dose (mg)</p>')
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#t"})["nodeId"]
    fonts = [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    assert fonts == [_EXPECTED_FONT[page.font_set]], f"{page.font_set}: drawn with {fonts}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_figures_keep_their_layout(lab_server, font_page, lesson):
    """Run once with each font set (DejaVu alone, Liberation alone): plotly's "Arial" resolves
    to whichever is installed, and CI, a student's laptop and a hub image differ."""
    page = font_page
    base, token = lab_server
    page.set_viewport_size({"width": 1400, "height": 900})
    open_lesson_and_run_all(page, base, token, lesson)
    assert_lesson_figures(page, lesson)
    problems = _check_figures(page, lesson, "after Run All")
    _toggle_file_browser(page)
    problems += _check_figures(page, lesson, "file browser hidden")
    _toggle_file_browser(page)
    problems += _check_figures(page, lesson, "file browser shown again")
    page.set_viewport_size({"width": 1000, "height": 800})
    next_frames(page)  # the window's resize reaches JupyterLab's layout, then each figure's width
    problems += _check_figures(page, lesson, "window 1000x800")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.evaluate("document.documentElement.style.zoom = '1.5'; window.dispatchEvent(new Event('resize'))")
    next_frames(page)
    problems += _check_figures(page, lesson, "150 % zoom")
    if problems:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(lesson).stem}-layout-150-{page.font_set}.png"))
    assert not problems, f"{lesson} ({page.font_set} fonts):\n" + "\n".join(problems)


# Lesson 05's "opioid" and "drink" labels mark the two events ("opioid" in the firing-rate panel,
# "drink" in the dopamine panel); the curves of either panel must not run through them, whatever
# the doses (each y axis always leaves the top tenth free).
_CURVES_THROUGH_LABELS = """(gd) => {
  const full = gd._fullLayout, svg = gd.querySelector('svg.main-svg').getBoundingClientRect();
  const hits = [];
  for (const a of gd.querySelectorAll('.annotation')) {
    const label = a.textContent.trim();
    if (!['opioid', 'drink'].includes(label)) continue;
    const b = a.querySelector('text').getBoundingClientRect();
    for (const t of gd._fullData) {
      if (t.showlegend === false || !String(t.mode).includes('lines')) continue;
      const half = (t.line && t.line.width || 2) / 2;
      const xa = full['xaxis' + t.xaxis.slice(1)], ya = full['yaxis' + t.yaxis.slice(1)];
      for (let k = 0; k < t.x.length; k++) {
        const px = svg.left + xa._offset + xa.c2p(t.x[k]), py = svg.top + ya._offset + ya.c2p(t.y[k]);
        if (px > b.left - half && px < b.right + half && py > b.top - half && py < b.bottom + half) {
          hits.push(`"${label}" lies on ${t.name} at minute ${t.x[k]}`);
          break;
        }
      }
    }
  }
  return hits;
}"""


def test_lesson_05_event_labels_stay_clear_of_the_curves(lab_server, page):
    base, token = lab_server
    page.set_viewport_size({"width": 1400, "height": 900})
    open_lesson_and_run_all(page, base, token, "05_reward_pathway.ipynb")
    plot = page.locator(".ol-liveplot").first
    plot.scroll_into_view_if_needed()
    area = plot.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
    gd = plot.locator(".js-plotly-plot")
    summary = plot.locator(".ol-summary")
    problems = []
    for setting, slider, key in (
        ("as the lesson opens", None, None),
        ("morphine at its highest", "Morphine (nM)", "End"),
        ("and the most alcohol", "Alcohol (g/kg)", "End"),
        ("morphine at 0, the most alcohol", "Morphine (nM)", "Home"),
    ):
        if slider:
            before, before_rev = summary.text_content(), drawn_revision(plot)
            area.locator(".widget-slider", has_text=slider).locator(".noUi-handle").focus()
            page.keyboard.press(key)
            page.wait_for_function(
                "([el, text]) => el.textContent !== text",
                arg=[summary.element_handle(), before],
                timeout=10_000,
            )
            kernel_caught_up(page)  # the last key's answer has arrived; now its drawing
            wait_for_redraw(page, plot, before_rev)
        wait_until_drawing_is_still(page, plot)
        problems += [f"{setting}: {p}" for p in gd.evaluate(_CURVES_THROUGH_LABELS)]
        for width in (1400, 1000):  # the plot's own width changes the labels' span in minutes
            page.set_viewport_size({"width": width, "height": 900})
            next_frames(page)
            page.wait_for_function(_SETTLED, arg=plot.element_handle(), timeout=10_000)
            wait_until_drawing_is_still(page, plot)
            problems += [f"{setting}, window {width} px: {p}" for p in gd.evaluate(_CURVES_THROUGH_LABELS)]
        ARTIFACTS.mkdir(exist_ok=True)
        plot.screenshot(path=str(ARTIFACTS / f"05_reward_pathway-labels-{setting.replace(' ', '_')}.png"))
    assert not problems, "\n".join(problems)
