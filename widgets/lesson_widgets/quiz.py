"""Lesson 08's review quiz: questions from data/quiz_questions.csv with feedback and a score.

The logic (loading and checking the questions, marking answers, scoring) is in
:mod:`widgets.data_access.quiz_bank`; this module only displays it, so tests drive the quiz headless:
choose or type an answer, press *Check*, read the feedback and the score.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import anywidget
import ipywidgets as ipw
import traitlets

from ..data_access.quiz_bank import (
    LESSONS,
    Question,
    Record,
    Result,
    ScoreSheet,
    check_answer,
    feedback_parts,
    load_questions,
)
from ..display.figure_transport import compose_static, face_changed
from ..display.theme import OKABE_ITO, text_colour
from ..display.ui import alert_html, message_area


class AnswerBox(anywidget.AnyWidget):
    """A labelled text box for a typed answer; Enter sends ``{"type": "submit", "value": text}``."""

    _esm = compose_static("a11y.js", "answer_box.js")
    _css = compose_static("a11y.css", "answer_box.css")
    value = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)


class ChoiceGroup(anywidget.AnyWidget):
    """Choose one of ``options``: a radio group (``kind="radio"``) or a drop-down list (``"select"``).

    ``value`` is the chosen option's key (``option_keys[i]``, or the option text itself when
    ``option_keys`` is empty), or None. Why not ipywidgets' RadioButtons and Dropdown: in
    JupyterLab 4 the notebook's shortcuts take the arrow keys from any focused control that is not
    a text box (they move between cells), and RadioButtons' options share no ``name``, so each is
    its own Tab stop. This widget renders native controls marked to keep their keys: Tab reaches
    the group once, ↑ ↓ choose.
    """

    _esm = compose_static("a11y.js", "choice_group.js")
    _css = compose_static("a11y.css", "choice_group.css")
    options = traitlets.List(traitlets.Unicode()).tag(sync=True)
    option_keys = traitlets.List(traitlets.Unicode()).tag(sync=True)
    value = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Enum(["radio", "select"], default_value="radio").tag(sync=True)

    @traitlets.validate("value")
    def _known(self, proposal):
        value = proposal["value"]
        allowed = self.option_keys or self.options
        if value is not None and value not in allowed:
            raise traitlets.TraitError(f"value must be one of {allowed}, got {value!r}")
        return value


class QuestionCard(ipw.VBox):
    """One question: prompt, an answer control, a *Check* button and the feedback under it."""

    def __init__(self, question: Question, label: str, on_result: Callable[[Result], None]):
        self.question = question
        self._on_result = on_result
        self.result: Result | None = None
        self.prompt = ipw.HTML(
            f'<div style="font-size:1.05em"><b>{html.escape(label)}</b> {html.escape(question.prompt)}</div>'
        )
        if question.kind == "choice":
            self.answer = ChoiceGroup(options=list(question.choices), value=None, description="Your answer")
            answer_row = self.answer
        else:
            self.answer = AnswerBox(description="Your answer", placeholder="type a number, then Enter")
            self.unit = ipw.HTML(html.escape(question.unit))
            answer_row = ipw.HBox([self.answer, self.unit])
        self.check = ipw.Button(
            description="Check",
            tooltip="Check your answer (Enter or Space when focused)",
            button_style="primary",
            icon="check",
        )
        self.check.add_class("ol-quiz-check")
        self.feedback = ipw.HTML()
        self.feedback.add_class("ol-quiz-feedback")
        self.check.on_click(lambda _: self.submit())
        self.answer.on_msg(self._on_submit_message)
        super().__init__(
            [self.prompt, answer_row, self.check, self.feedback],
            layout={"border": "1px solid #ccc", "padding": "8px", "margin": "4px 0"},
        )
        self.add_class("ol-quiz-card")

    def _on_submit_message(self, _widget, content, _buffers) -> None:
        """Enter in the answer box, or on an option, checks the answer like the Check button
        (lesson 00 says so).

        The message carries the text, or the option, as it was when Enter was pressed.
        """
        if content.get("type") != "submit":
            return
        value = content.get("value")
        if self.question.kind == "choice":
            if value in (self.answer.option_keys or self.answer.options):
                self.answer.value = value
        elif isinstance(value, str):
            self.answer.value = value
        self.submit()

    def submit(self) -> Result:
        """Check the answer currently chosen or typed; show the feedback; report the result."""
        self.result = check_answer(self.question, self.answer.value)
        self.feedback.value = feedback_html(self.question, self.result)
        self._on_result(self.result)
        return self.result

    def clear(self) -> None:
        self.answer.value = None if self.question.kind == "choice" else ""
        self.feedback.value = ""
        self.result = None


def feedback_html(question: Question, result: Result) -> str:
    """Feedback as HTML: a bad response is an alert; a verdict says right/wrong in words and colour."""
    if not result.valid:
        return alert_html(result.message)
    verdict, explanation, pointer = feedback_parts(question, result)
    colour = OKABE_ITO["bluish_green"] if result.correct else OKABE_ITO["vermillion"]
    mark = "✓" if result.correct else "✗"
    return (
        f'<div role="status" aria-live="polite" style="border-left:4px solid {colour};padding-left:8px">'
        f'<span style="color:{text_colour(colour)};font-weight:bold">{mark} {html.escape(verdict)}</span> '
        f"{html.escape(explanation)}<br><i>{html.escape(pointer)}</i></div>"
    )


class Quiz(ipw.VBox):
    """A review quiz over the lessons, with feedback, explanations and a running score.

    Parameters
    ----------
    lessons : list of str, optional
        Two-digit lesson numbers to ask about, e.g. ``["03"]`` after lesson 03; default all.
    one_at_a_time : bool
        True: one question with *Previous* / *Next*; False: every question on one page.
    folder : Path, optional
        Folder with datapackage.json and quiz_questions.csv (default: the project's data/).
    answers_file : Path or str, optional
        Where *Save answers* writes and *Load answers* reads (default: ``quiz_answers_<lessons>.json``
        in the working folder, i.e. beside the lesson).
    """

    ALL = "all"
    FILE_KIND = "opioid-lessons quiz answers"
    still_picture_note = "If you saved your answers, Load answers brings them back once the cells have run."

    def __init__(
        self,
        lessons: list[str] | None = None,
        one_at_a_time: bool = True,
        folder: Path | None = None,
        answers_file: Path | str | None = None,
    ):
        self.questions = load_questions(folder, lessons)
        key = "all" if lessons is None else "-".join(sorted(str(k) for k in lessons))
        self.answers_file = Path(answers_file) if answers_file else Path(f"quiz_answers_{key}.json")
        self.one_at_a_time = one_at_a_time
        self.sheet = ScoreSheet(self.questions)
        self._cards: dict[str, QuestionCard] = {}
        present = sorted({q.lesson for q in self.questions})
        options = [
            (f"{k} · {LESSONS[k][1]} ({sum(q.lesson == k for q in self.questions)} questions)", k)
            for k in present
        ]
        if len(present) > 1:
            options.insert(0, (f"All lessons ({len(self.questions)} questions)", self.ALL))
        self.lesson = ChoiceGroup(
            kind="select",
            description="Lesson",
            options=[label for label, _ in options],
            option_keys=[key for _, key in options],
            value=options[0][1],
        )
        if len(options) == 1:  # a one-lesson quiz: a drop-down with one entry would look broken
            self.lesson.layout.display = "none"
        self.previous = ipw.Button(description="Previous", icon="arrow-left", tooltip="Previous question")
        self.next = ipw.Button(description="Next", icon="arrow-right", tooltip="Next question")
        self.restart = ipw.Button(
            description="Start again", icon="refresh", tooltip="Clear every answer and the score"
        )
        self.counter = ipw.HTML()
        self.body = ipw.VBox()
        self.score = ipw.HTML()
        self.score.add_class("ol-quiz-score")
        self.summary = ipw.HTML()
        self.summary.add_class("ol-quiz-summary")
        self.position = 0
        self.lesson.observe(lambda _: self._select_lesson(), "value")
        self.previous.on_click(lambda _: self.go(self.position - 1))
        self.next.on_click(lambda _: self.go(self.position + 1))
        self.restart.on_click(lambda _: self.start_again())
        self.save_button = ipw.Button(
            description="Save answers",
            icon="save",
            tooltip=f"Save your answers and score to {self.answers_file.name}",
        )
        self.load_button = ipw.Button(
            description="Load answers",
            icon="folder-open",
            tooltip=f"Load the answers saved in {self.answers_file.name}",
        )
        self.file_message = message_area()
        self.save_button.on_click(lambda _: self._save_clicked())
        self.load_button.on_click(lambda _: self._load_clicked())
        navigation = [self.previous, self.next] if one_at_a_time else []
        super().__init__(
            [
                ipw.HBox([self.lesson, self.restart, self.save_button, self.load_button]),
                self.file_message,
                ipw.HBox([*navigation, self.counter]),
                self.body,
                self.score,
                self.summary,
            ]
        )
        self.add_class("ol-quiz")
        self._select_lesson()
        self._update_score()

    def static_face_html(self) -> str:
        """The questions without their answers, for pages with no live widgets (a rendered site,
        an HTML export): a quiz needs a kernel to check answers, so the face says where to run it."""
        items = []
        for q in self.questions:
            choices = "".join(f"<li>{html.escape(c)}</li>" for c in q.choices) if q.kind == "choice" else ""
            unit = f" (answer in {html.escape(q.unit)})" if q.kind != "choice" and q.unit else ""
            items.append(
                f"<li>{html.escape(q.prompt)}{unit}"
                + (f'<ol type="a">{choices}</ol>' if choices else "")
                + "</li>"
            )
        return (
            '<div class="ol-static-quiz" role="region" aria-label="Review quiz (questions only)">'
            f"<p><b>Review quiz: {len(self.questions)} questions.</b> Checking answers needs the quiz "
            "running in a kernel. Where this lesson is open in Jupyter, run its cells; on a web page of "
            "the lesson, open it first in JupyterLab, on Binder or on your class's hub.</p>"
            f'<p class="ol-static-score">{html.escape(self.sheet.text())}</p>'
            f"<ol>{''.join(items)}</ol></div>"
        )

    # -- what is shown ------------------------------------------------------------------
    @property
    def selected(self) -> list[Question]:
        """Questions of the lesson chosen in the drop-down (all when 'All lessons')."""
        if self.lesson.value == self.ALL:
            return self.questions
        return [q for q in self.questions if q.lesson == self.lesson.value]

    @property
    def current(self) -> QuestionCard:
        """The card on screen (one-at-a-time mode) or the first card (all-on-one-page mode)."""
        return self.card(self.selected[self.position].question_id)

    def card(self, question_id: str) -> QuestionCard:
        if question_id not in self._cards:
            index = next(i for i, q in enumerate(self.questions) if q.question_id == question_id)
            self._cards[question_id] = QuestionCard(self.questions[index], f"Q{index + 1}.", self._record)
        return self._cards[question_id]

    def go(self, position: int) -> None:
        """Show question ``position`` (0-based) of the selected lesson(s)."""
        n = len(self.selected)
        self.position = min(max(position, 0), n - 1)
        q = self.selected[self.position]
        if self.one_at_a_time:
            self.body.children = [self.card(q.question_id)]
            self.counter.value = (
                f"Question {self.position + 1} of {n} · lesson {q.lesson}, "
                f"{html.escape(LESSONS[q.lesson][1])}"
            )
        self.previous.disabled = self.position == 0
        self.next.disabled = self.position == n - 1

    def _select_lesson(self) -> None:
        if not self.one_at_a_time:
            self.body.children = [self.card(q.question_id) for q in self.selected]
            self.counter.value = f"{len(self.selected)} questions"
        self.go(0)

    # -- scoring --------------------------------------------------------------------------
    def answer(self, response) -> Result:
        """Set the current question's answer to ``response`` and press *Check* (for code and tests)."""
        card = self.current
        card.answer.value = response
        return card.submit()

    def _record(self, result: Result) -> None:
        self.sheet.record(result)
        self._update_score()

    def start_again(self) -> None:
        self.sheet.reset()
        for card in self._cards.values():
            card.clear()
        self._update_score()
        self.go(0)

    # -- saving and loading the answers ---------------------------------------------------------
    def save_answers(self, path: Path | str | None = None) -> Path:
        """Write every answer given, its record and the score to a small JSON file; return its path.

        A kernel restart, or another day, then need not lose the work: :meth:`load_answers`.
        """
        path = Path(path) if path else self.answers_file
        answers = {}
        for q in self.questions:
            rec = self.sheet.records[q.question_id]
            card = self._cards.get(q.question_id)
            response = card.answer.value if card is not None else None
            if rec.attempts == 0 and response in (None, ""):
                continue
            answers[q.question_id] = {
                "response": response,
                "attempts": rec.attempts,
                "first_try_correct": rec.first_try_correct,
                "correct_now": rec.correct_now,
                "checked": card is not None and card.result is not None,
            }
        document = {
            "kind": self.FILE_KIND,
            "version": 1,
            "saved": datetime.now(UTC).isoformat(timespec="seconds"),
            "questions": [q.question_id for q in self.questions],
            "score": self.sheet.text(),
            "answers": answers,
        }
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def load_answers(self, path: Path | str | None = None) -> int:
        """Bring back the answers and score saved by :meth:`save_answers`; return how many.

        Raises ``ValueError`` naming the file when it is not a saved quiz or cannot be read.
        Answers to questions this quiz does not ask are left out.
        """
        path = Path(path) if path else self.answers_file
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(
                f"No saved answers yet: {path.name} is not in {path.resolve().parent}."
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"{path.name} could not be read as saved quiz answers ({err}).") from None
        if not isinstance(document, dict) or document.get("kind") != self.FILE_KIND:
            raise ValueError(f"{path.name} is not a file of saved quiz answers.")
        answers = document.get("answers")
        if not isinstance(answers, dict):
            raise ValueError(f"{path.name} holds no answers.")
        known = {q.question_id: q for q in self.questions}
        self.sheet.reset()
        for card in self._cards.values():
            card.clear()
        loaded = 0
        for qid, saved in answers.items():
            if qid not in known or not isinstance(saved, dict):
                continue
            first = saved.get("first_try_correct")
            self.sheet.records[qid] = Record(
                attempts=int(saved.get("attempts") or 0),
                first_try_correct=first if isinstance(first, bool) else None,
                correct_now=bool(saved.get("correct_now")),
            )
            card = self.card(qid)
            response = saved.get("response")
            try:
                card.answer.value = response if response is not None or known[qid].kind == "choice" else ""
            except traitlets.TraitError:
                continue  # an option that no longer exists: the record stays, the choice does not
            if saved.get("checked") and response not in (None, ""):
                card.result = check_answer(known[qid], response)
                card.feedback.value = feedback_html(known[qid], card.result)
            loaded += 1
        self._update_score()
        self.go(self.position)
        return loaded

    def _save_clicked(self) -> None:
        try:
            path = self.save_answers()
        except OSError as err:
            self.file_message.value = alert_html(f"Could not save the answers: {err.strerror or err}.")
            return
        n = sum(r.attempts > 0 for r in self.sheet.records.values())
        self.file_message.value = html.escape(
            f"Saved {n} checked answer{'s' if n != 1 else ''} to {path.name}, beside this lesson. "
            "Load answers brings them back, also after a kernel restart."
        )

    def _load_clicked(self) -> None:
        try:
            n = self.load_answers()
        except ValueError as err:
            self.file_message.value = alert_html(str(err))
            return
        self.file_message.value = html.escape(
            f"Loaded {n} answer{'s' if n != 1 else ''} from {self.answers_file.name}. {self.sheet.text()}"
        )

    def _update_score(self) -> None:
        face_changed(self)
        self.score.value = (
            f'<div role="status" aria-live="polite"><b>{html.escape(self.sheet.text())}</b></div>'
        )
        table = self.sheet.by_lesson()
        if self.sheet.answered == 0:
            self.summary.value = ""
            return
        cell = "style='padding:2px 10px;text-align:{}'"
        head = "".join(
            f"<th {cell.format(a)}>{h}</th>"
            for h, a in (
                ("lesson", "left"),
                ("questions", "right"),
                ("answered", "right"),
                ("right at the first try", "right"),
                ("what to do next", "left"),
            )
        )
        rows = "".join(
            f"<tr><td {cell.format('left')}>{r.lesson} · {html.escape(r.title)}</td>"
            f"<td {cell.format('right')}>{r.questions}</td><td {cell.format('right')}>{r.answered}</td>"
            f"<td {cell.format('right')}>{r.right_first_try}</td>"
            f"<td {cell.format('left')}>{html.escape(r.advice)}</td></tr>"
            for r in table.itertuples()
        )
        self.summary.value = (
            "<table style='border-collapse:collapse'><caption style='text-align:left'><b>Your score by lesson"
            f"</b></caption><tr>{head}</tr>{rows}</table>"
        )

    def score_by_lesson(self):
        """The per-lesson summary as a table (pandas DataFrame)."""
        return self.sheet.by_lesson()
