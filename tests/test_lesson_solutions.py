"""What the lessons' solutions and Try-it steps say agrees with what running them shows (issue 28)."""

import ast
import json
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def _cells(lesson: str) -> dict:
    nb = json.loads((LESSONS / lesson).read_text(encoding="utf-8"))
    return {c.get("id"): c for c in nb["cells"]}


def _solutions():
    for path in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")):
        for cid, cell in _cells(path.name).items():
            if cell["cell_type"] == "code" and "solution" in cell.get("metadata", {}).get("tags", []):
                yield pytest.param(path.name, cid, id=f"{path.name[:2]}-{cid}")


@pytest.mark.parametrize("lesson, cid", list(_solutions()))
def test_a_solution_shows_its_result_behind_one_fold(lesson, cid):
    """One show_answer per code solution, outside any loop: two folds ("Show the result" twice)
    hid half of solutions 2.3, 3.2, 5.1 and 5.2 behind a second click."""
    tree = ast.parse("".join(_cells(lesson)[cid]["source"]))

    def is_show(node):
        return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "show_answer"

    calls = [n for n in ast.walk(tree) if is_show(n)]
    in_loops = [
        n
        for loop in ast.walk(tree)
        if isinstance(loop, (ast.For, ast.While))
        for n in ast.walk(loop)
        if is_show(n)
    ]
    assert len(calls) == 1 and not in_loops, (
        f"{lesson} {cid}: {len(calls)} show_answer calls, {len(in_loops)} in a loop"
    )


def _answers(lesson: str, cell_ids: list[str], monkeypatch) -> list[str]:
    """Run cells of a lesson in one namespace; what show_answer was given, in order."""
    import widgets

    shown: list[str] = []
    # lessons import it as `from widgets import show_answer`
    monkeypatch.setattr(widgets, "show_answer", lambda *v: shown.append(" ".join(str(x) for x in v)))
    cells = _cells(lesson)
    namespace: dict = {}
    for cid in cell_ids:
        exec(compile("".join(cells[cid]["source"]), f"{lesson}:{cid}", "exec"), namespace)
    return shown


@pytest.mark.parametrize("solution", ["c33", "c40"])
def test_lesson_03_solutions_name_both_members_of_the_pair(solution, monkeypatch):
    """Naltrexone and nalmefene share one K_B (pKB 9.52): a solution naming one of them as the
    'closest candidate' teaches the opposite of section 6."""
    (answer,) = _answers("03_competitive_blocking.ipynb", ["c01", solution], monkeypatch)
    assert "Naltrexone" in answer and "Nalmefene" in answer, answer
    assert (
        "cannot tell" in answer and "closest candidate:" not in answer and "nearest candidate" not in answer
    )


def test_lesson_03_buprenorphine_steps_give_the_slope_the_text_promises():
    """Try it (section 4) with the lesson's own bath (seed 7): the steps the text gives produce a
    Schild slope near 1, as the text says; 3 and 10 nM gave 1.58."""
    from widgets import OrganBath

    cells = _cells("03_competitive_blocking.ipynb")
    steps = "".join(cells["c17"]["source"])
    assert "then 3 nM and 30 nM" in steps and 'OrganBath(drug="beta_chlornaltrexamine", seed=7)' in "".join(
        cells["c18"]["source"]
    )
    bath = OrganBath(drug="buprenorphine", seed=7)
    for b in (0.0, 3e-9, 3e-8):
        bath.antagonist.value = b
        bath.run_curve.click()
    bath.fit_button.click()
    assert abs(bath.analysis.schild.slope - 1) < 0.1
    assert "stays about 1" not in "".join(cells["c15"]["source"])


def test_lesson_03_exercise_3_5_says_what_new_tissue_does():
    text = "".join(_cells("03_competitive_blocking.ipynb")["c39"]["source"])
    assert "*New tissue*" in text and "the slider goes back to 0" in text and "control curve" in text


def test_lessons_01_and_02_describe_the_typical_affinity_the_same_way():
    """widgets.data_access.affinities.representative_ki_nM: the geometric mean of each source's midpoint."""
    text = {
        n: json.dumps(json.loads((LESSONS / n).read_text(encoding="utf-8"))["cells"], ensure_ascii=False)
        for n in ("01_opioid_receptors.ipynb", "02_binding_occupancy_efficacy.ipynb")
    }
    for name, cells in text.items():
        assert "geometric mean of the sources' midpoints" in cells, name
        assert "sources' ranges" not in cells, name


def test_the_instructor_guide_quotes_the_organ_bath_as_it_speaks():
    import html
    import re

    from widgets import OrganBath

    guide = (LESSONS.parent / "instructor" / "README.md").read_text(encoding="utf-8")
    bath = OrganBath(drug="beta_chlornaltrexamine", seed=7)  # lesson 03's Try it: control, 3 and 30 nM
    for b in (0.0, 3e-9, 3e-8):
        bath.antagonist.value = b
        bath.run_curve.click()
    bath.fit_button.click()
    said = re.search(r"never reaches (\d+ %)", html.unescape(bath.message.value)).group(1)
    quoted = re.findall(r"never reaches (\d+ %)", guide)
    assert quoted == [said], (quoted, said)
    limits = guide.split("### Known limits of the tool", 1)[1].split("\n## ", 1)[0]
    assert "Averaging pA2 across tissues" not in limits and "global fit" in limits


def test_lesson_03_tables_give_every_ec50_two_significant_figures():
    """Section 2 and 3's printed tables showed '2 µM' beside '2.9 µM' and '5.4 µM'."""
    import contextlib
    import io
    import os
    import re

    cells = _cells("03_competitive_blocking.ipynb")
    out, namespace, here = io.StringIO(), {}, os.getcwd()
    os.chdir(LESSONS)
    try:
        with contextlib.redirect_stdout(out):
            for cid in ("c01", "c08", "c11"):
                exec(compile("".join(cells[cid]["source"]), cid, "exec"), namespace)
    finally:
        os.chdir(here)
    text = out.getvalue()
    ec50s = [
        m
        for line in text.splitlines()
        if "EC50" in line
        for m in re.findall(r"([\d.]+) [µn]M", line.split("EC50", 1)[1])
    ]
    ec50s += [line.split()[2] for line in text.splitlines()[1:6]]  # section 2's table: the EC50 column
    assert len(ec50s) >= 20
    assert all(len(n.replace(".", "").lstrip("0")) >= 2 for n in ec50s), ec50s
