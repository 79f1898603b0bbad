"""`make assignments`: otter-grader assignments built from the lessons as they are.

The lessons are the single source. For each lesson listed in ``exercises.yml`` this writes an
otter-assign "master" notebook (the lesson, its graded exercises turned into otter questions whose
hidden tests recompute the right answer by running the lesson's own solution in a copy of the
student's namespace), runs ``otter assign`` on it, and lays the result out as::

    OUT/student/NN_name.ipynb          hand these out (nbgitpuller, LMS, shared folder): public
                                       checks, Check buttons, answer cells; no solution, no hidden test
    OUT/grading/NN_name/autograder.zip otter's grading bundle (hidden tests, partial credit)
    OUT/grading/NN_name/assignment.json questions and points, the public tests as handed out (to spot
                                       an edited test), written exercises with their model answers
    OUT/grading/NN_name/solution.ipynb the notebook with solutions (otter's own, for the instructor)

Usage: ``python -m classroom.grading.build [--lessons 02 03] [--out build/assignments]``.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
LESSONS = REPO / "lessons"
SPEC = HERE / "exercises.yml"
DEFAULT_OUT = REPO / "build" / "assignments"
ASSIGNMENT_PREFIX = "opioid-lessons-"
PUBLIC_POINTS = 0.5
WRITTEN_KEY = "opioid_written"
ANSWER_PLACEHOLDER = "*Type your answer here, replacing this sentence.*"


class BuildError(RuntimeError):
    """A lesson and exercises.yml do not fit together (named in the message)."""


def load_spec(path: Path = SPEC) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def assignment_name(lesson_key: str) -> str:
    return f"{ASSIGNMENT_PREFIX}{lesson_key}"


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _cell(kind: str, source: str, metadata: dict | None = None) -> dict:
    cell = {"cell_type": kind, "metadata": metadata or {}, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def question_name(exercise: str) -> str:
    major, minor = exercise.split(".")
    return f"q{int(major)}_{int(minor)}"


def _heading_re(exercise: str) -> re.Pattern:
    return re.compile(rf"^#+\s*Exercise {re.escape(exercise)}\b", re.M)


def find_exercise(cells: list[dict], exercise: str) -> dict:
    """Indices of an exercise's prompt (Markdown), its code cell (if any) and its code solution."""
    heading = _heading_re(exercise)
    prompt = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and heading.search(_src(c))]
    if len(prompt) != 1:
        raise BuildError(
            f"exercise {exercise}: found {len(prompt)} Markdown cells headed 'Exercise {exercise}'"
        )
    code = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code"
        and "exercise" in _tags(c)
        and re.match(rf"#\s*Exercise {re.escape(exercise)}\b", _src(c).lstrip())
    ]
    solution = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code"
        and "solution" in _tags(c)
        and re.match(rf"#\s*Solution {re.escape(exercise)}\s*$", _src(c).splitlines()[0] if _src(c) else "")
    ]
    if len(solution) > 1:
        raise BuildError(f"exercise {exercise}: {len(solution)} code cells start '# Solution {exercise}'")
    return {"prompt": prompt[0], "code": code, "solution": solution[0] if solution else None}


def _details_text(markdown: str) -> str:
    """A solution's ``<details>`` block as plain Markdown (the model answer)."""
    text = re.sub(r"</?details>|<summary>.*?</summary>", "", markdown, flags=re.S)
    return text.strip()


def written_exercises(cells: list[dict], questions: list[dict] = ()) -> list[dict]:
    """Exercises (or parts of exercises) answered in words: where the answer cell goes and the model
    answer. Every Markdown exercise followed by a Markdown ``<details>`` solution counts, a graded one
    too (its solution then explains the part in words); so does a graded exercise whose entry in
    exercises.yml says ``written: true``, with the lesson's solution code as its model answer."""
    number = re.compile(r"^#+\s*Exercise (\d+\.\d+)", re.M)
    found: dict[str, tuple[int, str]] = {}
    current = None
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        if cell["cell_type"] == "markdown" and "exercise" in tags:
            m = number.search(_src(cell))
            current = (i, m.group(1)) if m else current
        elif cell["cell_type"] == "markdown" and "solution" in tags and current:
            found.setdefault(current[1], (current[0], _details_text(_src(cell))))
    for q in questions:
        if q.get("written") and q["exercise"] not in found:
            located = find_exercise(cells, q["exercise"])
            if located["solution"] is None:
                raise BuildError(f"exercise {q['exercise']}: written: true, but the lesson has no solution")
            code = _src(cells[located["solution"]]).strip()
            found[q["exercise"]] = (
                located["prompt"],
                f"The lesson's worked solution:\n\n```python\n{code}\n```",
            )
    written = []
    for exercise, (index, model_answer) in sorted(found.items(), key=lambda item: item[1][0]):
        prompt = _src(cells[index])
        written.append(
            {
                "exercise": exercise,
                "prompt_index": index,
                "prompt": prompt[number.search(prompt).start() :].strip(),
                "model_answer": model_answer,
            }
        )
    return written


