"""Fixtures shared by several test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GRADED_LESSONS = ["02", "03"]


def _lesson_bytes() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ROOT / "lessons").glob("*.ipynb"))}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """`make assignments` for lessons 02 and 03, once per test session (about 35 s)."""
    from classroom.grading import build as grading_build

    before = _lesson_bytes()
    out = tmp_path_factory.mktemp("assignments")
    summaries = grading_build.build(GRADED_LESSONS, out)
    assert [s["lesson"] for s in summaries] == GRADED_LESSONS
    assert _lesson_bytes() == before, "building the assignments changed a lesson"
    return out
