"""`make assignments` and `make grade` (classroom/grading/): built from the lessons, graded locally.

Lessons 02 and 03 are built once per test session (03 has the per-student unknown antagonist).
Submissions are written here as a student's notebook would be: the handed-out notebook with answer
cells filled in, zipped as ``grader.export`` zips it. The answer key below is this test's own
(computed from the science API or by hand), not the graders' solutions; the marks expected are
counted from exercises.yml's points. The hub test (test_hub_grading.py) exports for real.
"""

from __future__ import annotations

import csv
import html
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from classroom.grading import build as grading_build
from classroom.grading import grade as grading_grade

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ["02", "03"]
SPEC = yaml.safe_load((ROOT / "classroom" / "grading" / "exercises.yml").read_text(encoding="utf-8"))

# Two students whose unknown antagonists belong to different pairs (naloxone/6β-naltrexol and
# naltrexone/nalmefene), so one student's answer is wrong for the other.
ID_A, ID_B = "student 0", "student 3"
PAIRS = {
    "naloxone": ["naloxone", "6beta_naltrexol"],
    "6beta_naltrexol": ["naloxone", "6beta_naltrexol"],
    "naltrexone": ["naltrexone", "nalmefene"],
    "nalmefene": ["naltrexone", "nalmefene"],
}

# The right answers, as a student would type them (code run in the notebook).
RIGHT = {
    "answer_2_1": "10 / 11",
    "occupied_for_half_2_3": "0.5 / 51",
    "occupied_for_90pct_2_3": "0.9 / 11",
    "dose_ratio_3_1": "1 + 30 / 1.5",
    "ec50_with_naloxone_M": "21 * 1.54e-6 / 6",
    "schild_slope_3_2": "ph.schild_fit(np.array([1, 3, 10, 30]) * 1e-9, [4.1, 11.8, 28.0, 95.0]).slope",
    "pA2_3_2": "ph.schild_fit(np.array([1, 3, 10, 30]) * 1e-9, [4.1, 11.8, 28.0, 95.0]).pA2",
    "closest_candidate_3_2": '"nalmefene"',
    "ki_3_3": "0.5e-9",
    # a student's estimate a little off the truth, and the pair their tissue cannot tell apart
    "pkb_3_5": "-np.log10(P[f'kb_{hidden_antagonist(student_id_3_5)}']) + 0.2",
    "candidates_3_5": "PAIRS[hidden_antagonist(student_id_3_5)]",
}
WRONG = {
    "answer_2_1": "0.1",  # 3/0.3 read as 1/10
    "occupied_for_half_2_3": "0.5",
    "occupied_for_90pct_2_3": "0.9",
    "dose_ratio_3_1": "20",  # forgot the 1 +
    "ec50_with_naloxone_M": "20 * 1.54e-6",
    "schild_slope_3_2": "2.0",
    "pA2_3_2": "7.0",
    "closest_candidate_3_2": '"naloxone"',
    "ki_3_3": "1e-9",
    "pkb_3_5": "-np.log10(P[f'kb_{hidden_antagonist(student_id_3_5)}']) + 1.5",
    "candidates_3_5": '["buprenorphine"]',
}


def _points(lesson: str) -> dict[str, dict[str, float]]:
    """Per question: all points, and the public checks' share (0.5 per answer) from exercises.yml."""
    out = {}
    for q in SPEC[lesson]["questions"]:
        name = "q{}_{}".format(*q["exercise"].split("."))
        public = 0.5 * len(q["answers"])
        hidden = sum(a.get("points", 1) for a in q["answers"].values())
        hidden += sum(h.get("points", 1) for h in q.get("hidden", []))
        out[name] = {"all": public + hidden, "public": public}
    return out


def _student_notebook(built: Path, lesson: str) -> tuple[Path, dict]:
    path = built / "student" / SPEC[lesson]["notebook"]
    return path, json.loads(path.read_text(encoding="utf-8"))


def _fill(nb: dict, student: str, answers: dict[str, str], student_id: str | None = None) -> dict:
    """The notebook with STUDENT and answer lines filled in (as a student edits the cells)."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        src = src.replace('STUDENT = ""', f"STUDENT = {student!r}")
        if student_id is not None:
            src = re.sub(r"^student_id_3_5 = None", f"student_id_3_5 = {student_id!r}", src, flags=re.M)
        for name, code in answers.items():
            if "PAIRS[" in code:
                code = code.replace("PAIRS", repr(PAIRS))
            src = re.sub(rf"^{re.escape(name)} = None", f"{name} = {code}", src, flags=re.M)
        if cell.get("metadata", {}).get(grading_build.WRITTEN_KEY):
            src = src.replace(grading_build.ANSWER_PLACEHOLDER, f"{student}'s own words.")
        cell["source"] = src
    return nb


def _export(nb: dict, folder: Path, name: str, notebook_name: str) -> Path:
    """A zip laid out as otter's grader.export writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(notebook_name, json.dumps(nb))
        zf.writestr("__zip_filename__", name)
    return path


