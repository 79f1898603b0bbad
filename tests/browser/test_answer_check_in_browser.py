"""An assignment notebook's Check button in JupyterLab (headless Chromium), used with the keyboard.

The student notebook of lesson 02 built by `make assignments` (conftest's ``built``) is put on
the test's JupyterLab server and run; its Check button is a real, focusable button that Enter
presses, and its sentence sits in a polite live region (a failure inside it is an alert).
"""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest
import yaml
from playwright.sync_api import expect

from .lab import ROOT, wait_for_notebook_and_idle_kernel

pytestmark = pytest.mark.browser
NOTEBOOK = yaml.safe_load((ROOT / "classroom" / "grading" / "exercises.yml").read_text(encoding="utf-8"))[
    "02"
]["notebook"]


def _put(base: str, token: str, path: str, model: dict) -> None:
    req = urllib.request.Request(
        f"{base}/api/contents/{path}?token={token}",
        data=json.dumps(model).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status in (200, 201)


def test_check_button_is_pressed_with_enter_and_its_sentence_is_announced(lab_server, page, built):
    base, token = lab_server
    nb = json.loads((built / "student" / NOTEBOOK).read_text(encoding="utf-8"))
    _put(base, token, "assignment", {"type": "directory"})
    _put(base, token, f"assignment/{NOTEBOOK}", {"type": "notebook", "format": "json", "content": nb})

    page.goto(f"{base}/lab/workspaces/t{secrets.token_hex(4)}/tree/assignment/{NOTEBOOK}?reset&token={token}")
    wait_for_notebook_and_idle_kernel(page)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    button = page.get_by_role("button", name="Check exercise 2.1")
    button.wait_for(timeout=180_000)
    check = page.locator(".ol-answer-check", has=button)
    message = check.locator(".ol-message [role=status]")
    # Run All leaves the notebook scrolled to its end, where JupyterLab skips drawing cells out
    # of view (their innerText is empty): look at the exercise, as the student would.
    check.scroll_into_view_if_needed()
    # run with the cell: the answer is still None, so an alert says what to put there
    expect(message).to_contain_text("Set answer_2_1", timeout=60_000)
    assert message.get_attribute("aria-live") == "polite"
    assert message.locator("[role=alert]").count() == 1

    # The student answers (the kernel runs their cell), then checks with the keyboard alone.
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
        timeout=180_000,
    )
    page.evaluate(
        "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        ".requestExecute({code: 'answer_2_1 = 10 / 11'}).done"
    )
    button.focus()
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.evaluate("document.activeElement.tabIndex") >= 0, "the Check button is out of the Tab order"
    page.keyboard.press("Enter")
    expect(message).to_contain_text("all 1 checks pass", timeout=60_000)
    assert message.locator("[role=alert]").count() == 0
    assert "Traceback" not in check.inner_text()
