"""Accessibility of every lesson after Run All: axe-core finds nothing critical or serious in the
lessons' own outputs, and every widget control works by keyboard with a name and value text that
match what is shown (issue: WCAG 2.1 AA inside every widget)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .axe_check import IMPACTS, axe_violations, count_by_impact
from .conftest import ARTIFACTS, _new_page
from .lab import ROOT, assert_lesson_figures, kernel_caught_up, next_frames, open_lesson_and_run_all
from .lesson_walk import use_every_widget

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
# Lessons showing a widget with a Play control (the reward circuit's animation).
ANIMATED_LESSONS = {
    p.name
    for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")
    if "RewardCircuit(" in p.read_text(encoding="utf-8")
}
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=LESSONS)
def lesson_page(request, lab_server, browser):
    """One lesson opened and run once, shared by the tests below (axe first, then the keyboard,
    and last the lesson walk, which moves every figure)."""
    base, token = lab_server
    context, page = _new_page(browser)
    open_lesson_and_run_all(page, base, token, request.param)
    # The page-wide accessibility pass (widgets/display/static/a11y.js) runs on the next frame after a
    # change: every slider handle in an output carries its name once it has run.
    next_frames(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output .noUi-handle')]"
        ".every(h => h.hasAttribute('aria-label'))",
        timeout=10_000,
    )
    yield request.param, page
    context.close()


def test_axe_finds_nothing_serious_in_the_lesson(lesson_page):
    lesson, page = lesson_page
    nodes = axe_violations(page)
    ours = [n for n in nodes if n["ours"]]
    ARTIFACTS.mkdir(exist_ok=True)
    report = {
        "lesson": lesson,
        "ours": count_by_impact(ours),
        "jupyterlab": count_by_impact([n for n in nodes if not n["ours"]]),
        "nodes": nodes,
    }
    (ARTIFACTS / f"axe-{Path(lesson).stem}.json").write_text(json.dumps(report, indent=1))
    print(f"\naxe {lesson}: ours {report['ours']} | JupyterLab's own chrome {report['jupyterlab']}")
    bad = [
        f"{n['impact']} {n['rule']}: {n['target']} {n['html'][:120]}"
        for n in ours
        if n["impact"] in IMPACTS[:2]
    ]
    assert not bad, f"{lesson}: axe-core finds in the lesson's outputs:\n" + "\n".join(bad)


# -- keyboard --------------------------------------------------------------------------------
_CONTROLS = """() => [...document.querySelectorAll('.jp-OutputArea-output')].flatMap((area, a) =>
  [...area.querySelectorAll('.jupyter-widgets, .ol-diagram')].filter(w => !w.parentElement.closest('.jupyter-widgets, .ol-diagram'))
   .flatMap(root => [...root.querySelectorAll('button, input, select, textarea, [tabindex], a[href]')])
   .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
                 && getComputedStyle(el).visibility !== 'hidden')
   .map(el => { el.dataset.olControl = `${a}`; return a; }))"""

_ACTIVE = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"

# What the focused control shows. Its accessible name comes from Chromium's own accessibility
# tree (DevTools protocol); its value text from aria-valuetext (the protocol's "valuetext" stays
# empty in headless Chromium even when the attribute is set).
_SHOWN = """() => {
  const el = document.activeElement;
  // The focus outline's width (px) and its contrast against the white page (WCAG 2.4.11).
  const outline = e => {
    const st = getComputedStyle(e);
    if (st.outlineStyle === 'none') return [0, 1];
    const [r, g, b] = st.outlineColor.match(/[\\d.]+/g).map(Number).map(c => c / 255)
      .map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return [parseFloat(st.outlineWidth), 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)];
  };
  const slider = el.closest('.widget-slider');
  const text = e => (e ? e.textContent.replace(/\\s+/g, ' ').trim() : '');
  let readout = null;
  if (el.matches('.noUi-handle') && slider) {
    const r = slider.querySelector('.widget-readout');
    readout = r && r.offsetParent !== null && text(r) ? text(r) : text(slider.nextElementSibling);
  }
  return {tag: el.tagName, cls: el.className && el.className.baseVal === undefined ? el.className : '',
          text: text(el), label: slider ? text(slider.querySelector('.widget-label')) : null,
          readout, valuetext: el.getAttribute('aria-valuetext'), outline: outline(el),
          inOutput: !!el.closest('.jp-OutputArea-output'),
          type: el.type || '', disabled: !!el.disabled};
}"""


def _accessible(cdp) -> dict:
    obj = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})["result"]["objectId"]
    node = cdp.send("Accessibility.getPartialAXTree", {"objectId": obj, "fetchRelatives": False})["nodes"][0]
    props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
    return {
        "role": node.get("role", {}).get("value"),
        "name": (node.get("name") or {}).get("value", ""),
        "value": (node.get("value") or {}).get("value"),
        **props,
    }


def _operate(page, shown) -> tuple[str, set]:
    """Press the keys a person would use on this control; returns them and the active cell
    index seen after each."""
    if shown["tag"] == "INPUT" and shown["type"] in ("text", "number", ""):
        return "", set()  # text boxes: typing is tested by the widgets' own tests
    if "noUi-handle" in shown["cls"]:
        keys = ["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"]
    elif shown["tag"] == "SELECT" or shown["type"] == "radio":
        keys = ["ArrowDown", "ArrowUp"]
    else:  # buttons, toggle buttons, check boxes, toolbar buttons: arrows must do nothing to the notebook
        keys = ["ArrowDown", "ArrowUp"]
    cells = set()
    for key in keys:
        page.keyboard.press(key)
        next_frames(page, 1)  # JupyterLab moves to another cell on the key itself, if it does
        cells.add(page.evaluate(_ACTIVE))
    return " ".join(keys), cells


def test_every_widget_control_works_by_keyboard(lesson_page):
    lesson, page = lesson_page
    owners = page.evaluate(_CONTROLS)
    assert owners, f"{lesson}: no widget control found to test"
    cdp = page.context.new_cdp_session(page)
    problems, reached = [], 0
    for area in sorted(set(owners)):
        first = page.locator(f"[data-ol-control='{area}']").first
        first.scroll_into_view_if_needed()
        first.focus()
        want = owners.count(area)
        for _ in range(want + 3):
            shown = page.evaluate(_SHOWN)
            in_area = page.evaluate(f"() => document.activeElement.dataset.olControl === '{area}'")
            if not in_area:
                break
            reached += 1
            ax = _accessible(cdp)
            where = f"{lesson} output {area} {shown['tag']} {shown['text'][:30]!r}"
            if not ax["name"].strip():
                problems.append(f"{where}: no accessible name")
            if shown["text"] and shown["tag"] == "BUTTON" and shown["text"] not in ax["name"]:
                problems.append(f"{where}: shows {shown['text']!r} but is named {ax['name']!r}")
            if shown["readout"] is not None:
                if shown["label"] and ax["name"] != shown["label"]:
                    problems.append(f"{where}: slider labelled {shown['label']!r} is named {ax['name']!r}")
                if shown["valuetext"] != shown["readout"]:
                    problems.append(
                        f"{where}: slider shows {shown['readout']!r} but says {shown['valuetext']!r}"
                    )
            width, contrast = shown["outline"]
            if width < 2 or contrast < 3:
                problems.append(f"{where}: focus outline {width}px at {contrast:.1f}:1 (needs 2px, 3:1)")
            cell = page.evaluate(_ACTIVE)
            pressed, cells = _operate(page, shown)
            if cells - {cell}:
                problems.append(f"{where}: {pressed} moved the notebook to another cell")
            if pressed and not page.evaluate(
                "() => !!document.activeElement.closest('.jp-OutputArea-output')"
            ):
                problems.append(f"{where}: {pressed} took the focus out of the widget")
                break
            if shown["readout"] is not None:  # after moving: the value text follows the readout
                kernel_caught_up(page)  # the readout beside a slider comes from the kernel
                after = page.evaluate(_SHOWN)
                if after["valuetext"] != after["readout"]:
                    problems.append(
                        f"{where}: after {pressed} shows {after['readout']!r} but says {after['valuetext']!r}"
                    )
            page.keyboard.press("Tab")
            next_frames(page, 1)
    assert reached >= len(set(owners)), f"{lesson}: Tab reached only {reached} controls"
    assert not problems, "\n".join(problems)


_DISABLED_HANDLES = """() => [...document.querySelectorAll('.jp-OutputArea-output .noUi-target[disabled] .noUi-handle')]
  .map(h => [h.getAttribute('aria-label'), h.getAttribute('tabindex'), h.getAttribute('aria-disabled')])"""

_FIGURES = """() => [...document.querySelectorAll('.ol-liveplot')].map(fig => {
  const svg = fig.querySelector('.main-svg');
  const described = svg && document.getElementById(svg.getAttribute('aria-describedby'));
  return {role: svg && svg.getAttribute('role'), label: svg && svg.getAttribute('aria-label'),
          describedBy: described ? described.textContent : null,
          summary: fig.querySelector('.ol-summary').textContent,
          toolbarInImage: !!(svg && svg.querySelector('.modebar-btn, a, button'))};
})"""


def test_disabled_controls_leave_the_tab_order_messages_are_status_and_figures_described(lesson_page):
    lesson, page = lesson_page
    for label, tabindex, disabled in page.evaluate(_DISABLED_HANDLES):
        assert tabindex == "-1" and disabled == "true", (
            f"{lesson}: disabled slider {label!r} is still a Tab stop"
        )
    areas = page.evaluate(
        "() => [...document.querySelectorAll('.ol-message .widget-html-content')]"
        ".map(e => [e.getAttribute('role'), e.getAttribute('aria-live')])"
    )
    assert all(a == ["status", "polite"] for a in areas), (
        f"{lesson}: a message area is not a status region: {areas}"
    )
    typed_in_vain = page.locator(".ol-readonly-readout .widget-readout[contenteditable=true]").count()
    assert typed_in_vain == 0, f"{lesson}: a slider readout that ignores typing can still be typed in"
    figures = page.evaluate(_FIGURES)
    assert len(figures) == assert_lesson_figures(page, lesson)
    for fig in figures:
        assert fig["role"] == "img" and fig["label"], (
            f"{lesson}: a figure's drawing is not a named image: {fig}"
        )
        assert fig["describedBy"] == fig["summary"], f"{lesson}: a figure is not described by its summary"
        assert not fig["toolbarInImage"]


# What screen readers hear (the status regions' texts, timed) and how often the visible summary
# changed meanwhile.
_WATCH_ANNOUNCEMENTS = """() => { window.__olSpoken = []; window.__olShown = 0;
  document.querySelectorAll('.ol-liveplot [role=status]').forEach(el => new MutationObserver(
    () => el.textContent && window.__olSpoken.push([performance.now(), el.textContent])
  ).observe(el, {childList: true, characterData: true, subtree: true}));
  document.querySelectorAll('.ol-liveplot .ol-summary').forEach(el => new MutationObserver(
    () => { window.__olShown += 1; }
  ).observe(el, {childList: true, characterData: true, subtree: true})); }"""
# Summary changes to watch while Play runs (~8 a second): seconds of an animation that a screen
# reader must not hear sentence by sentence.
PLAYED_UPDATES = 25


def test_an_animation_is_announced_sparingly_and_on_pause(lesson_page):
    """While Play runs, the summary (rewritten ~8 times a second) is announced at most every few
    seconds; on Pause the final state is announced. The Play button's name follows its icon."""
    lesson, page = lesson_page
    players = page.locator(".jp-OutputArea-output .widget-play")
    if lesson not in ANIMATED_LESSONS:
        assert players.count() == 0, f"{lesson} has a Play widget: add it to ANIMATED_LESSONS"
        return
    area = page.locator(".jp-OutputArea-output", has=page.locator(".widget-play")).first
    area.scroll_into_view_if_needed()
    buttons = area.locator(".widget-play button")
    play, repeat = buttons.first, buttons.nth(2)
    assert play.get_attribute("aria-label") == "Play" and repeat.get_attribute("aria-pressed") == "false"
    page.evaluate(_WATCH_ANNOUNCEMENTS)
    summary = area.locator(".ol-summary").first
    before = summary.text_content()
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "el => el.getAttribute('aria-label') === 'Pause'", arg=play.element_handle(), timeout=5000
    )
    # Let the animation rewrite the summary PLAYED_UPDATES times (counted, not timed).
    page.wait_for_function(f"() => window.__olShown >= {PLAYED_UPDATES}", timeout=30_000)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "el => el.getAttribute('aria-label') === 'Play'", arg=play.element_handle(), timeout=5000
    )
    kernel_caught_up(page)  # the summary now shows the paused state (it comes from the kernel)
    shown = summary.text_content()
    assert shown != before, f"{lesson}: Play did not change the summary"
    updates = page.evaluate("window.__olShown")
    # The pause is announced after 1.2 s of quiet, 3 s after the last announcement at most.
    try:
        page.wait_for_function(
            "text => { const s = window.__olSpoken; return s.length && s[s.length - 1][1] === text; }",
            arg=shown,
            timeout=6_000,
        )
    except PlaywrightTimeout:
        pass  # reported below with what was announced
    spoken = page.evaluate("window.__olSpoken")
    assert spoken and spoken[-1][1] == shown, f"{lesson}: the paused state was not announced: {spoken[-1:]}"
    gaps = [b[0] - a[0] for a, b in zip(spoken, spoken[1:])]
    # Never two announcements within 3 s (page clock), however often the summary changed.
    assert all(g >= 2900 for g in gaps), (
        f"{lesson}: announced {len(spoken)} times for {updates} summary changes, gaps {gaps} ms"
    )


def test_the_lesson_walk(lesson_page):
    """Last for each lesson (it moves every figure): after Run All every figure follows its
    first slider's arrow keys, and nothing shows an error (lesson_walk.py; Notebook 7 has its own
    walk in test_lessons_in_notebook7.py)."""
    lesson, page = lesson_page
    use_every_widget(page, lesson, ui="lab")
