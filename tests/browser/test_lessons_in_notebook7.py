"""Every lesson in Jupyter Notebook 7, which students start with `jupyter notebook`: run it and
use its widgets by keyboard, as test_accessibility.py does in JupyterLab
(the walk: lesson_walk.py)."""

from __future__ import annotations

import pytest

from .lesson_walk import LESSONS, run_all_and_use_every_widget

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_in_notebook7(notebook7_server, page, lesson):
    run_all_and_use_every_widget(page, notebook7_server, lesson, ui="notebook")
