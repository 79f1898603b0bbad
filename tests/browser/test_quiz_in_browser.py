"""Lesson 08's quiz in JupyterLab (headless Chromium), operated with the keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS
from .lab import open_lesson_and_run_all, table_rows

pytestmark = pytest.mark.browser
LESSON = "08_review.ipynb"


def _wait_for_change(page, locator, old_text: str) -> str:
    page.wait_for_function(
        "([el, text]) => el.textContent !== text", arg=[locator.element_handle(), old_text], timeout=30_000
    )
    return locator.text_content()


def test_quiz_answered_with_the_keyboard(lab_server, page):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, LESSON)
    ARTIFACTS.mkdir(exist_ok=True)
    assert "Traceback" not in page.inner_text(".jp-Notebook")

    page.wait_for_selector(".ol-quiz .ol-quiz-card .ol-choice input[type=radio]", timeout=30_000)
    quiz = page.locator(".ol-quiz").first
    quiz.scroll_into_view_if_needed()
    # Each quiz's options form their own radio group: a name shared across quizzes would let one
    # quiz's arrow keys change the other's answer.
    names = page.evaluate(
        "() => [...document.querySelectorAll('.ol-quiz')].map("
        "q => [...new Set([...q.querySelectorAll('input[type=radio]')].map(r => r.name))])"
    )
    flat = [n for group in names for n in group]
    assert len(names) >= 2 and len(flat) == len(set(flat)), (
        f"radio group names shared between quizzes: {names}"
    )

    # textContent, and the 30 s of the other kernel round trips: CI under load timed out at 10 s
    # here (innerText is '' while JupyterLab has not yet laid out a cell it just scrolled to).
    page.wait_for_function(
        "el => el.textContent.includes('Score')",
        arg=quiz.locator(".ol-quiz-score").element_handle(),
        timeout=30_000,
    )
    score = quiz.locator(".ol-quiz-score")
    feedback = quiz.locator(".ol-quiz-card .ol-quiz-feedback")
    # textContent throughout: innerText is '' for a cell JupyterLab has not laid out yet (CI read
    # an empty score here after the wait above had seen "Score" in textContent)
    score_before, feedback_before = score.text_content(), feedback.text_content()
    assert "no answers checked yet" in score_before

    # Question 1 (choice): Tab stop on the option group, ↓ chooses the second option (the right
    # one: "Press Tab"), Tab moves on to Check.
    radios = quiz.locator(".ol-quiz-card input[type=radio]")
    radios.first.focus()
    page.keyboard.press("ArrowDown")
    checked = radios.evaluate_all("rs => rs.map(r => r.checked)")
    assert checked == [False, True, False, False], checked
    assert page.evaluate("document.activeElement.value") == "1", "the arrow key left the option group"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ol-quiz-check')"), (
        "Tab did not reach Check"
    )
    page.keyboard.press("Enter")
    text = _wait_for_change(page, feedback, feedback_before)
    assert text.startswith("✓ Correct") and "See lesson 00" in text, text
    score_text = _wait_for_change(page, score, score_before)
    assert "1 of 1 answered correctly" in score_text, score_text
    quiz.screenshot(path=str(ARTIFACTS / "08_review-quiz-choice.png"))

    # Back to Next (Shift+Tab past the option group), Enter twice: question 3 is numeric.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent.includes('Next')"), (
        "Shift+Tab did not reach Next"
    )
    page.keyboard.press("Enter")
    expect(quiz).to_contain_text("Question 2 of", timeout=10_000)
    page.keyboard.press("Enter")
    expect(quiz).to_contain_text("Question 3 of", timeout=10_000)

    # Tab into the answer box (once the new card is drawn), type something that is not a number,
    # Tab to Check, Enter.
    expect(quiz.locator(".ol-answer-input")).to_be_visible(timeout=10_000)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "INPUT"
    page.keyboard.type("seventy")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    numeric_feedback = quiz.locator(".ol-quiz-card .ol-quiz-feedback")
    expect(numeric_feedback).to_contain_text("not a number", timeout=10_000)
    assert "1 of 1 answered correctly" in score.text_content()  # the bad entry did not count

    # Back to the box: a negative percentage, checked with Enter in the box (as lesson 00 says),
    # is refused with a message and does not use up the first try.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("-75")
    page.keyboard.press("Enter")
    expect(numeric_feedback).to_contain_text("between 0 and 100", timeout=10_000)
    assert "1 of 1 answered correctly" in score.text_content()

    # Correct it: replace the text, Enter again.
    page.keyboard.press("Control+A")
    page.keyboard.type("75")
    page.keyboard.press("Enter")
    expect(numeric_feedback).to_contain_text("Correct", timeout=10_000)
    expect(score).to_contain_text("2 of 2 answered correctly", timeout=10_000)
    rows = table_rows(quiz.locator(".ol-quiz-summary table"))
    lesson_00 = next(r for r in rows if r[0].startswith("00 "))
    assert [int(n) for n in lesson_00[1:4]] == [3, 2, 2], rows  # questions, answered, right at the first try
    assert "revisit" not in lesson_00[4], rows  # nothing to revisit: both right at the first try

    quiz.screenshot(path=str(ARTIFACTS / "08_review-quiz.png"))

    # The Lesson drop-down by keyboard: ↓ from "All lessons" picks lesson 00 (3 questions).
    quiz.locator("select").first.focus()
    page.keyboard.press("ArrowDown")
    expect(quiz).to_contain_text("Question 1 of 3 · lesson 00", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "08_review-page.png"), full_page=True)


def test_enter_on_an_option_checks_the_answer(lab_server, page):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, LESSON)
    page.wait_for_selector(".ol-quiz .ol-quiz-card .ol-choice input[type=radio]", timeout=30_000)
    quiz = page.locator(".ol-quiz").first
    quiz.scroll_into_view_if_needed()
    score = quiz.locator(".ol-quiz-score")
    expect(score).to_contain_text("no answers checked yet", timeout=10_000)
    feedback = quiz.locator(".ol-quiz-card .ol-quiz-feedback")
    radios = quiz.locator(".ol-quiz-card input[type=radio]")
    # ↓ to the second option ("Press Tab", the right one), Enter: checked as with the Check button
    radios.first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(feedback).to_contain_text("✓ Correct", timeout=10_000)
    expect(score).to_contain_text("1 of 1 answered correctly", timeout=10_000)
    assert page.evaluate("document.activeElement.value") == "1", "Enter moved the focus off the option"
    # Enter on a focused option that is not the chosen one takes that option
    radios.nth(2).focus()
    page.keyboard.press("Enter")
    expect(feedback).to_contain_text("✗", timeout=10_000)
    assert radios.evaluate_all("rs => rs.map(r => r.checked)") == [False, False, True, False]
