"""Checking an exercise inside an assignment notebook, and the helpers its tests call.

``make assignments`` (classroom/grading/) turns the lessons' exercises into otter-grader
assignments. In the student's notebook each exercise is followed by a *Check* button::

    checks = AnswerChecks(grader)   # once, after otter's own ``grader = otter.Notebook(...)``
    checks.button("q2_1")           # a Check button and the sentence it answers with

Pressing the button (Tab to it, then Enter or Space) runs the exercise's public tests on a copy of
the notebook's variables, so a check never changes the student's work, and shows one sentence in a
screen-reader status region (a failure is an alert, like every widget's problem message).

The tests themselves (public ones in the student notebook, hidden ones in the instructor's grading
bundle) call :func:`is_kind`, :func:`close_to` and :func:`expected_values` from here, so they read
as one line each and give the same verdict in the notebook and in the grader.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..display.theme import TEXT_COLOURS

KINDS = ("number", "molar", "text", "mapping", "list")
# A concentration in mol/L as a bath or a plasma sample holds one: from 1 fM to 0.1 M. An answer
# outside is in another unit (5.4 typed for 5.4 µM), which a kind check can already tell.
MOLAR_RANGE = (1e-15, 0.1)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        import numpy as np

        if isinstance(value, np.ndarray):
            return value.shape == () and np.issubdtype(value.dtype, np.number)
        if isinstance(value, np.number):
            return not isinstance(value, np.bool_)
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    return isinstance(value, int | float)


def is_kind(value: Any, kind: str) -> bool:
    """Whether ``value`` is filled in and of ``kind`` (number; molar, a number within MOLAR_RANGE;
    text, mapping or list)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if value is None or value is Ellipsis:
        return False
    if kind == "number":
        return _is_number(value) and math.isfinite(float(value))
    if kind == "molar":
        return _is_number(value) and MOLAR_RANGE[0] <= float(value) <= MOLAR_RANGE[1]
    if kind == "text":
        return isinstance(value, str) and bool(value.strip())
    if kind == "mapping":
        return isinstance(value, Mapping) and len(value) > 0
    return isinstance(value, Sequence | set | frozenset) and not isinstance(value, str) and len(value) > 0


def _plain_text(text: str) -> str:
    """A name as a comparison sees it: case, β written as "beta", and runs of spaces, hyphens and
    underscores set aside ("6β-Naltrexol", as lesson 03's table prints it, is "6beta_naltrexol")."""
    return re.sub(r"[\s_\-]+", " ", text.casefold().replace("β", "beta")).strip()


def close_to(value: Any, expected: Any, rel: float = 1e-6, abs_tol: float = 0.0) -> bool:
    """Whether a student's ``value`` matches ``expected``: numbers within ``rel`` (relative) or
    ``abs_tol``, texts ignoring case, β/beta and spaces, hyphens or underscores (``_plain_text``),
    mappings key by key, lists in any order."""
    if _is_number(expected):
        return _is_number(value) and math.isclose(float(value), float(expected), rel_tol=rel, abs_tol=abs_tol)
    if isinstance(expected, str):
        return isinstance(value, str) and _plain_text(value) == _plain_text(expected)
    if isinstance(expected, Mapping):
        return (
            isinstance(value, Mapping)
            and set(value) == set(expected)
            and all(close_to(value[k], expected[k], rel, abs_tol) for k in expected)
        )
    if isinstance(expected, Sequence | set | frozenset):
        if not isinstance(value, Sequence | set | frozenset) or isinstance(value, str):
            return False
        remaining = list(expected)
        for item in value:
            match = next((i for i, e in enumerate(remaining) if close_to(item, e, rel, abs_tol)), None)
            if match is None:
                return False
            remaining.pop(match)
        return not remaining
    return value == expected


_EXPECTED_CACHE: dict[tuple[str, int], dict[str, Any]] = {}


def expected_values(question: str, solution: str, env: dict, names: Sequence[str]) -> dict[str, Any]:
    """The right answers for ``names``: ``solution`` (the lesson's solution code, then one
    ``name = expression`` line per answer) run in a *copy* of the student's namespace ``env``.

    Run in the student's own namespace, an answer that depends on the student's choices (a seed,
    an ID) is recomputed for that student. The copy keeps the student's variables untouched.
    Cached per question and namespace, so a question's hidden tests run the solution once.
    """
    key = (question, id(env))
    if key not in _EXPECTED_CACHE:
        from IPython.utils.capture import capture_output

        scratch = dict(env)
        with capture_output():  # the solution's show_answer(...) lines draw nothing here
            exec(compile(solution, f"<solution {question}>", "exec"), scratch)
        _EXPECTED_CACHE[key] = {name: scratch[name] for name in names}
    return _EXPECTED_CACHE[key]


def evaluate(question: str, solution: str, env: dict, expression: str, answers: Sequence[str] = ()) -> Any:
    """``expression`` evaluated where the solution left its names (see :func:`expected_values`),
    with the student's own values of ``answers`` (the solution may set the same names)."""
    from IPython.utils.capture import capture_output

    scratch = dict(env)
    with capture_output():
        if solution:
            exec(compile(solution, f"<solution {question}>", "exec"), scratch)
        scratch.update({name: env[name] for name in answers if name in env})
        return eval(compile(expression, f"<test {question}>", "eval"), scratch)


def _exercise_label(question: str) -> str:
    """'q3_1' -> 'exercise 3.1'."""
    m = re.fullmatch(r"q(\d+)_(\d+)", question)
    return f"exercise {m.group(1).lstrip('0') or '0'}.{m.group(2)}" if m else question


