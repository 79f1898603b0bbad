"""Lesson 00's learning path and the README's lesson table list every lesson, and only lessons that exist."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\]\((?:lessons/)?(\d\d_[a-z0-9_]+\.ipynb)\)")


def _markdown(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _check_links(text: str, where: str) -> None:
    linked = set(LINK.findall(text))
    missing_files = sorted(linked - set(LESSONS))
    assert not missing_files, f"{where} links to lessons that do not exist: {missing_files}"
    unlisted = sorted(set(LESSONS) - linked)
    assert not unlisted, f"{where} does not list these lessons: {unlisted}"


def test_learning_path_in_lesson_00_lists_every_lesson():
    text = _markdown(ROOT / "lessons" / "00_start_here.ipynb")
    path_section = text.split("## The learning path", 1)[1].split("\n## ", 1)[0]
    _check_links(path_section, "lesson 00's learning path")
    assert "planned" not in path_section, "lesson 00 still marks a lesson as planned"


def test_readme_lesson_table_lists_every_lesson_with_a_binder_link():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## The lessons", 1)[1].split("\n## ", 1)[0]
    _check_links(table, "the README's lesson table")
    for name in LESSONS:
        assert f"urlpath=lab/tree/lessons/{name}" in table, f"README has no Binder launch link for {name}"
