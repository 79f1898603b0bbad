"""Lesson 08's question bank and quiz logic: loading, checking answers, scoring.

Questions live in ``data/quiz_questions.csv`` (schema in data/datapackage.json), one row per
question. :func:`load_questions` reads the table with :func:`widgets.data_access.data_tables.load_table`
(types, required cells, known source keys) and adds the checks a quiz needs: a known lesson, an
explanation, for a choice question at least two distinct options with the answer among them,
for a numeric question an answer that parses as a number and a tolerance above zero. A broken row
raises :class:`~widgets.data_access.data_tables.DataFileError` naming the file, the line and the question id.

:func:`check_answer` marks one response; :class:`ScoreSheet` keeps the score (first tries) overall
and per lesson. No UI imports here: the widget in :mod:`widgets.lesson_widgets.quiz` only displays this.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .data_tables import DataFileError, _label, data_dir, load_table

TABLE = "quiz_questions"
CHOICE_SEPARATOR = " | "

#: The course's lessons: number -> (notebook stem, short title). A question must name one of these.
LESSONS = {
    "00": ("00_start_here", "Start here"),
    "01": ("01_opioid_receptors", "Opioid receptors and their ligands"),
    "02": ("02_binding_occupancy_efficacy", "Binding, occupancy and efficacy"),
    "03": ("03_competitive_blocking", "Competitive blocking"),
    "04": ("04_naltrexone_in_the_body", "Naltrexone in the body"),
    "05": ("05_reward_pathway", "The reward pathway"),
    "06": ("06_alcohol_hypotheses", "Alcohol: how might naltrexone reduce drinking?"),
    "07": ("07_safety", "Safety"),
    "08": ("08_review", "Review"),
}


@dataclass(frozen=True)
class Question:
    """One quiz question (a row of data/quiz_questions.csv)."""

    question_id: str
    lesson: str
    section: str
    kind: str  # "choice" or "numeric"
    prompt: str
    choices: tuple[str, ...]
    answer: str  # the correct option's text, or the number as written
    tolerance: float  # numeric only (NaN for choice questions)
    unit: str
    explanation: str
    source: str  # key into references, or ""
    line: int = 0  # line in the CSV file, for messages

    @property
    def numeric_answer(self) -> float:
        return float(self.answer)

    @property
    def pointer(self) -> str:
        """Where to read again: "lesson 03, section '3. Dose ratios and the Schild plot'"."""
        return f"lesson {self.lesson}, section '{self.section}'"


@dataclass(frozen=True)
class Result:
    """The outcome of checking one response.

    ``valid`` is False when the response could not be marked (nothing chosen, not a number);
    ``message`` then says what to do, and the attempt does not count.
    """

    question_id: str
    valid: bool
    correct: bool
    message: str
    value: float | str | None = None


def _text(value) -> str:
    """A cell as text: pandas gives NaN for an empty optional string cell."""
    return value.strip() if isinstance(value, str) else ""


def load_questions(folder: Path | None = None, lessons: list[str] | None = None) -> list[Question]:
    """All questions of data/quiz_questions.csv (optionally only those of ``lessons``), checked.

    Parameters
    ----------
    folder : Path, optional
        Folder holding datapackage.json (default: the project's data/).
    lessons : list of str, optional
        Two-digit lesson numbers to keep, e.g. ``["03"]``; default all.

    Raises
    ------
    DataFileError
        A row breaks the schema or a quiz rule; the message names file, line and question id.
    ValueError
        ``lessons`` names a lesson that is not in the course, or one that has no questions.
    """
    try:
        frame = load_table(TABLE, folder)
    except DataFileError as err:
        raise DataFileError(_with_question_id(str(err), folder)) from None
    label = _label((Path(folder) if folder is not None else data_dir()) / f"{TABLE}.csv")
    questions = [
        _question(row, line, label) for line, (_, row) in zip(frame.attrs["lines"], frame.iterrows())
    ]
    if lessons is None:
        return questions
    lessons = [_lesson_key(x) for x in lessons]
    unknown = [x for x in lessons if x not in LESSONS]
    if unknown:
        raise ValueError(f"lessons must be two-digit lesson numbers from {', '.join(LESSONS)}; got {unknown}")
    kept = [q for q in questions if q.lesson in lessons]
    empty = [x for x in lessons if not any(q.lesson == x for q in kept)]
    if empty:
        raise ValueError(f"no questions for lesson(s) {', '.join(empty)} in data/{TABLE}.csv")
    return kept


def _lesson_key(value) -> str:
    """Accept 3, "3" or "03" for lesson 03."""
    text = str(value).strip()
    return text.zfill(2) if text.isdigit() else text


def _question(row, line: int, label: str) -> Question:
    qid = row["question_id"]
    where = f"{label}, line {line}, question {qid}"
    lesson = row["lesson"]
    if lesson not in LESSONS or lesson == "08":
        raise DataFileError(
            f"{where}, column lesson: {lesson!r} is not a lesson the quiz reviews "
            f"(two-digit numbers {', '.join(k for k in LESSONS if k != '08')})"
        )
    explanation, source = _text(row["explanation"]), _text(row["source"])
    if not explanation:
        raise DataFileError(f"{where}, column explanation: every question needs an explanation")
    choices = (
        tuple(c.strip() for c in _text(row["choices"]).split(CHOICE_SEPARATOR.strip()))
        if _text(row["choices"])
        else ()
    )
    tolerance = row["tolerance"]
    answer = row["answer"].strip()
    if row["kind"] == "choice":
        if len(choices) < 2 or any(not c for c in choices):
            raise DataFileError(
                f"{where}, column choices: a choice question needs at least two non-empty "
                f"options separated by '{CHOICE_SEPARATOR}'"
            )
        if len(set(choices)) != len(choices):
            raise DataFileError(f"{where}, column choices: the same option appears twice")
        if answer not in choices:
            raise DataFileError(
                f"{where}, column answer: {answer!r} is not among the choices {list(choices)}"
            )
        if not math.isnan(tolerance):
            raise DataFileError(f"{where}, column tolerance: only numeric questions have a tolerance")
    else:
        if choices:
            raise DataFileError(f"{where}, column choices: a numeric question has no choices")
        try:
            value = float(answer)
        except ValueError:
            raise DataFileError(
                f"{where}, column answer: {answer!r} is not a number "
                "(a numeric question's answer must be one)"
            ) from None
        if not math.isfinite(value):
            raise DataFileError(f"{where}, column answer: {answer!r} is not a finite number")
        if math.isnan(tolerance) or tolerance <= 0:
            raise DataFileError(f"{where}, column tolerance: a numeric question needs a tolerance above 0")
        if not source:
            raise DataFileError(
                f"{where}, column source: a numeric question must name the source of its number"
            )
    if not source and lesson != "00":
        raise DataFileError(f"{where}, column source: name the reference the question's fact comes from")
    return Question(
        qid,
        lesson,
        row["section"].strip(),
        row["kind"],
        row["prompt"].strip(),
        choices,
        answer,
        float(tolerance),
        _text(row["unit"]),
        explanation,
        source,
        line,
    )


def _with_question_id(message: str, folder: Path | None) -> str:
    """Add the question id to a table-loader message that names a line of the quiz file."""
    match = re.search(rf"{TABLE}\.csv, line (\d+)", message)
    if not match:
        return message
    path = (Path(folder) if folder is not None else data_dir()) / f"{TABLE}.csv"
    import csv

    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    line = int(match.group(1))
    if 2 <= line <= len(rows) and rows[line - 1]:
        return message.replace(match.group(0), f"{match.group(0)} (question {rows[line - 1][0].strip()})", 1)
    return message


# -- marking ------------------------------------------------------------------------------
_NUMBER = re.compile(r"^(?P<num>[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?)\s*(?P<unit>.*)$")
_UNIT_WORDS = ("%", "×", "x", "times", "fold", "nm", "g", "people", "per 100")


def parse_number(text: str, unit: str = "") -> float:
    """Read a typed number: '75', '75 %', '0,5', '1e-9', '10×'; the question's unit may follow it.

    Raises ``ValueError`` with a message a student can act on.
    """
    raw = "" if text is None else str(text).strip()
    cleaned = raw.replace("\u2212", "-").replace("\u00a0", " ")
    if not cleaned:
        raise ValueError("Type a number in the box first" + (f" (in {unit})" if unit else "") + ".")
    match = _NUMBER.match(cleaned)
    units = {" ".join(w.lower().split()) for w in (*_UNIT_WORDS, unit) if w}
    if not match or (match["unit"] and " ".join(match["unit"].lower().split()) not in units):
        raise ValueError(
            f"'{raw}' is not a number. Type digits only, such as 12 or 0.5"
            + (f" (the unit, {unit}, is already given)" if unit else "")
            + "."
        )
    return float(match["num"].replace(",", "."))


def _impossible(question: Question, value: float) -> str:
    """Why ``value`` cannot be an answer to ``question`` at all ('' when it can).

    A percentage in these questions is a share of a whole (receptors occupied, a dose converted),
    so it lies between 0 and 100; a quantity whose answer is positive is never negative; no answer
    is a million times larger than it could be. Such a number is a slip (a sign, a missing decimal
    point, an exponent), so it gets a message, not a mark.
    """
    if question.unit == "%" and not 0 <= value <= 100:
        return f"A percentage here lies between 0 and 100; {value:g} % cannot be right."
    if value < 0 <= question.numeric_answer:
        unit = f" {question.unit}" if question.unit else ""
        return f"The answer cannot be negative; you typed {value:g}{unit}."
    if abs(value) >= 1e6 * max(1.0, abs(question.numeric_answer)):  # "1e99", a slipped exponent
        return "That number is more than a million times too large to be the answer; check the exponent and the unit."
    return ""


def check_answer(question: Question, response) -> Result:
    """Mark ``response`` (the chosen option's text, or the typed number as text or a number)."""
    if question.kind == "choice":
        if response is None or response == "":
            return Result(question.question_id, False, False, "Choose one of the options first.")
        if response not in question.choices:
            return Result(
                question.question_id,
                False,
                False,
                f"'{response}' is not one of this question's options; choose one of them.",
            )
        return Result(question.question_id, True, response == question.answer, "", response)
    try:
        value = (
            float(response) if isinstance(response, (int, float)) else parse_number(response, question.unit)
        )
    except ValueError as err:
        return Result(question.question_id, False, False, str(err))
    if not math.isfinite(value):
        return Result(question.question_id, False, False, "Type a finite number.")
    if problem := _impossible(question, value):
        return Result(question.question_id, False, False, problem + " This try is not marked.", value)
    # a little slack for binary rounding: 90.9 ± 1 accepts 91.9 exactly
    slack = 1e-9 * max(1.0, abs(question.numeric_answer))
    correct = abs(value - question.numeric_answer) <= question.tolerance + slack
    if (
        not correct
        and question.unit == "%"
        and 0 < abs(value) <= 1
        and abs(100 * value - question.numeric_answer) <= question.tolerance + slack
    ):
        return Result(
            question.question_id,
            False,
            False,
            f"The answer is asked in percent: {value:g} as a fraction is {100 * value:g} %. "
            "Type the percentage.",
            value,
        )
    return Result(question.question_id, True, correct, "", value)


def feedback_parts(question: Question, result: Result) -> tuple[str, str, str]:
    """(verdict, explanation, where to read again) for a marked response."""
    if result.correct:
        verdict = "Correct."
    elif question.kind == "numeric":
        verdict = (
            f"Not quite: you gave {result.value:g}; the answer is {question.answer}"
            f"{' ' + question.unit if question.unit else ''} (within ±{question.tolerance:g})."
        )
    else:
        verdict = f"Not quite: the answer is “{question.answer}”."
    return verdict, question.explanation, f"See {question.pointer}."


def feedback_text(question: Question, result: Result) -> str:
    """Plain-text feedback: verdict, explanation and where to read again (or what to fix)."""
    if not result.valid:
        return result.message
    return " ".join(feedback_parts(question, result))


# -- scoring ------------------------------------------------------------------------------
@dataclass
class Record:
    attempts: int = 0
    first_try_correct: bool | None = None  # None until the first valid attempt
    correct_now: bool = False


@dataclass
class ScoreSheet:
    """Scores over a list of questions. The score counts answers right at the *first* try.

    Later tries still give feedback (and set ``correct_now``) so a student can learn from the
    explanation, but they do not change the score: a self-test should tell you what you knew.
    """

    questions: list[Question]
    records: dict[str, Record] = field(default_factory=dict)

    def __post_init__(self):
        self.records = {q.question_id: Record() for q in self.questions}

    def record(self, result: Result) -> None:
        if not result.valid:
            return
        rec = self.records[result.question_id]
        rec.attempts += 1
        if rec.first_try_correct is None:
            rec.first_try_correct = result.correct
        rec.correct_now = result.correct

    def reset(self) -> None:
        self.__post_init__()

    @property
    def answered(self) -> int:
        return sum(r.first_try_correct is not None for r in self.records.values())

    @property
    def correct(self) -> int:
        return sum(bool(r.first_try_correct) for r in self.records.values())

    def text(self) -> str:
        n = len(self.questions)
        if self.answered == 0:
            return f"Score: no answers checked yet ({n} question{'s' if n != 1 else ''})."
        return (
            f"Score: {self.correct} of {self.answered} answered correctly at the first try "
            f"({self.answered} of {n} questions answered)."
        )

    def by_lesson(self) -> pd.DataFrame:
        """One row per lesson: questions, answered, right at first try, and what to revisit."""
        rows = []
        for lesson in sorted({q.lesson for q in self.questions}):
            qs = [q for q in self.questions if q.lesson == lesson]
            recs = [self.records[q.question_id] for q in qs]
            answered = sum(r.first_try_correct is not None for r in recs)
            right = sum(bool(r.first_try_correct) for r in recs)
            missed = [q for q, r in zip(qs, recs) if r.first_try_correct is False]
            if answered == 0:
                advice = "not tried yet"
            elif not missed:
                advice = "all right so far"
            else:
                sections = list(dict.fromkeys(q.section for q in missed))
                advice = "revisit: " + "; ".join(f"'{s}'" for s in sections)
            rows.append(
                {
                    "lesson": lesson,
                    "title": LESSONS[lesson][1],
                    "questions": len(qs),
                    "answered": answered,
                    "right_first_try": right,
                    "advice": advice,
                }
            )
        return pd.DataFrame(rows)


# -- lesson headings ----------------------------------------------------------------------
def lesson_headings(path: Path) -> list[str]:
    """Markdown headings of a notebook, without the leading #'s."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    headings = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            match = re.match(r"^#{1,6}\s+(.*\S)\s*$", line)
            if match:
                headings.append(match.group(1))
    return headings


def section_problems(questions: list[Question], lessons_dir: Path) -> tuple[list[str], set[str]]:
    """Check each question's section against the headings of its lesson notebook in ``lessons_dir``.

    Returns (problems, lessons without a notebook). Questions of lessons whose notebook is not
    there are not checked; the caller decides whether that is allowed.
    """
    problems, missing = [], set()
    cache: dict[str, list[str]] = {}
    for q in questions:
        path = Path(lessons_dir) / f"{LESSONS[q.lesson][0]}.ipynb"
        if not path.is_file():
            missing.add(q.lesson)
            continue
        if q.lesson not in cache:
            cache[q.lesson] = lesson_headings(path)
        if q.section not in cache[q.lesson]:
            problems.append(
                f"data/{TABLE}.csv, line {q.line}, question {q.question_id}, column section: "
                f"{q.section!r} is not a heading of lessons/{path.name}"
            )
    return problems, missing
