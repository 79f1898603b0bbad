"""Every lesson in Jupyter Notebook 7, which students start with `jupyter notebook`: run it and
use its widgets by keyboard, as test_lessons_in_browser.py does in JupyterLab."""

from __future__ import annotations

import pytest

from .test_lessons_in_browser import LESSONS, _run_all_and_use_every_widget

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_in_notebook7(notebook7_server, page, lesson):
    _run_all_and_use_every_widget(page, notebook7_server, lesson, ui="notebook")
