"""`make assignments` and `make grade` (classroom/grading/): built from the lessons, graded locally.

Every lesson in exercises.yml is built once per test session (conftest's ``built``). Each lesson gets
one all-right and one all-wrong submission, graded with one `make grade` per lesson; lesson 03 (the
per-student unknown antagonist) also gets a blank one, a per-student swap and every kind of bad zip.
Submissions are written here as a student's notebook would be: the handed-out notebook with answer
cells filled in, zipped as ``grader.export`` zips it. The answer key below is this test's own
(worked out by hand or with the science API here), not the graders' solutions; the marks expected
are counted from exercises.yml's points. The hub test (test_hub_grading.py) exports for real.
"""

from __future__ import annotations

import csv
import html
import json
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from classroom.grading import build as grading_build
from classroom.grading import grade as grading_grade

ROOT = Path(__file__).resolve().parents[1]
SPEC = yaml.safe_load((ROOT / "classroom" / "grading" / "exercises.yml").read_text(encoding="utf-8"))
LESSONS = sorted(SPEC)

# Two students whose unknown antagonists belong to different pairs (naloxone/6β-naltrexol and
# naltrexone/nalmefene), so one student's answer is wrong for the other.
ID_A, ID_B = "student 0", "student 3"
PAIRS = {
    "naloxone": ["naloxone", "6beta_naltrexol"],
    "6beta_naltrexol": ["naloxone", "6beta_naltrexol"],
    "naltrexone": ["naltrexone", "nalmefene"],
    "nalmefene": ["naltrexone", "nalmefene"],
}

# The right answers, as a student would type them (code run in the notebook); those of the other
# lessons are worked out with the science API in _right_answers.
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
# Wrong answers of the right kind: the slips students make (units, a forgotten "1 +", a log base).
WRONG = {
    "answer_1_1": '{"MOR": 1.0, "KOR": 1.0, "DOR": 1.0}',  # Ki taken in molar against 5 nM
    "dose_ratio_1_3": "1 + 10e-9 / 0.22",  # [B] in molar, K_B in nM
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
    "plasma_below_1pct_h": "0.95",  # in days, not hours
    "mor_below_half_h": "1.7",
    "lowest_daily_4_3": "0.0",  # the minimum over both weeks (before the first dose)
    "lowest_every_other_day_4_3": "0.0",
    "prediction_5_1": '"about the same"',
    "fraction_removed_5_1": "0.82",  # the occupancy, the misconception the exercise is about
    "morphine_nM_5_2": "10 / 0.2236",  # forgot the 1 +
    "arr_mcpheeters": "0.18",
    "nnt_jonas_any": "-20.0",  # 1 / RD with its sign
    "weeks_to_halfway_6_2": "6.58",  # drinking occasions, not weeks
    "before_7_1": "0.1",  # the free share
    "after_7_1": "9 / 19",  # forgot the 1
    "half_lives_7_2": "4.6",  # natural log instead of log2
    "days_7_2": "4.6",
    "occupancy_8_1": "0.1006",  # the free fraction
    "dose_ratio_8_1": "8.94",  # forgot the 1 +
    "accepted_8_2": '["0.45", "45 %"]',  # the fraction is not marked at all
}
# Set by the student's ID (_fill's student_id), not typed as an answer.
FROM_THE_ID = {"student_id_3_5"}