def _test_config(points: float, hidden: bool, message: str) -> str:
    config = {"hidden": hidden, "points": points, "failure_message": message}
    return (
        '""" # BEGIN TEST CONFIG\n'
        + yaml.safe_dump(config, allow_unicode=True, width=10**6)
        + '""" # END TEST CONFIG\n'
    )


def question_cells(lesson_cells: list[dict], found: dict, question: dict) -> tuple[list[dict], dict]:
    """The otter question block for one exercise, and its summary for assignment.json."""
    exercise = question["exercise"]
    name = question_name(exercise)
    answers: dict = question.get("answers") or {}
    if not answers:
        raise BuildError(f"exercise {exercise}: no answers listed in exercises.yml")
    if "answer_cell" in question:
        prompt_code = question["answer_cell"].rstrip("\n")
    elif found["code"]:
        prompt_code = "\n\n".join(_src(lesson_cells[i]).rstrip("\n") for i in found["code"])
    else:
        raise BuildError(f"exercise {exercise}: the lesson has no exercise code cell; give an answer_cell")
    for var in answers:
        if not re.search(rf"^{re.escape(var)}\s*=", prompt_code, re.M):
            raise BuildError(f"exercise {exercise}: the answer cell does not assign {var}")
    if '"""' in prompt_code:
        raise BuildError(f"exercise {exercise}: the answer cell may not contain triple quotes")

    no_solution = bool(question.get("no_solution"))
    if no_solution:
        solution_src = ""
    else:
        if found["solution"] is None:
            raise BuildError(f"exercise {exercise}: no code cell starts '# Solution {exercise}'")
        solution_src = _src(lesson_cells[found["solution"]]).rstrip("\n")
        extra = [f"{var} = {spec['expected']}" for var, spec in answers.items() if "expected" in spec]
        if extra:
            solution_src += "\n" + "\n".join(extra)

    # The student's cell is the prompt block; the solution version runs the solution instead.
    solution_cell = '""" # BEGIN PROMPT\n' + prompt_code + '\n""" # END PROMPT\n'
    if solution_src:
        solution_cell += "# BEGIN SOLUTION NO PROMPT\n" + solution_src + "\n# END SOLUTION\n"
    else:  # a per-student answer: the solution version answers as an instructor would
        solution_cell += (
            "# BEGIN SOLUTION NO PROMPT\n" + question["instructor_answer"].rstrip("\n") + "\n# END SOLUTION\n"
        )

    tests, points = [], {"public": 0.0, "hidden": 0.0}
    for var, spec in answers.items():
        kind = spec.get("kind", "number")
        tests.append(
            _cell(
                "code",
                _test_config(
                    PUBLIC_POINTS,
                    False,
                    f"Set {var} to {spec['describe']}: it is not filled in yet, not of that kind, or the cell"
                    " that sets it stopped with an error (run that cell again and read its error).",
                )
                + "from widgets.classroom_tools.answer_check import is_kind\n"
                + f"assert is_kind({var}, {kind!r})\n",
            )
        )
        points["public"] += PUBLIC_POINTS
        value_points = spec.get("points", 1)
        if not value_points:
            continue
        rel, abs_tol = spec.get("tol", 1e-6 if "abs_tol" not in spec else 0.0), spec.get("abs_tol", 0.0)
        if no_solution:
            expected = f"evaluate({name!r}, '', globals(), {spec['expected']!r}, {list(answers)!r})"
            imports = "from widgets.classroom_tools.answer_check import close_to, evaluate\n"
        else:
            expected = f"expected_values({name!r}, {solution_src!r}, globals(), {list(answers)!r})[{var!r}]"
            imports = "from widgets.classroom_tools.answer_check import close_to, expected_values\n"
        tests.append(
            _cell(
                "code",
                _test_config(value_points, True, spec["hint"])
                + imports
                + f"assert close_to({var}, {expected}, rel={rel!r}, abs_tol={abs_tol!r})\n",
            )
        )
        points["hidden"] += value_points
    for extra in question.get("hidden", []):
        tests.append(
            _cell(
                "code",
                _test_config(extra.get("points", 1), True, extra["message"])
                + "from widgets.classroom_tools.answer_check import evaluate\n"
                + f"assert evaluate({name!r}, {solution_src!r}, globals(), {extra['test']!r}, {list(answers)!r})\n",
            )
        )
        points["hidden"] += extra.get("points", 1)

    prompt = copy.deepcopy(lesson_cells[found["prompt"]])
    block = [
        _cell("raw", f"# BEGIN QUESTION\nname: {name}"),
        prompt,
        _cell("raw", "# BEGIN SOLUTION"),
        _cell("code", solution_cell),
        _cell("raw", "# END SOLUTION"),
        _cell("raw", "# BEGIN TESTS"),
        *tests,
        _cell("raw", "# END TESTS"),
        _cell("raw", "# END QUESTION"),
    ]
    summary = {
        "name": name,
        "exercise": exercise,
        "answers": list(answers),
        "points": points["public"] + points["hidden"],
        "public_points": points["public"],
        "hidden_points": points["hidden"],
    }
    return block, summary


