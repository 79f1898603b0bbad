"""Lesson 05: Play continues from where the Time slider was moved, by keys or by mouse."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .lab import open_lesson_and_run_all

pytestmark = pytest.mark.browser
LESSON = "05_reward_pathway.ipynb"


def test_play_starts_at_the_slider_time(lab_server, page):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, LESSON)
    area = page.locator(".jp-OutputArea-output", has=page.locator(".widget-play")).first
    area.scroll_into_view_if_needed()
    time = area.locator(".widget-slider", has_text="Time (min)").locator(".noUi-handle")
    play = area.locator(".widget-play button").first
    summary = area.locator(".ol-summary").first

    # Play a little and pause, so Play has a position of its own (minute 6 or so).
    play.click()
    page.wait_for_timeout(400)
    play.click()
    page.wait_for_timeout(500)
    time.focus()
    for _ in range(80):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1000)
    start = float(time.get_attribute("aria-valuenow"))
    assert start >= 80
    expect(summary).to_contain_text(f"Minute {start:.0f} of", timeout=10_000)

    play.click()
    page.wait_for_timeout(600)
    play.click()  # pause
    page.wait_for_timeout(500)
    now = float(time.get_attribute("aria-valuenow"))
    assert start < now <= start + 20, (
        f"Play went from minute {start} to {now}: it did not continue from the slider"
    )