def _rows(result) -> dict[str, dict[str, str]]:
    with (result["dir"] / "grades.csv").open(encoding="utf-8") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="session")
def graded_03(built, tmp_path_factory):
    """Lesson 03: right, wrong, blank, a per-student swap, and every kind of bad zip."""
    subs = tmp_path_factory.mktemp("submissions03")
    nb_name = SPEC["03"]["notebook"]
    _, nb = _student_notebook(built, "03")
    _export(_fill(nb, "Right Rita", RIGHT, ID_A), subs, "rita.zip", nb_name)
    _export(_fill(nb, "Wrong Will", WRONG, ID_A), subs, "will.zip", nb_name)
    _export(_fill(nb, "Blank Bea", {}), subs, "bea.zip", nb_name)
    # Sam copied Rita's answers for the unknown antagonist but typed his own ID.
    _export(
        _fill(nb, "Swapped Sam", {**RIGHT, "candidates_3_5": repr(PAIRS["naloxone"])}, ID_B),
        subs,
        "sam.zip",
        nb_name,
    )
    # Ed made his public checks pass by editing the tests in the notebook's metadata.
    edited = _fill(nb, "Edited Ed", WRONG, ID_A)
    for case in edited["metadata"]["otter"]["tests"]["q3_1"]["suites"][0]["cases"]:
        case["code"] = ">>> assert True\n"
    _export(edited, subs, "ed.zip", nb_name)
    # Bad zips: damaged, truncated, another assignment, no notebook inside.
    (subs / "damaged.zip").write_bytes(b"this is not a zip file at all")
    good = (subs / "rita.zip").read_bytes()
    (subs / "truncated.zip").write_bytes(good[: len(good) // 2])
    _, nb02 = _student_notebook(built, "02")
    _export(_fill(nb02, "Lost Lena", {}), subs, "lena-lesson02.zip", SPEC["02"]["notebook"])
    with zipfile.ZipFile(subs / "empty.zip", "w") as zf:
        zf.writestr("notes.txt", "forgot the notebook")
    out = tmp_path_factory.mktemp("grades")
    return grading_grade.grade(subs, built, out, assignment="03")


def test_right_answers_get_full_marks_wrong_ones_only_the_public_checks(graded_03):
    rows, points = _rows(graded_03), _points("03")
    for student in ("Right Rita",):
        for q, p in points.items():
            assert float(rows[student][q]) == pytest.approx(p["all"]), (student, q, rows[student])
        assert float(rows[student]["total"]) == pytest.approx(sum(p["all"] for p in points.values()))
    for q, p in points.items():
        # filled in, so the public checks pass; every value is wrong, so no hidden point
        assert float(rows["Wrong Will"][q]) == pytest.approx(p["public"]), (q, rows["Wrong Will"])
        assert float(rows["Blank Bea"][q]) == 0, (q, rows["Blank Bea"])


def test_partial_credit_within_a_question(graded_03):
    """Will filled in every answer, wrongly: he keeps the public checks' points, not the rest."""
    rows = _rows(graded_03)
    assert 0 < float(rows["Wrong Will"]["q3_1"]) < float(rows["Right Rita"]["q3_1"])


def test_per_student_answer_is_recomputed_from_the_students_own_id(graded_03):
    rows, points = _rows(graded_03), _points("03")
    # Sam typed his own ID (another antagonist than Rita's): his pK_B is right for his own tissue,
    # but the candidates he copied from Rita are not; he loses the candidate points only (the
    # value test and the extra hidden test of exercise 3.5, 1 point each).
    assert float(rows["Swapped Sam"]["q3_5"]) == pytest.approx(points["q3_5"]["all"] - 2), rows["Swapped Sam"]
    assert float(rows["Right Rita"]["q3_5"]) == pytest.approx(points["q3_5"]["all"])
    # and Rita's pK_B, right for her ID, is wrong for Sam's: the two antagonists differ by > 0.5 log units
    from widgets.pharmacology import bath_parameters, hidden_antagonist

    p = bath_parameters()
    a, b = (p[f"kb_{hidden_antagonist(i)}"] for i in (ID_A, ID_B))
    assert abs(np.log10(a / b)) > 0.5


def test_bad_submissions_are_reported_by_name_and_the_rest_are_graded(graded_03):
    report = graded_03["report"]
    reported = {s.path.name: " ".join(s.problems) for s in graded_03["reported"]}
    assert set(reported) == {"damaged.zip", "truncated.zip", "lena-lesson02.zip", "empty.zip"}, reported
    assert "not a readable zip" in reported["damaged.zip"]
    assert "another assignment (opioid-lessons-02)" in reported["lena-lesson02.zip"]
    assert "0 notebooks" in reported["empty.zip"]
    for name in reported:
        assert name in report
    assert "Traceback" not in report
    # Ed is graded with the instructor's tests (his edit does not help) and named for a look.
    rows = _rows(graded_03)
    assert float(rows["Edited Ed"]["q3_1"]) == pytest.approx(float(rows["Wrong Will"]["q3_1"]))
    assert re.search(r"ed\.zip \(Edited Ed\): the public tests of q3_1 were edited", report), report
    assert len(rows) == 5


def test_feedback_page_per_student_and_written_answers_beside_the_model(graded_03, built):
    feedback = graded_03["dir"] / "feedback"
    assert sorted(p.stem for p in feedback.glob("*.html")) == sorted(
        ["Right_Rita", "Wrong_Will", "Blank_Bea", "Swapped_Sam", "Edited_Ed"]
    )
    will = html.unescape((feedback / "Wrong_Will.html").read_text(encoding="utf-8"))
    hint = SPEC["03"]["questions"][0]["answers"]["dose_ratio_3_1"]["hint"]
    assert hint.split(":")[0] in will, "a lost point must come with its reason"
    assert "Wrong Will's own words." in will
    lesson = json.loads((ROOT / "lessons" / SPEC["03"]["notebook"]).read_text(encoding="utf-8"))
    model = next(
        "".join(c["source"])
        for c in lesson["cells"]
        if "solution" in c["metadata"].get("tags", []) and c["cell_type"] == "markdown"
    )
    first_words = re.sub(r"<summary>.*?</summary>|<[^>]+>|\*\*", "", model).split()[:6]
    written = html.unescape((graded_03["dir"] / "written.html").read_text(encoding="utf-8"))
    assert " ".join(first_words) in re.sub(r"<[^>]+>|\*\*", "", written)
    assert written.count("own words.") == 5


def _solution_lines(lesson: dict) -> list[str]:
    """Distinctive lines of the lesson's solutions (code and Markdown) that nothing else has."""
    others = "\n".join(
        "".join(c["source"]) for c in lesson["cells"] if "solution" not in c["metadata"].get("tags", [])
    )
    lines = []
    for cell in lesson["cells"]:
        if "solution" not in cell["metadata"].get("tags", []):
            continue
        for line in "".join(cell["source"]).splitlines():
            line = line.strip()
            if len(line) > 25 and not line.startswith(("<", "from ", "import ")) and line not in others:
                lines.append(line)
    return lines


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_notebooks_hold_no_solution_and_no_hidden_test(built, lesson):
    path, nb = _student_notebook(built, lesson)
    text = path.read_text(encoding="utf-8")
    source = json.loads(text)
    lesson_nb = json.loads((ROOT / "lessons" / SPEC[lesson]["notebook"]).read_text(encoding="utf-8"))
    solution_lines = _solution_lines(lesson_nb)
    assert len(solution_lines) > 10
    leaked = [line for line in solution_lines if line in text or json.dumps(line)[1:-1] in text]
    assert not leaked, f"solution lines in the student notebook: {leaked[:3]}"
    assert not [c for c in source["cells"] if "solution" in c["metadata"].get("tags", [])]
    # Every hidden test case of the grading bundle: none of its code is in the student notebook.
    grading = built / "grading" / Path(SPEC[lesson]["notebook"]).stem
    hidden = []
    with zipfile.ZipFile(grading / "autograder.zip") as zf:
        for name in zf.namelist():
            if name.startswith("tests/") and name.endswith(".py"):
                spec = {}
                exec(zf.read(name).decode(), spec)
                hidden += [c["code"] for s in spec["test"]["suites"] for c in s["cases"] if c["hidden"]]
    assert len(hidden) >= len(SPEC[lesson]["questions"])
    for code in hidden:
        for line in code.splitlines():
            if "expected_values" in line or "evaluate(" in line:
                assert line.strip(">. ") not in text
    cases = [c for t in nb["metadata"]["otter"]["tests"].values() for s in t["suites"] for c in s["cases"]]
    assert cases and not [c for c in cases if c["hidden"]], "a hidden test is in the notebook's metadata"
    for marker in (
        "BEGIN SOLUTION",
        "BEGIN TESTS",
        "expected_values",
        "evaluate(",
        "hidden_antagonist(student",
    ):
        assert marker not in text, marker


def test_the_student_folder_holds_only_the_notebooks(built):
    assert sorted(p.name for p in (built / "student").iterdir()) == sorted(
        SPEC[k]["notebook"] for k in LESSONS
    )


def test_a_spec_naming_a_missing_exercise_is_a_clear_error():
    entry = {"notebook": SPEC["02"]["notebook"], "questions": [{"exercise": "2.9", "answers": {"x": {}}}]}
    with pytest.raises(grading_build.BuildError, match="exercise 2.9: found 0 Markdown cells"):
        grading_build.master_notebook("02", entry)


def test_make_grade_without_a_folder_says_how_to_call_it():
    import subprocess

    done = subprocess.run(["make", "-s", "grade"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "usage: make grade SUBMISSIONS=DIR" in done.stdout + done.stderr


def test_grade_on_a_folder_with_no_zips_is_one_clear_line(built, tmp_path, capsys):
    with pytest.raises(SystemExit, match="no .zip files in"):
        grading_grade.grade(tmp_path, built, tmp_path / "out")
