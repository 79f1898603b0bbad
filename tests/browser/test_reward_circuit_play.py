"""Lesson 05: Play continues from where the Time slider was moved, by keys or by mouse, and
the circuit diagram follows the slider in the browser, even with the kernel frozen."""

from __future__ import annotations

import os
import re
import signal

import pytest
from playwright.sync_api import expect

from .lab import kernel_caught_up, open_lesson_and_run_all

pytestmark = pytest.mark.browser
LESSON = "05_reward_pathway.ipynb"


def _open_circuit(lab_server, page):
    """Lesson 05 after Run All: the circuit widget's output area and its Time slider's handle."""
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, LESSON)
    area = page.locator(".jp-OutputArea-output", has=page.locator(".widget-play")).first
    area.scroll_into_view_if_needed()
    return area, area.locator(".widget-slider", has_text="Time (min)").locator(".noUi-handle")


def _wait_for_minute(page, handle, test: str) -> None:
    """Wait until the Time slider's minute passes ``test`` (a JS function of the minute)."""
    page.wait_for_function(
        f"el => ({test})(Number(el.getAttribute('aria-valuenow')))",
        arg=handle.element_handle(),
        timeout=10_000,
    )


def _wait_for_label(page, button, label: str) -> None:
    page.wait_for_function(
        f"el => el.getAttribute('aria-label') === '{label}'", arg=button.element_handle(), timeout=10_000
    )


def test_play_starts_at_the_slider_time(lab_server, page):
    area, time = _open_circuit(lab_server, page)
    play = area.locator(".widget-play button").first
    summary = area.locator(".ol-summary").first

    # Play a little and pause, so Play has a position of its own (minute 5 or so).
    play.click()
    _wait_for_minute(page, time, "m => m >= 5")
    play.click()
    _wait_for_label(page, play, "Play")
    time.focus()
    for _ in range(80):
        page.keyboard.press("ArrowRight")
    start = float(time.get_attribute("aria-valuenow"))
    assert start >= 80
    expect(summary).to_contain_text(f"Minute {start:.0f} of", timeout=10_000)
    kernel_caught_up(page)

    play.click()
    _wait_for_minute(page, time, f"m => m !== {start}")  # Play has taken its first step
    play.click()  # pause
    _wait_for_label(page, play, "Play")
    now = float(time.get_attribute("aria-valuenow"))
    assert start < now <= start + 20, (
        f"Play went from minute {start} to {now}: it did not continue from the slider"
    )


def test_play_from_an_odd_minute_ends_at_the_last_minute(lab_server, page):
    area, time = _open_circuit(lab_server, page)
    time.focus()
    for _ in range(37):
        page.keyboard.press("ArrowRight")
    play = area.locator(".widget-play button").first
    play.click()
    for label, timeout in (("Pause", 5_000), ("Play", 30_000)):  # it stops by itself at the end
        page.wait_for_function(
            f"el => el.getAttribute('aria-label') === '{label}'", arg=play.element_handle(), timeout=timeout
        )
    assert float(time.get_attribute("aria-valuenow")) == 180
    expect(area.locator("svg.ol-diagram")).to_have_attribute("data-drawn-revision", re.compile(r"@180$"))


def test_the_diagram_follows_the_slider_with_the_kernel_frozen(lab_server, page):
    area, time = _open_circuit(lab_server, page)
    diagram = area.locator("svg.ol-diagram")
    nac_value = diagram.locator("g.ol-node[data-id=nac] .ol-node-value")
    summary = area.locator(".ol-summary").first
    time.focus()
    for _ in range(60):
        page.keyboard.press("ArrowRight")
    expect(summary).to_contain_text("Minute 60 of", timeout=10_000)
    expect(diagram).to_have_attribute("data-drawn-revision", re.compile(r"@60$"))

    # Freeze the kernel (SIGSTOP): nothing it would send can arrive while keys are pressed.
    pid = page.evaluate(
        """() => new Promise((resolve) => {
        const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        const future = kernel.requestExecute({code: "import os; print(os.getpid())"});
        future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') resolve(Number(msg.content.text)); };
    })"""
    )
    os.kill(pid, signal.SIGSTOP)
    try:
        time.focus()
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        expect(diagram).to_have_attribute("data-drawn-revision", re.compile(r"@70$"), timeout=1_000)
        assert "Minute 60 of" in summary.inner_text(), "the kernel answered: the test proves nothing"
    finally:
        os.kill(pid, signal.SIGCONT)
    # When the kernel is free again, the sentence (from the kernel) agrees with the diagram.
    expect(summary).to_contain_text("Minute 70 of", timeout=10_000)
    assert f"accumbens dopamine is {nac_value.text_content()} of baseline" in summary.inner_text()