STUDENT_CELL = """\
# Your name or student ID, as your instructor asked (it is how your grade reaches you):
STUDENT = ""

from widgets.classroom_tools.answer_check import AnswerChecks

checks = AnswerChecks(grader)  # the Check buttons below each exercise
"""


def master_notebook(lesson_key: str, entry: dict, verify: bool = False) -> tuple[dict, dict]:
    """The otter-assign notebook for one lesson, and the assignment summary."""
    path = LESSONS / entry["notebook"]
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    questions = entry["questions"]
    located = {q["exercise"]: find_exercise(cells, q["exercise"]) for q in questions}
    written = written_exercises(cells, questions)

    blocks_at = {located[q["exercise"]]["prompt"]: q for q in questions}
    replaced = {i for f in located.values() for i in f["code"]}
    written_at = {w["prompt_index"]: w for w in written}

    out = [
        _cell(
            "raw",
            "# ASSIGNMENT CONFIG\n"
            + yaml.safe_dump(
                {
                    "name": assignment_name(lesson_key),
                    "requirements": None,
                    "run_tests": verify,
                    "init_cell": True,
                    "check_all_cell": False,
                    "export_cell": {
                        "pdf": False,
                        "run_tests": False,
                        "force_save": False,
                        "instructions": (
                            "Save the notebook first (**Ctrl+S**), then run this cell: it writes a zip "
                            "of your notebook beside it. Hand that zip in as your instructor asked "
                            "(download it with the link below, or right-click it in the file browser "
                            "and choose Download)."
                        ),
                    },
                    "generate": {"pdf": False, "show_stdout": False, "show_hidden": False},
                    "tests": {"files": False, "ok_format": True},
                    "save_environment": False,
                },
                sort_keys=False,
                width=10**6,
            ),
        )
    ]
    summaries = []
    for i, cell in enumerate(cells):
        if "solution" in _tags(cell) or i in replaced:
            continue
        if i in blocks_at:  # a graded exercise; a part in words is answered after its Check button
            block, summary = question_cells(cells, located[blocks_at[i]["exercise"]], blocks_at[i])
            out.extend(block)
            summaries.append(summary)
        else:
            out.append(copy.deepcopy(cell))
        if i == 0:
            out.append(_cell("code", STUDENT_CELL))
        if i in written_at:
            w = written_at[i]
            part = " (in words)" if i in blocks_at else ""
            out.append(
                _cell(
                    "markdown",
                    f"**Your answer to exercise {w['exercise']}{part}:**\n\n{ANSWER_PLACEHOLDER}",
                    {WRITTEN_KEY: w["exercise"]},
                )
            )
    master = copy.deepcopy(nb)
    master["cells"] = out
    summary = {
        "assignment": assignment_name(lesson_key),
        "lesson": lesson_key,
        "notebook": entry["notebook"],
        "questions": summaries,
        "points_possible": sum(q["points"] for q in summaries),
        "written": [{k: w[k] for k in ("exercise", "prompt", "model_answer")} for w in written],
    }
    return master, summary


EXPORT_REMINDER = (
    "This zip holds your notebook as it was last saved: if you changed anything since you saved, "
    "save it (Ctrl+S) and run this cell again."
)


def _check_cell_source(name: str) -> str:
    return f'checks.button("{name}")'