def _status_html(text: str) -> str:
    colour = TEXT_COLOURS.get("bluish_green", "#000")
    return f'<div style="color:{colour};font-weight:bold">{html.escape(text)}</div>'


def check_message(results: Any, question: str) -> tuple[str, bool]:
    """The sentence for a check's results (an otter TestFile) and whether every check passed."""
    label = _exercise_label(question).capitalize()
    cases = [r for r in getattr(results, "test_case_results", []) if not r.test_case.hidden]
    failed = [r for r in cases if not r.passed]
    if not cases:
        return f"{label}: no checks to run here; your instructor marks it.", True
    if not failed:
        return (
            f"{label}: all {len(cases)} checks pass. Your instructor's marking has further tests "
            "of the values themselves.",
            True,
        )
    reasons = []
    for r in failed:
        reason = r.test_case.failure_message or "a check failed."
        if reason not in reasons:
            reasons.append(reason)
    return f"{label}: {len(cases) - len(failed)} of {len(cases)} checks pass. " + " ".join(reasons), False


# Names whose most recent assigning cell stopped with an error: the notebook still holds older
# values for them, which a check would pass while the graded run (which runs the cells as
# written) finds the cell failing. Kept by a post_run_cell hook (``note_cell_result``).
_STALE: set[str] = set()
_ASSIGNED = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)", re.M)
_HOOKED: list = []


def note_cell_result(result) -> None:
    """IPython post_run_cell: the names a cell assigns are stale when it raised, fresh when not."""
    names = set(_ASSIGNED.findall(getattr(result.info, "raw_cell", "") or ""))
    if result.error_before_exec is not None or result.error_in_exec is not None:
        _STALE.update(names)
    else:
        _STALE.difference_update(names)


def _stale_names(results) -> list[str]:
    """The stale names that a question's public checks read."""
    code = " ".join(str(r.test_case.body) for r in getattr(results, "test_case_results", []))
    return sorted(n for n in _STALE if re.search(rf"\b{re.escape(n)}\b", code))


class AnswerChecks:
    """Check buttons for the exercises of one assignment notebook (see the module docstring)."""

    def __init__(self, grader, namespace: dict | None = None):
        self.grader = grader
        self._namespace = namespace
        if namespace is None:  # the notebook's own variables: follow which cells failed
            from IPython import get_ipython

            shell = get_ipython()
            if shell is not None and shell not in _HOOKED:
                shell.events.register("post_run_cell", note_cell_result)
                _HOOKED.append(shell)

    def namespace(self) -> dict:
        if self._namespace is not None:
            return self._namespace
        from IPython import get_ipython

        shell = get_ipython()
        return shell.user_ns if shell is not None else {}

    def run(self, question: str) -> tuple[str, bool]:
        """Run ``question``'s public tests on a copy of the notebook's variables; (sentence, passed)."""
        scratch = dict(self.namespace())  # the tests' own names land in the copy, never in the notebook
        try:
            from IPython.utils.capture import capture_output

            with capture_output():
                results = self.grader.check(question, global_env=scratch)
        except Exception as err:  # noqa: BLE001 - any failure to run becomes a sentence, not a trace
            label = _exercise_label(question).capitalize()
            return (
                f"{label}: the checks could not run ({type(err).__name__}: {err}). Save the notebook "
                "(Ctrl+S) and run the cells above this one, then check again.",
                False,
            )
        stale = _stale_names(results)
        if stale:
            label = _exercise_label(question).capitalize()
            names = ", ".join(stale)
            return (
                f"{label}: the cell that sets {names} stopped with an error when you last ran it, so "
                "the notebook still holds older values, which your instructor's marking will not see "
                "(it runs the cells as they are written). Fix the error, run that cell again, then "
                "check.",
                False,
            )
        return check_message(results, question)

    def button(self, question: str):
        """A *Check exercise N.M* button with its message area; the check runs once now too."""
        import ipywidgets as ipw

        from ..display.ui import alert_html, message_area

        label = _exercise_label(question)
        button = ipw.Button(
            description=f"Check {label}",
            tooltip=f"Run the checks of {label} on your answer (your work is not changed)",
            icon="check",
            # as wide as its name: the default width cut it to "Check exercise..." (a trial)
            layout=ipw.Layout(width="auto"),
        )
        area = message_area()

        def show(_=None):
            text, passed = self.run(question)
            area.value = _status_html(text) if passed else alert_html(text)

        button.on_click(show)
        show()
        box = _CheckBox([button, area])
        box.add_class("ol-answer-check")
        return box


def _check_box_class():
    import ipywidgets as ipw

    class CheckBox(ipw.VBox):
        """A VBox whose static face (exported HTML, the site) is the button's name and its last
        message, instead of ipywidgets' "VBox(children=...)"."""

        def _repr_mimebundle_(self, **kwargs):
            data = super()._repr_mimebundle_(**kwargs)
            data, metadata = data if isinstance(data, tuple) else (data, {})
            button, area = self.children
            data["text/html"] = (
                f'<div class="ol-static-check"><p><strong>{html.escape(button.description)}</strong> '
                f"(a button: run the notebook to use it)</p>{area.value}</div>"
            )
            return data, metadata

    return CheckBox


def _CheckBox(children):  # noqa: N802 - builds the class on first use (ipywidgets imported lazily)
    global _CHECK_BOX
    if _CHECK_BOX is None:
        _CHECK_BOX = _check_box_class()
    return _CHECK_BOX(children)


_CHECK_BOX = None