def _right_answers() -> dict[str, str]:
    """RIGHT plus the answers of lessons 01 and 04-08, worked out here by hand or with the
    science API (each a literal the student would type after calculating it)."""
    from widgets import RewardCircuit
    from widgets import pharmacology as ph
    from widgets.data_access.affinities import representative_ki_nM

    ki = {r: representative_ki_nM("naltrexone", r) for r in ("MOR", "KOR", "DOR")}
    one_tablet = ph.simulate_naltrexone(50, t_end_h=24 * 14)
    t, plasma, mor = (one_tablet[c].to_numpy() for c in ("time_h", "naltrexone_ng_ml", "mor_occupancy"))
    peak = int(plasma.argmax())

    def first_after_peak(below):
        return float(t[peak:][below[peak:]][0])

    def lowest_in_week_2(dose_times_h):
        run = ph.naltrexone_profile(dose_times_h, 50.0, t_end_h=14 * 24)
        return float(run.mor_occupancy[run.time_h >= 7 * 24].min())

    def dopamine_rise(naltrexone_nM):
        return float(RewardCircuit.simulate(0, 0.8, naltrexone_nM).nac_dopamine_pct.max()) - 100

    kb_circuit = RewardCircuit.affinities()["naltrexone_ki_mor_nM"]
    values = {
        "answer_1_1": {r: 5.0 / (5.0 + ki[r]) for r in ki},
        "dose_ratio_1_3": 1 + 10 / ki["MOR"],
        "plasma_below_1pct_h": first_after_peak(plasma < 0.01 * plasma[peak]),
        "mor_below_half_h": first_after_peak(mor < 0.5),
        "lowest_daily_4_3": lowest_in_week_2(np.arange(14) * 24.0),
        "lowest_every_other_day_4_3": lowest_in_week_2(np.arange(7) * 48.0),
        "fraction_removed_5_1": 1 - dopamine_rise(1.0) / dopamine_rise(0.0),
        "morphine_nM_5_2": 10 * (1 + 1 / kb_circuit),
        "arr_mcpheeters": 1 / 18,
        "nnt_jonas_any": 1 / 0.05,
        "weeks_to_halfway_6_2": math.log(2) / (-4 * math.log(1 - 0.1)),  # (1 - αβ)^(4w) = 1/2
        "before_7_1": 9 / (1 + 9),
        "after_7_1": 9 / (1 + 9 + 10),
        "half_lives_7_2": math.log2(100),  # (1/2)^n = 1/100
        "days_7_2": math.log2(100),  # at 24 h per half-life
        "occupancy_8_1": 2 / (2 + ki["MOR"]),
        "dose_ratio_8_1": 1 + 2 / ki["MOR"],
    }
    typed = {name: repr(value) for name, value in values.items()}
    # texts by hand: the model's rise falls by less than the occupancy; the quiz takes 45 ± 1
    # percentage points with or without the unit, and a fraction for a percentage is not marked
    typed.update(prediction_5_1='"less"', accepted_8_2='["45 %"]')
    return {**RIGHT, **typed}


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
        exercise = cell.get("metadata", {}).get(grading_build.WRITTEN_KEY)
        if exercise:
            src = src.replace(grading_build.ANSWER_PLACEHOLDER, f"{student}'s own words on {exercise}.")
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


BATCH = [k for k in LESSONS if k != "03"]  # lesson 03's right and wrong ones are in graded_03


@pytest.fixture(scope="session")
def graded_lessons(built, tmp_path_factory) -> dict[str, dict]:
    """Every other lesson: one all-right and one all-wrong submission, one `make grade` each."""
    right, out = _right_answers(), tmp_path_factory.mktemp("grades-lessons")
    results = {}
    for lesson in BATCH:
        subs = tmp_path_factory.mktemp(f"submissions{lesson}")
        _, nb = _student_notebook(built, lesson)
        for student, answers in (("Right Rita", right), ("Wrong Will", WRONG)):
            _export(
                _fill(nb, student, answers),
                subs,
                f"{student.split()[1].lower()}.zip",
                SPEC[lesson]["notebook"],
            )
        results[lesson] = grading_grade.grade(subs, built, out, assignment=lesson)
    return results


def _assert_right_full_and_wrong_public_only(rows: dict, lesson: str) -> None:
    """Rita: every point of every question. Will: filled in every answer with a value of the right
    kind, all wrong, so he keeps the public checks' points and loses every hidden one."""
    points = _points(lesson)
    for q, p in points.items():
        assert float(rows["Right Rita"][q]) == pytest.approx(p["all"]), (lesson, q, rows["Right Rita"])
        assert float(rows["Wrong Will"][q]) == pytest.approx(p["public"]), (lesson, q, rows["Wrong Will"])
        assert 0 < p["public"] < p["all"]  # so Will's marks are partial, not full
    assert float(rows["Right Rita"]["total"]) == pytest.approx(sum(p["all"] for p in points.values()))