def finish_student_notebook(path: Path, language_info: dict | None = None) -> dict:
    """otter's ``grader.check("qN_M")`` cells become Check buttons; the export cell also says the
    zip holds the notebook as last saved; no outputs; saved in the form
    JupyterLab saves (as the lessons are), so opening it does not mark it modified."""
    from widgets.classroom_tools.notebook_format import dumps, normalize

    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        m = re.fullmatch(r'\s*grader\.check\("(q\d+_\d+)"\)\s*', _src(cell))
        if m:
            cell["source"] = _check_cell_source(m.group(1))
        elif "grader.export(" in _src(cell) and EXPORT_REMINDER not in _src(cell):
            # otter's message ("Your submission has been exported...") does not say the zip holds
            # the notebook as last saved, not as on screen
            cell["source"] = _src(cell).rstrip("\n") + f"\nprint({EXPORT_REMINDER!r})"
        cell["outputs"], cell["execution_count"] = [], None
    if language_info:
        nb = normalize(nb, language_info)
    path.write_text(dumps(nb), encoding="utf-8")
    return nb


def public_tests(nb: dict) -> dict:
    """The public tests a student notebook carries (otter keeps them in the notebook's metadata)."""
    return nb.get("metadata", {}).get("otter", {}).get("tests", {})


def tests_fingerprint(tests: dict) -> dict[str, str]:
    return {
        name: hashlib.sha256(json.dumps(test, sort_keys=True).encode()).hexdigest()
        for name, test in sorted(tests.items())
    }


def build_lesson(lesson_key: str, entry: dict, out: Path, otter: Path, verify: bool = False) -> dict:
    stem = Path(entry["notebook"]).stem
    master, summary = master_notebook(lesson_key, entry, verify)
    work = out / "work" / stem
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    master_path = work / entry["notebook"]
    master_path.write_text(json.dumps(master, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    result = work / "result"
    proc = subprocess.run(
        [str(otter), "assign", "--no-pdfs", str(master_path), str(result)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode:
        raise BuildError(
            f"otter assign failed for lesson {lesson_key}:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        )

    student_dir, grading_dir = out / "student", out / "grading" / stem
    student_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(grading_dir, ignore_errors=True)
    grading_dir.mkdir(parents=True)
    student_nb_path = student_dir / entry["notebook"]
    shutil.copy(result / "student" / entry["notebook"], student_nb_path)
    lesson_meta = json.loads((LESSONS / entry["notebook"]).read_text(encoding="utf-8"))["metadata"]
    student_nb = finish_student_notebook(student_nb_path, lesson_meta.get("language_info"))
    zips = sorted((result / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise BuildError(f"lesson {lesson_key}: otter assign wrote {len(zips)} autograder zips")
    shutil.copy(zips[0], grading_dir / "autograder.zip")
    shutil.copy(result / "autograder" / entry["notebook"], grading_dir / "solution.ipynb")
    summary["public_tests"] = tests_fingerprint(public_tests(student_nb))
    summary["student_notebook"] = f"student/{entry['notebook']}"
    (grading_dir / "assignment.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    return summary


def build(
    lessons: list[str] | None = None, out: Path = DEFAULT_OUT, jobs: int = 2, verify: bool = False
) -> list[dict]:
    spec = load_spec()
    keys = lessons or sorted(spec)
    unknown = [k for k in keys if k not in spec]
    if unknown:
        raise BuildError(f"no assignment for lesson(s) {unknown} in {SPEC.name}; there are {sorted(spec)}")
    otter = Path(sys.executable).parent / "otter"
    if not otter.exists():
        raise BuildError(
            "otter-grader is not installed: run `make assignments` (it installs the `grade` extra)"
        )
    out.mkdir(parents=True, exist_ok=True)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(build_lesson, k, spec[k], out, otter, verify) for k in keys]
        return [f.result() for f in futures]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m classroom.grading.build", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--lessons", nargs="*", help="lesson numbers, e.g. 02 03 (default: every one in exercises.yml)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--jobs", type=int, default=2, help="lessons built at once (default 2)")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="also run every test on the solution notebook (otter assign's run_tests): slower",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        summaries = build(args.lessons, args.out, args.jobs, args.verify)
    except BuildError as err:
        print(f"make assignments: {err}", file=sys.stderr)
        return 1
    for s in summaries:
        written = f", {len(s['written'])} written" if s["written"] else ""
        print(
            f"{s['assignment']}: {len(s['questions'])} autograded questions ({s['points_possible']:g} points){written}"
        )
    print(f"Student notebooks (hand these out): {args.out / 'student'}")
    print(f"Grading bundles (keep these private): {args.out / 'grading'}")
    print(f"Built in {time.perf_counter() - t0:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
