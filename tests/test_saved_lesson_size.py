"""Every lesson, saved after Run All, stays at most 300 KB (issue 28): its outputs are the live
widget views (small) and each widget's still picture, thinned; the tables and figures of a Run All
must not make a lesson a student saves several megabytes again. The size is what JupyterLab's save
writes: the lesson executed, then the server's pre-save hook (bench/saved_size.py measures it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_SAVED_BYTES = 300_000
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _bench():
    spec = importlib.util.spec_from_file_location("saved_size", ROOT / "bench" / "saved_size.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_a_lesson_saved_after_run_all_is_at_most_300_kb(lesson):
    committed, saved = _bench().saved_size(lesson)
    assert saved <= MAX_SAVED_BYTES, f"{lesson.name}: {saved / 1000:.1f} KB after Run All (at most 300 KB)"
    assert saved > committed  # the outputs are there (a check that measured nothing would pass)