def test_right_answers_get_full_marks_wrong_ones_only_the_public_checks(graded_03):
    rows, points = _rows(graded_03), _points("03")
    _assert_right_full_and_wrong_public_only(rows, "03")
    for q in points:
        assert float(rows["Blank Bea"][q]) == 0, (q, rows["Blank Bea"])


@pytest.mark.parametrize("lesson", BATCH)
def test_every_lesson_right_submission_full_marks_wrong_one_partial(graded_lessons, lesson):
    result = graded_lessons[lesson]
    assert not result["reported"], result["report"]
    rows = _rows(result)
    assert set(rows) == {"Right Rita", "Wrong Will"}
    _assert_right_full_and_wrong_public_only(rows, lesson)


def test_every_autograded_answer_has_a_right_and_a_wrong_submission():
    answers = {name for entry in SPEC.values() for q in entry["questions"] for name in q["answers"]}
    right = set(_right_answers())
    assert answers - FROM_THE_ID <= right & set(WRONG), sorted((answers - FROM_THE_ID) - (right & set(WRONG)))


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
    assert "Wrong Will's own words on 3.4." in will
    written = html.unescape((graded_03["dir"] / "written.html").read_text(encoding="utf-8"))
    sections = {
        m.group(1): m.group(2)
        for m in re.finditer(r"<h2>Exercise (\d\.\d)</h2>(.*?)(?=<h2>|$)", written, re.S)
    }
    # the written exercises, and the parts in words of graded ones (3.2, 3.5), each with every
    # student's answer beside the model answer
    assert sorted(sections) == ["3.2", "3.4", "3.5"]
    lesson = json.loads((ROOT / "lessons" / SPEC["03"]["notebook"]).read_text(encoding="utf-8"))
    solutions = [c for c in lesson["cells"] if "solution" in c["metadata"].get("tags", [])]
    model_34 = next("".join(c["source"]) for c in solutions if c["cell_type"] == "markdown")
    model_35 = next(
        "".join(c["source"]) for c in solutions if "".join(c["source"]).startswith("# Solution 3.5")
    )
    first_words = re.sub(r"<summary>.*?</summary>|<[^>]+>|\*\*", "", model_34).split()[:6]
    assert " ".join(first_words) in re.sub(r"<[^>]+>|\*\*", "", sections["3.4"])
    assert model_35.splitlines()[1] in sections["3.5"]  # the worked solution's first comment
    for exercise, section in sections.items():
        assert section.count(f"own words on {exercise}.") == 5, exercise
        assert "Model answer" in section


def test_a_graded_exercise_with_a_part_in_words_gets_an_answer_cell_after_its_check(built):
    _, nb = _student_notebook(built, "03")
    sources = ["".join(c["source"]) for c in nb["cells"]]
    check = sources.index(grading_build._check_cell_source("q3_5"))
    after = nb["cells"][check + 1]
    assert after["cell_type"] == "markdown" and after["metadata"].get(grading_build.WRITTEN_KEY) == "3.5"
    assert grading_build.ANSWER_PLACEHOLDER in sources[check + 1]


def _solution_lines(lesson_key: str) -> list[str]:
    """Distinctive lines of a lesson's solutions (code and Markdown) that nothing else in it has, and
    the lines exercises.yml adds to them (expected values, the instructor's per-student answers)."""
    lesson = json.loads((ROOT / "lessons" / SPEC[lesson_key]["notebook"]).read_text(encoding="utf-8"))
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
    for q in SPEC[lesson_key]["questions"]:
        lines += [f"{name} = {a['expected']}" for name, a in q["answers"].items() if "expected" in a]
        lines += q.get("instructor_answer", "").splitlines()
    return lines


def _strings(node) -> list[str]:
    """Every string in a notebook's JSON (cell sources, outputs, metadata), decoded."""
    if isinstance(node, str):
        return [node]
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return [s for v in values for s in _strings(v)]


MARKERS = ("BEGIN SOLUTION", "BEGIN TESTS", "TEST CONFIG", "expected_values(", "close_to(", "evaluate(")


