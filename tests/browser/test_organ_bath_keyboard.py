"""Lesson 03: run a whole Schild experiment in the organ bath with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations
from .conftest import ARTIFACTS
from .lab import kernel_caught_up, next_frames, open_lesson_and_run_all, wait_until_drawing_is_still

pytestmark = pytest.mark.browser


def _tab_to(page, text: str, limit: int = 12) -> None:
    """Press Tab until the focused element's text starts with ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => (document.activeElement.innerText || '').trim()").startswith(text):
            return
    raise AssertionError(f"could not reach {text!r} with Tab")


def _wait_summary(page, plot, words: str) -> str:
    page.wait_for_function(
        "([el, w]) => el.querySelector('.ol-summary').textContent.includes(w)",
        arg=[plot.element_handle(), words],
        timeout=10_000,
    )
    return plot.locator(".ol-summary").inner_text()


@pytest.mark.parametrize("lesson", ["03_competitive_blocking.ipynb"])
def test_schild_experiment_by_keyboard(lab_server, page, lesson):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, lesson)
    plot = page.locator(".ol-liveplot").first
    plot.scroll_into_view_if_needed()
    area = plot.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
    handle = area.locator(".noUi-handle").first

    handle.focus()  # slider at 0: the control curve
    _tab_to(page, "Run the whole curve")
    page.keyboard.press("Enter")
    _wait_summary(page, plot, "12 of 12 doses")
    for presses, label in ((5, "10 nM"), (1, "30 nM"), (1, "100 nM")):
        handle.focus()
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        _wait_summary(page, plot, f"naloxone at {label}: equilibrated")
        _tab_to(page, "Run the whole curve")
        page.keyboard.press(" ")  # Space works as well as Enter
        _wait_summary(page, plot, f"naloxone at {label}: 12 of 12 doses")
    _tab_to(page, "Fit and Schild")
    page.keyboard.press("Enter")
    summary = _wait_summary(page, plot, "Global fit: pKB")
    assert "Schild plot (regression on the dose ratios): slope" in summary and "pA2" in summary
    kernel_caught_up(page)  # the fit's table and figure have arrived; the picture is of them
    wait_until_drawing_is_still(page, plot)
    ARTIFACTS.mkdir(exist_ok=True)
    area.screenshot(path=str(ARTIFACTS / "03_competitive_blocking-keyboard-schild.png"))
    table = area.locator("table")
    assert "dose ratio" in table.inner_text()
    # the global fit's pK_B is the headline, above the table; the table has visible borders
    headline = area.locator("p", has_text="from the global fit").first
    assert "95 % CI" in headline.inner_text()
    assert headline.bounding_box()["y"] < table.bounding_box()["y"]
    border = table.locator("td").first.evaluate("el => getComputedStyle(el).borderTopWidth")
    assert border != "0px"

    # An arrow key on "Second drug" only asks; Tab reaches the answer buttons; Cancel keeps the curves.
    drug = area.locator(".widget-dropdown select").first
    drug.focus()
    page.keyboard.press("ArrowDown")
    question = area.locator(".widget-hbox", has=page.locator("button", has_text="Start a new tissue"))
    expect(question).to_contain_text("Your 4 curves will be cleared", timeout=10_000)
    assert "4 of 4" not in plot.locator(".ol-summary").inner_text()
    assert "curve 4" in plot.locator(".ol-summary").inner_text()  # nothing cleared yet
    next_frames(page)  # the question is laid out and drawn before its picture is taken
    question.screenshot(path=str(ARTIFACTS / "03_competitive_blocking-confirm-drug.png"))
    serious = [
        f"{n['rule']}: {n['html'][:100]}"
        for n in axe_violations(page)
        if n["ours"] and n["impact"] in ("critical", "serious")
    ]
    assert not serious, f"axe-core, with the question shown: {serious}"
    area.screenshot(path=str(ARTIFACTS / "03_competitive_blocking-confirm-drug-widget.png"))
    _tab_to(page, "Start a new tissue with Naltrexone", limit=3)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText.trim()") == "Cancel: keep Naloxone"
    page.keyboard.press("Enter")
    expect(area).to_contain_text("your curves are still here", timeout=10_000)
    # the buttons are gone: focus is back on the drop-down, not lost to the page
    page.wait_for_function("() => document.activeElement?.tagName === 'SELECT'", timeout=10_000)
    assert drug.evaluate("e => e.value") == drug.evaluate("e => e.options[0].value")
    assert "curve 4" in plot.locator(".ol-summary").inner_text()
    # ... and Confirm starts the new tissue, its first curve a control
    drug.focus()
    page.keyboard.press("ArrowDown")
    expect(question).to_be_visible(timeout=10_000)
    _tab_to(page, "Start a new tissue with Naltrexone", limit=3)
    page.keyboard.press("Enter")
    _wait_summary(page, plot, "Tissue 1, curve 1, no antagonist (control)")
    page.wait_for_function("() => document.activeElement?.tagName === 'SELECT'", timeout=10_000)
