"""Committed lessons carry no outputs, execution counts or widget state, and follow the template."""

import json
import re
from pathlib import Path

import pytest

LESSONS = sorted((Path(__file__).resolve().parents[1] / "lessons").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_lessons():
    assert len(LESSONS) >= 2, "expected lesson notebooks in lessons/"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_is_stripped(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} has stored outputs"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb["metadata"], f"{path.name} stores widget state in its metadata"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_opens_without_a_kernel_dialog(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: kernelspec must name python3 so JupyterLab starts the kernel without asking"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_follows_the_template(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for heading in ("Learning objectives", "Prerequisites", "Time to learn", "Summary", "References"):
        assert heading in text, f"{path.name} lacks a '{heading}' section"
    assert "not medical advice" in text, f"{path.name} lacks the medical-education note"
    tags = [t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", [])]
    if not path.name.startswith("00_"):
        assert tags.count("solution") >= 2, f"{path.name} needs at least two exercises with solutions"
    # Every exercise is followed by its solution before the next exercise starts.
    pending = False
    for cell in nb["cells"]:
        cell_tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in cell_tags:
            pending = False
        elif "exercise" in cell_tags and cell["cell_type"] == "markdown":
            assert not pending, f"{path.name}: an exercise has no solution before the next one"
            pending = True
    assert not pending, f"{path.name}: the last exercise has no solution"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_code_solutions_stay_hidden_after_run_all(path):
    """A code solution's input and output are collapsed, and its visible first line gives nothing away."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or "solution" not in cell.get("metadata", {}).get("tags", []):
            continue
        jupyter = cell["metadata"].get("jupyter", {})
        assert jupyter.get("source_hidden") and jupyter.get("outputs_hidden"), (
            f"{path.name} cell {i}: a code solution must have its input and output collapsed"
        )
        source = "".join(cell["source"])
        assert "print(" not in source, (
            f"{path.name} cell {i}: Run All would print the answer under the exercise; use show_answer(...)"
        )
        first = source.splitlines()[0]
        assert re.fullmatch(r"# Solution \d+\.\d+", first), (
            f"{path.name} cell {i}: the first line shows on the collapsed cell; keep it to '# Solution N.M', got {first!r}"
        )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_is_in_the_form_jupyterlab_saves(path):
    """Opening the lesson in JupyterLab must not mark it modified or make its autosave rewrite it
    (tests/browser/test_lessons_open_unmodified.py checks the same against JupyterLab itself)."""
    from widgets.classroom_tools.notebook_format import normalized_text

    text = path.read_text(encoding="utf-8")
    assert normalized_text(text) == text, (
        f"{path.name} is not in the form JupyterLab saves: run "
        "`.venv/bin/python -m widgets.classroom_tools.classroom normalize-notebooks` and commit the result"
    )