def test_nothing_handed_to_students_holds_a_solution_or_a_hidden_test(built, hidden_tests):
    """The whole student folder: the notebooks and nothing else, none holding a line of its
    lesson's solutions, a hidden test's code or message, or otter's markers."""
    files = sorted(p for p in (built / "student").rglob("*") if p.is_file())
    lessons = {SPEC[k]["notebook"]: k for k in LESSONS}
    assert sorted(p.name for p in files) == sorted(lessons), "the student folder holds other files"
    for path in files:
        lesson = lessons[path.name]
        nb = json.loads(path.read_text(encoding="utf-8"))
        seen = "\n".join(_strings(nb))
        solution_lines = _solution_lines(lesson)
        assert len(solution_lines) >= 5, lesson
        hidden = hidden_tests[lesson]
        assert len(hidden["messages"]) >= len(SPEC[lesson]["questions"]), lesson
        for what, needles in (
            ("solution lines", solution_lines),
            ("hidden test code", hidden["code"]),
            ("hidden test messages", hidden["messages"]),
            ("markers", [*MARKERS, "hidden_antagonist(student"]),
        ):
            leaked = [n for n in needles if n in seen]
            assert not leaked, f"{path.name}: {what} handed to students: {leaked[:3]}"
        assert not [c for c in nb["cells"] if "solution" in c["metadata"].get("tags", [])]
        cases = [
            c for t in nb["metadata"]["otter"]["tests"].values() for s in t["suites"] for c in s["cases"]
        ]
        assert cases and not [c for c in cases if c["hidden"]], f"{path.name}: a hidden test in its metadata"


def test_feedback_pages_show_results_but_no_hidden_test_code(
    graded_03, graded_lessons, hidden_tests, page_text
):
    """A student's page gives the reason for each lost point (the hidden test's message, on
    purpose) and the model answers, never the test's code."""
    for lesson, result in {"03": graded_03, **graded_lessons}.items():
        pages = sorted((result["dir"] / "feedback").glob("*.html"))
        assert pages, lesson
        for page in pages:
            seen = page_text(page)
            leaked = [line for line in [*hidden_tests[lesson]["code"], *MARKERS] if line in seen]
            assert not leaked, f"{lesson} {page.name}: hidden test code {leaked[:3]}"


def test_an_exercise_cell_that_raised_is_reported_as_an_error_not_as_blank(tmp_path):
    """A trial found Eve's NameError in exercise 2.1 reported as "not filled in". Lesson 02 alone
    is built here (about 10 s) and Eve's zip graded by otter for real (about 15-30 s)."""
    built = tmp_path / "built"
    grading_build.build(["02"], built)
    _, nb = _student_notebook(built, "02")
    eve = _fill(nb, "Error Eve", {"answer_2_1": "10 / (10 + k_d_typo)", "occupied_for_half_2_3": "0.5 / 0"})
    _export(eve, tmp_path / "subs", "eve.zip", SPEC["02"]["notebook"])
    result = grading_grade.grade(tmp_path / "subs", built, tmp_path / "grades")
    (sub,) = result["graded"]
    assert sub.scores == {"q2_1": 0.0, "q2_3": 0.0}, sub.scores
    report = result["report"]
    assert "exercise 2.1 (q2_1) raised an error, it was not left blank: NameError: name 'k_d_typo'" in report
    assert (
        "exercise 2.3 (q2_3) raised an error, it was not left blank: ZeroDivisionError: float division"
        in report
    )
    page = (result["dir"] / "feedback" / "Error_Eve.html").read_text(encoding="utf-8")
    assert "raised NameError: name &#x27;k_d_typo&#x27; is not defined" in page, page


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


def test_a_students_check_names_an_error_as_a_reason_an_answer_is_missing(built):
    """A trial: after an exercise cell raised, Check said only "not filled in yet". Every public
    check that says so also says the cell may have stopped with an error, and what to do."""
    said = []
    for path in sorted((built / "student").rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for test in nb["metadata"]["otter"]["tests"].values():
            said += [c["failure_message"] for s in test["suites"] for c in s["cases"] if not c["hidden"]]
    missing = [m for m in said if "not filled in yet" in m]
    assert missing, "no public check says an answer is missing"
    assert all("stopped with an error" in m and "run that cell again" in m for m in missing)
