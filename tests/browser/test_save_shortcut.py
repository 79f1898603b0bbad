"""Ctrl+S saves the lesson while a widget control has focus (a student presses Fit, then saves).

The controls carry data-lm-suppress-shortcuts so arrows and Enter reach them; that turned off
JupyterLab's Save shortcut too, and a trial lost the organ bath on the next reload.
"""

from __future__ import annotations

import pytest

from .lab import open_lesson_and_run_all

pytestmark = pytest.mark.browser

_DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"


@pytest.mark.parametrize("selector", ["button", ".noUi-handle"])
def test_ctrl_s_saves_with_a_widget_control_focused(lab_server, page, selector):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, "03_competitive_blocking.ipynb")
    area = page.locator(".ol-liveplot").first.locator(
        "xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]"
    )
    area.scroll_into_view_if_needed()
    control = area.locator(selector).first
    control.focus()
    page.wait_for_function(
        "(el) => el.closest('[data-lm-suppress-shortcuts]') !== null", arg=control.element_handle()
    )
    assert page.evaluate(_DIRTY), "Run All should leave the lesson unsaved"
    page.keyboard.press("Control+s")
    page.wait_for_function(f"() => !({_DIRTY[6:]})", timeout=15_000)
    # The control keeps its keys afterwards.
    page.wait_for_function(
        "(el) => el.closest('[data-lm-suppress-shortcuts]') !== null", arg=control.element_handle()
    )
