"""Written answers and model answers on the instructor's pages read as the notebook shows them."""

from classroom.grading.grade import _md


def test_markdown_is_rendered_not_printed_raw():
    # A trial found "### Exercise 1.2", backticks and "* **β-endorphin**" printed as typed.
    page = _md("### Exercise 1.2\n\nUse `ph.occupancy`:\n\n* **β-endorphin** binds\n* MOR")
    assert "###" not in page and "`" not in page and "**" not in page
    assert "<h3>Exercise 1.2</h3>" in page and "<code>ph.occupancy</code>" in page
    assert page.count("<li>") == 2 and "<strong>β-endorphin</strong>" in page


def test_html_a_student_typed_never_reaches_the_page():
    page = _md("my answer <script>alert(1)</script> <img src=x onerror=alert(2)>")
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page
