"""Opening a lesson in JupyterLab changes nothing: no unsaved-changes dot, and a save writes the same bytes.

The lessons are committed in the form JupyterLab writes (``python -m widgets.classroom_tools.classroom
normalize-notebooks``); without it JupyterLab marks each lesson modified as it opens and its
autosave rewrites the file (git then shows every opened lesson changed).
"""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest

from .lab import ROOT, next_frames, wait_for_notebook_and_idle_kernel

pytestmark = pytest.mark.browser
LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _saved_text(base: str, token: str, lesson: str) -> str:
    url = f"{base}/api/contents/lessons/{lesson}?content=1&format=text&type=file&token={token}"
    return json.loads(urllib.request.urlopen(url, timeout=30).read())["content"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_opening_and_saving_a_lesson_leaves_the_file_byte_identical(lab_server, page, lesson):
    base, token = lab_server
    page.goto(f"{base}/lab/workspaces/t{secrets.token_hex(4)}/tree/lessons/{lesson}?reset&token={token}")
    # Wait for the kernel: its kernel_info reply is what fills in language_info.
    wait_for_notebook_and_idle_kernel(page)
    # The notebook applies the kernel's language info when the kernel's info reply has arrived
    # (a handler on the same promise, registered before ours); a change it makes shows as dirty.
    page.evaluate(
        "async () => { const s = window.jupyterapp.shell.currentWidget.sessionContext;"
        " await s.ready; await s.session.kernel.info; }"
    )
    next_frames(page)
    dirty = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")
    # Save now instead of waiting two minutes for the autosave (it writes the same way).
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    # Not dirty again once the server has answered the save, i.e. after it wrote the file.
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
    saved = _saved_text(base, token, lesson)
    committed = (ROOT / "lessons" / lesson).read_text(encoding="utf-8")
    assert saved == committed, (
        f"{lesson}: JupyterLab rewrote the lesson on opening; run "
        "`.venv/bin/python -m widgets.classroom_tools.classroom normalize-notebooks` and commit the result"
    )
    assert not dirty, f"{lesson} showed unsaved changes as soon as it opened"
