"""The Check button of an assignment notebook (widgets.classroom_tools.answer_check), driven headless.

It runs otter's real ``grader.check`` on a student notebook built by ``make assignments``
(lesson 02, built once per session by test_grading's fixture); the message is a sentence in an
announced region; the student's variables are never changed by a check.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import ipywidgets as ipw
import pytest
import yaml

from widgets.classroom_tools.answer_check import AnswerChecks, close_to, is_kind

SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "classroom" / "grading" / "exercises.yml").read_text(
        encoding="utf-8"
    )
)


@pytest.fixture
def grader(built, monkeypatch, tmp_path):
    import otter

    # A copy: otter writes its log (.OTTER_LOG) where it runs, and the built student folder is
    # shared with test_grading, which checks it holds only the notebooks.
    folder = tmp_path / "student"
    shutil.copytree(built / "student", folder)
    monkeypatch.chdir(folder)
    return otter.Notebook(SPEC["02"]["notebook"])


def _parts(box):
    button, area = box.children
    return button, area


def test_check_is_a_named_button_with_an_announced_message(grader):
    namespace = {"answer_2_1": None}
    box = AnswerChecks(grader, namespace).button("q2_1")
    button, area = _parts(box)
    assert isinstance(button, ipw.Button) and button.description == "Check exercise 2.1"
    assert button.layout.width == "auto"  # the whole name shows (the default width cut it)
    assert not button.disabled  # reachable with Tab, pressed with Enter or Space
    assert "ol-message" in area._dom_classes  # the status region every widget message uses
    # run once when the cell runs: not filled in yet, said as an alert with a sentence that helps
    assert 'role="alert"' in area.value
    assert "Set answer_2_1 to the fraction of receptors occupied" in area.value
    assert "Traceback" not in area.value and "&gt;&gt;&gt;" not in area.value


def test_pressing_check_after_answering_says_the_checks_pass(grader):
    namespace = {"answer_2_1": None}
    box = AnswerChecks(grader, namespace).button("q2_1")
    button, area = _parts(box)
    namespace["answer_2_1"] = 10 / 11
    button.click()
    assert 'role="alert"' not in area.value
    assert "Exercise 2.1: all 1 checks pass" in area.value


def test_a_check_never_changes_the_students_work(grader):
    answer = [0.5]  # a mutable object: the very object must stay, with its contents
    namespace = {"occupied_for_half_2_3": answer, "occupied_for_90pct_2_3": 0.9, "mine": "notes"}
    before = dict(namespace)
    checks = AnswerChecks(grader, namespace)
    for _ in range(2):
        checks.run("q2_3")
    assert namespace == before and namespace.keys() == before.keys()
    assert namespace["occupied_for_half_2_3"] is answer and answer == [0.5]


def test_a_check_that_cannot_run_says_so_in_a_sentence(grader):
    text, passed = AnswerChecks(grader, {}).run("q9_9")
    assert not passed and text.startswith("Exercise 9.9: the checks could not run")
    assert "Save the notebook" in text


def test_the_public_checks_travel_inside_the_notebook(built):
    nb = json.loads((built / "student" / SPEC["02"]["notebook"]).read_text(encoding="utf-8"))
    assert set(nb["metadata"]["otter"]["tests"]) == {"q2_1", "q2_3"}


@pytest.mark.parametrize(
    ("value", "kind", "ok"),
    [
        (0.5, "number", True),
        (None, "number", False),
        (True, "number", False),
        (float("nan"), "number", False),
        ("0.5", "number", False),
        ("less", "text", True),
        ("  ", "text", False),
        ({"MOR": 0.9}, "mapping", True),
        ({}, "mapping", False),
        (["naloxone"], "list", True),
        ("naloxone", "list", False),
        # a molar concentration: 5.4 µM is 5.4e-6; 5.4 (µM typed for M) is not one (a trial: it passed)
        (5.4e-6, "molar", True),
        (5.4, "molar", False),
        (0.0, "molar", False),
        (None, "molar", False),
    ],
)
def test_is_kind(value, kind, ok):
    assert is_kind(value, kind) is ok


def test_close_to():
    import numpy as np

    assert close_to(np.float64(0.909), 10 / 11, rel=0.001)
    assert not close_to(0.95, 10 / 11, rel=0.001)
    assert close_to(9.4, 9.5, abs_tol=0.2) and not close_to(9.0, 9.5, abs_tol=0.2)
    assert close_to(" Less ", "less") and not close_to("more", "less")
    assert close_to({"MOR": 0.5, "KOR": 0.2}, {"KOR": 0.2, "MOR": 0.5})
    assert not close_to({"MOR": 0.5}, {"MOR": 0.5, "KOR": 0.2})
    assert close_to(["b", "a"], ["a", "b"]) and not close_to(["a"], ["a", "b"])
    assert not close_to(None, 0.5) and not close_to("0.5", 0.5)


def test_a_drug_named_as_the_lesson_prints_it_matches_its_key():
    """An audit of issue 26: a student who typed "6β-Naltrexol", as lesson 03's table prints it,
    was marked wrong against the key 6beta_naltrexol (only case and spaces were set aside)."""
    for typed in ("6β-Naltrexol", "6beta naltrexol", " 6BETA_NALTREXOL ", "6β naltrexol"):
        assert close_to(typed, "6beta_naltrexol"), typed
    assert close_to(["Naloxone", "6β-naltrexol"], ["6beta_naltrexol", "naloxone"])
    assert not close_to("naltrexol", "6beta_naltrexol") and not close_to("6α-naltrexol", "6beta_naltrexol")
    with pytest.raises(ValueError, match="kind must be one of"):
        is_kind(1, "float")


def test_the_static_face_names_the_button_and_keeps_its_message(grader):
    box = AnswerChecks(grader, {"answer_2_1": None}).button("q2_1")
    data, _ = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data  # live front-ends still get the widget
    face = data["text/html"]
    assert "Check exercise 2.1" in face and "Set answer_2_1" in face and "VBox(" not in face


def test_a_check_after_the_answer_cell_failed_does_not_pass_on_older_values(grader):
    """A trial: the answer cell, changed and run again, stopped with a SyntaxError, and Check still
    said "all checks pass" on the values the earlier run left (the graded run would find the cell
    failing). A cell that raises marks the names it assigns as stale until it runs cleanly."""
    from types import SimpleNamespace

    from widgets.classroom_tools import answer_check

    def ran(source, error=None):
        answer_check.note_cell_result(
            SimpleNamespace(
                info=SimpleNamespace(raw_cell=source), error_before_exec=error, error_in_exec=None
            )
        )

    namespace = {"answer_2_1": 10 / 11}
    checks = AnswerChecks(grader, namespace)
    try:
        ran("answer_2_1 = 10 / 11")
        assert checks.run("q2_1")[1]
        ran("answer_2_1 = 30 / 1.5 +", SyntaxError("invalid syntax"))
        text, passed = checks.run("q2_1")
        assert not passed and "the cell that sets answer_2_1 stopped with an error" in text
        assert namespace == {"answer_2_1": 10 / 11}  # the work is left as it was
        ran("other = 1", ZeroDivisionError())  # a failing cell that does not set the answer
        assert "stopped with an error" in checks.run("q2_1")[0]
        ran("answer_2_1 = 10 / 11")  # fixed and run again
        assert checks.run("q2_1")[1]
    finally:
        answer_check._STALE.clear()
