"""Accessibility of every lesson after Run All: axe-core finds nothing critical or serious in the
lessons' own outputs, and every widget control works by keyboard with a name and value text that
match what is shown (issue: WCAG 2.1 AA inside every widget)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .axe_check import IMPACTS, axe_violations, count_by_impact
from .conftest import ARTIFACTS
from .lab import ROOT, open_lesson_and_run_all

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=LESSONS)
def lesson_page(request, lab_server, browser):
    """One lesson opened and run once, shared by the tests below (axe first, then the keyboard)."""
    base, token = lab_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_lesson_and_run_all(page, base, token, request.param)
    page.wait_for_timeout(500)  # the page-wide accessibility pass runs on the next frame
    yield request.param, page
    context.close()


def test_axe_finds_nothing_serious_in_the_lesson(lesson_page):
    lesson, page = lesson_page
    nodes = axe_violations(page)
    ours = [n for n in nodes if n["ours"]]
    ARTIFACTS.mkdir(exist_ok=True)
    report = {"lesson": lesson, "ours": count_by_impact(ours),
              "jupyterlab": count_by_impact([n for n in nodes if not n["ours"]]), "nodes": nodes}
    (ARTIFACTS / f"axe-{Path(lesson).stem}.json").write_text(json.dumps(report, indent=1))
    print(f"\naxe {lesson}: ours {report['ours']} | JupyterLab's own chrome {report['jupyterlab']}")
    bad = [f"{n['impact']} {n['rule']}: {n['target']} {n['html'][:120]}"
           for n in ours if n["impact"] in IMPACTS[:2]]
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
  const slider = el.closest('.widget-slider');
  const text = e => (e ? e.textContent.replace(/\\s+/g, ' ').trim() : '');
  let readout = null;
  if (el.matches('.noUi-handle') && slider) {
    const r = slider.querySelector('.widget-readout');
    readout = r && r.offsetParent !== null && text(r) ? text(r) : text(slider.nextElementSibling);
  }
  return {tag: el.tagName, cls: el.className && el.className.baseVal === undefined ? el.className : '',
          text: text(el), label: slider ? text(slider.querySelector('.widget-label')) : null,
          readout, valuetext: el.getAttribute('aria-valuetext'),
          inOutput: !!el.closest('.jp-OutputArea-output'),
          type: el.type || '', disabled: !!el.disabled};
}"""


def _accessible(cdp) -> dict:
    obj = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})["result"]["objectId"]
    node = cdp.send("Accessibility.getPartialAXTree", {"objectId": obj, "fetchRelatives": False})["nodes"][0]
    props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
    return {"role": node.get("role", {}).get("value"), "name": (node.get("name") or {}).get("value", ""),
            "value": (node.get("value") or {}).get("value"), **props}


def _operate(page, shown) -> str:
    """Keys a person would use on this control; returns what was pressed."""
    if shown["tag"] == "INPUT" and shown["type"] in ("text", "number", ""):
        return ""  # text boxes: typing is tested by the widgets' own tests
    if "noUi-handle" in shown["cls"]:
        keys = ["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"]
    elif shown["tag"] == "SELECT" or shown["type"] == "radio":
        keys = ["ArrowDown", "ArrowUp"]
    else:  # buttons, toggle buttons, check boxes, toolbar buttons: arrows must do nothing to the notebook
        keys = ["ArrowDown", "ArrowUp"]
    for key in keys:
        page.keyboard.press(key)
        page.wait_for_timeout(60)
    return " ".join(keys)


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
                    problems.append(f"{where}: slider shows {shown['readout']!r} but says {shown['valuetext']!r}")
            cell = page.evaluate(_ACTIVE)
            pressed = _operate(page, shown)
            if page.evaluate(_ACTIVE) != cell:
                problems.append(f"{where}: {pressed} moved the notebook to another cell")
            if pressed and not page.evaluate("() => !!document.activeElement.closest('.jp-OutputArea-output')"):
                problems.append(f"{where}: {pressed} took the focus out of the widget")
                break
            if shown["readout"] is not None:  # after moving: the value text follows the readout
                page.wait_for_timeout(400)
                after = page.evaluate(_SHOWN)
                if after["valuetext"] != after["readout"]:
                    problems.append(f"{where}: after {pressed} shows {after['readout']!r} but says "
                                    f"{after['valuetext']!r}")
            page.keyboard.press("Tab")
            page.wait_for_timeout(40)
    assert reached >= len(set(owners)), f"{lesson}: Tab reached only {reached} controls"
    assert not problems, "\n".join(problems)
