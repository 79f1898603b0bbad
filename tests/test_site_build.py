"""book/build.py (`make site`) without building: which lessons it builds and how it labels solutions."""

import importlib.util
import json
import subprocess
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("book_build", ROOT / "book" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_the_site_is_built_from_the_committed_lessons_not_the_working_copy(tmp_path):
    """A half-edited lesson (a student's, or an author's before committing) stopped `make site`
    with a traceback: the site builds what is committed and names what it left out."""
    build = _build_module()
    (tmp_path / "lessons").mkdir()
    lesson = tmp_path / "lessons" / "00_start_here.ipynb"
    committed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 00 · Start here")])
    lesson.write_text(nbformat.writes(committed), encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "lessons")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "lesson")
    half_edited = json.loads(lesson.read_text(encoding="utf-8"))
    half_edited["cells"].append(nbformat.v4.new_code_cell("raise RuntimeError('half-edited')"))
    lesson.write_text(json.dumps(half_edited), encoding="utf-8")
    (tmp_path / "lessons" / "01_draft.ipynb").write_text(nbformat.writes(committed), encoding="utf-8")

    sources = build.lesson_sources(tmp_path)
    assert list(sources) == ["00_start_here.ipynb"]  # the uncommitted draft is not built either
    assert "half-edited" not in sources["00_start_here.ipynb"]
    assert build.lesson_title(sources["00_start_here.ipynb"]) == "00 · Start here"
    assert build.uncommitted_lessons(tmp_path) == ["00_start_here.ipynb", "01_draft.ipynb"]
    working = build.lesson_sources(tmp_path, working_copy=True)
    assert "half-edited" in working["00_start_here.ipynb"] and "01_draft.ipynb" in working


def test_code_solutions_are_folded_behind_show_solution():
    """Jupyter Book's own words on the fold were 'Show code cell content'."""
    build = _build_module()
    nb = nbformat.read(ROOT / "lessons" / "03_competitive_blocking.ipynb", as_version=4)
    build.fold_solutions(nb)
    solutions = [c for c in nb.cells if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]
    assert solutions
    for cell in solutions:
        assert "hide-cell" in cell.metadata["tags"]
        assert cell.metadata["mystnb"] == {
            "code_prompt_show": "Show solution",
            "code_prompt_hide": "Hide solution",
        }
    assert all("mystnb" not in c.metadata for c in nb.cells if c not in solutions)
